DROP INDEX `outbox_due`;--> statement-breakpoint
CREATE INDEX `outbox_claimed` ON `outbox` (`status`,`claimed_by`) WHERE claimed_by IS NOT NULL;--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`status`,`next_attempt_at`,`id`);