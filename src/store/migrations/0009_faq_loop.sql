CREATE TABLE `faq_feedback` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`helpful` integer NOT NULL,
	`sender` text NOT NULL,
	`comment` text DEFAULT '' NOT NULL,
	`ticket_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `faq_feedback_slug` ON `faq_feedback` (`slug`,`created_at`);--> statement-breakpoint
CREATE INDEX `faq_feedback_sender` ON `faq_feedback` (`sender`,`created_at`);--> statement-breakpoint
CREATE TABLE `faq_matches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`slug` text NOT NULL,
	`language` text NOT NULL,
	`score` real NOT NULL,
	`rank` integer NOT NULL,
	`suggested` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `faq_matches_ticket` ON `faq_matches` (`ticket_id`);--> statement-breakpoint
CREATE INDEX `faq_matches_slug` ON `faq_matches` (`slug`,`created_at`);--> statement-breakpoint
ALTER TABLE `customers` ADD `stage_set_by` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `type` text DEFAULT 'question' NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `customer_stage` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `resolution` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `self_served_faq` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `rating` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `rating_comment` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `rated_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `follow_up_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `follow_up_sent_at` integer;--> statement-breakpoint
CREATE INDEX `tickets_follow_up` ON `tickets` (`follow_up_at`) WHERE follow_up_sent_at IS NULL;