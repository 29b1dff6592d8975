CREATE TABLE "live_updates_refused" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"document_name" text NOT NULL,
	"update_id" bigint,
	"update" "bytea" NOT NULL,
	"error" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "live_updates_refused_document_idx" ON "live_updates_refused" USING btree ("document_name");