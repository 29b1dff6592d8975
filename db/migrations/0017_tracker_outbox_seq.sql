DROP INDEX "tracker_outbox_pending_idx";--> statement-breakpoint
ALTER TABLE "tracker_outbox" ADD COLUMN "seq" bigserial NOT NULL;--> statement-breakpoint
CREATE INDEX "tracker_outbox_pending_idx" ON "tracker_outbox" USING btree ("product_id","state","seq");--> statement-breakpoint
-- Pushes queued before this column keep the order they had (their creation time), the same set of numbers.
UPDATE "tracker_outbox" AS o SET "seq" = r.n FROM (SELECT "id", row_number() OVER (ORDER BY "created_at", "seq") AS n FROM "tracker_outbox") AS r WHERE o."id" = r."id";
