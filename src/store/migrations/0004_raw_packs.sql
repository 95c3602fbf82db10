ALTER TABLE `messages` ADD `raw_pack` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `raw_offset` integer;--> statement-breakpoint
ALTER TABLE `quarantine` ADD `raw_pack` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `quarantine` ADD `raw_offset` integer DEFAULT 0 NOT NULL;