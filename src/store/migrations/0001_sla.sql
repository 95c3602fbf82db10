CREATE TABLE `sla_clocks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`target` text NOT NULL,
	`started_at` integer NOT NULL,
	`warn_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`paused_at` integer,
	`stopped_at` integer,
	`warned_at` integer,
	`breached_at` integer,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sla_clocks_ticket` ON `sla_clocks` (`ticket_id`,`target`);--> statement-breakpoint
CREATE INDEX `sla_clocks_warn_pending` ON `sla_clocks` (`warn_at`) WHERE stopped_at IS NULL AND warned_at IS NULL;--> statement-breakpoint
CREATE INDEX `sla_clocks_breach_pending` ON `sla_clocks` (`due_at`) WHERE stopped_at IS NULL AND breached_at IS NULL;--> statement-breakpoint
CREATE INDEX `sla_clocks_stopped` ON `sla_clocks` (`stopped_at`);--> statement-breakpoint
CREATE INDEX `sla_clocks_due` ON `sla_clocks` (`due_at`);--> statement-breakpoint
CREATE INDEX `tickets_created` ON `tickets` (`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_resolved` ON `tickets` (`resolved_at`);