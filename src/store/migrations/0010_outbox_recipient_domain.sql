ALTER TABLE `outbox` ADD `recipient_domain` text;--> statement-breakpoint
CREATE INDEX `outbox_recipient_domain` ON `outbox` (`recipient_domain`,`created_at`);