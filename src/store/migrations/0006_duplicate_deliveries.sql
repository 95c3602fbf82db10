CREATE TABLE `duplicate_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` integer NOT NULL,
	`raw_sha256` text NOT NULL,
	`raw_size` integer NOT NULL,
	`raw_pack` text NOT NULL,
	`raw_offset` integer NOT NULL,
	`source` text NOT NULL,
	`mailbox` text NOT NULL,
	`received_at` integer NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `duplicate_deliveries_raw` ON `duplicate_deliveries` (`raw_sha256`);--> statement-breakpoint
ALTER TABLE `messages` ADD `content_hash` text;