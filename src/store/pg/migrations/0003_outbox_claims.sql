DROP INDEX "outbox_due";--> statement-breakpoint
CREATE INDEX "outbox_claimed" ON "outbox" USING btree ("status","claimed_by") WHERE claimed_by IS NOT NULL;--> statement-breakpoint
CREATE INDEX "outbox_due" ON "outbox" USING btree ("status","next_attempt_at","id");