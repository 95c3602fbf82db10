ALTER TABLE `faq_feedback` ADD `counted` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `faq_feedback` ADD `raw_sha256` text;--> statement-breakpoint
ALTER TABLE `faq_feedback` ADD `raw_size` integer;--> statement-breakpoint
ALTER TABLE `faq_feedback` ADD `raw_pack` text;--> statement-breakpoint
ALTER TABLE `faq_feedback` ADD `raw_offset` integer;--> statement-breakpoint
CREATE INDEX `faq_feedback_raw` ON `faq_feedback` (`raw_sha256`);