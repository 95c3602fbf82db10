ALTER TABLE `sla_clocks` ADD `target_ms` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Clocks started before targets were recorded: their span is their target (exact for 24×7 without pauses).
UPDATE `sla_clocks` SET `target_ms` = `due_at` - `started_at`;
