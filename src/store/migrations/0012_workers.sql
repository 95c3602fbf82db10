CREATE TABLE `leases` (
	`name` text PRIMARY KEY NOT NULL,
	`worker_id` text NOT NULL,
	`acquired_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `periodic_runs` (
	`name` text PRIMARY KEY NOT NULL,
	`period` integer NOT NULL,
	`worker_id` text NOT NULL,
	`started_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `workers` (
	`id` text PRIMARY KEY NOT NULL,
	`host` text NOT NULL,
	`pid` integer NOT NULL,
	`started_at` integer NOT NULL,
	`heartbeat_at` integer NOT NULL,
	`stopped_at` integer
);
--> statement-breakpoint
ALTER TABLE `outbox` ADD `claimed_by` text;