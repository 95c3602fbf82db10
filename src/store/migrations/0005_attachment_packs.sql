ALTER TABLE `attachments` ADD `pack` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `attachments` ADD `offset` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `attachments_sha256` ON `attachments` (`sha256`);