CREATE TYPE "public"."tracker_kind" AS ENUM('jira_cloud', 'jira_dc');--> statement-breakpoint
CREATE TABLE "tracker_connections" (
	"product_id" uuid PRIMARY KEY NOT NULL,
	"kind" "tracker_kind" NOT NULL,
	"base_url" text NOT NULL,
	"account_email" text,
	"secret" text NOT NULL,
	"account_name" text,
	"field_map" jsonb,
	"status_map" jsonb DEFAULT '{"accepted":null,"rejected":null}'::jsonb NOT NULL,
	"comment_decisions" boolean DEFAULT false NOT NULL,
	"scope" jsonb,
	"webhook_secret" text NOT NULL,
	"webhook_id" text,
	"pulled_until" timestamp with time zone,
	"last_sync_at" timestamp with time zone,
	"last_error" text,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracker_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"request" jsonb NOT NULL,
	"cursor" jsonb,
	"progress" jsonb DEFAULT '{"read":0,"total":null,"created":0,"updated":0,"unchanged":0,"failed":0}'::jsonb NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"not_before" timestamp with time zone,
	"requested_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tracker_links" (
	"item_id" uuid PRIMARY KEY NOT NULL,
	"product_id" uuid NOT NULL,
	"issue_key" text NOT NULL,
	"issue_id" text NOT NULL,
	"url" text NOT NULL,
	"base" jsonb NOT NULL,
	"deferred" jsonb,
	"issue_updated" text,
	"issue_status" text,
	"issue_status_category" text,
	"issue_priority" text,
	"issue_type" text,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracker_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"item_id" uuid,
	"push" jsonb NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"not_before" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "tracker_connections" ADD CONSTRAINT "tracker_connections_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracker_connections" ADD CONSTRAINT "tracker_connections_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracker_jobs" ADD CONSTRAINT "tracker_jobs_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracker_jobs" ADD CONSTRAINT "tracker_jobs_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracker_links" ADD CONSTRAINT "tracker_links_item_id_backlog_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."backlog_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracker_links" ADD CONSTRAINT "tracker_links_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracker_outbox" ADD CONSTRAINT "tracker_outbox_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracker_outbox" ADD CONSTRAINT "tracker_outbox_item_id_backlog_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."backlog_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tracker_jobs_product_idx" ON "tracker_jobs" USING btree ("product_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tracker_links_product_issue_idx" ON "tracker_links" USING btree ("product_id","issue_id");--> statement-breakpoint
CREATE INDEX "tracker_links_product_key_idx" ON "tracker_links" USING btree ("product_id","issue_key");--> statement-breakpoint
CREATE INDEX "tracker_outbox_pending_idx" ON "tracker_outbox" USING btree ("product_id","state","created_at");