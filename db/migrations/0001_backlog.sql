CREATE TYPE "public"."kano_category" AS ENUM('must_be', 'performance', 'attractive', 'indifferent', 'reverse', 'questionable');--> statement-breakpoint
CREATE TYPE "public"."moscow" AS ENUM('must', 'should', 'could', 'wont');--> statement-breakpoint
CREATE TYPE "public"."outcome" AS ENUM('moved', 'not_moved', 'unknown');--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"product_id" uuid NOT NULL,
	"item_id" uuid,
	"actor_id" uuid,
	"kind" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"reason" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "item_dependencies" (
	"item_id" uuid NOT NULL,
	"blocked_by_id" uuid NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "item_dependencies_item_id_blocked_by_id_pk" PRIMARY KEY("item_id","blocked_by_id")
);
--> statement-breakpoint
DROP INDEX "backlog_items_product_rank_idx";--> statement-breakpoint
ALTER TABLE "backlog_items" ADD COLUMN "archived_from_status" "item_status";--> statement-breakpoint
ALTER TABLE "backlog_items" ADD COLUMN "labels" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "backlog_items" ADD COLUMN "moscow" "moscow";--> statement-breakpoint
ALTER TABLE "backlog_items" ADD COLUMN "user_business_value" integer;--> statement-breakpoint
ALTER TABLE "backlog_items" ADD COLUMN "time_criticality" integer;--> statement-breakpoint
ALTER TABLE "backlog_items" ADD COLUMN "risk_reduction" integer;--> statement-breakpoint
ALTER TABLE "backlog_items" ADD COLUMN "job_size" integer;--> statement-breakpoint
ALTER TABLE "backlog_items" ADD COLUMN "wsjf" double precision;--> statement-breakpoint
ALTER TABLE "backlog_items" ADD COLUMN "kano" "kano_category";--> statement-breakpoint
ALTER TABLE "backlog_items" ADD COLUMN "impact_hypothesis" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "backlog_items" ADD COLUMN "success_metric" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "backlog_items" ADD COLUMN "outcome" "outcome";--> statement-breakpoint
ALTER TABLE "backlog_items" ADD COLUMN "criteria" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "backlog_items" ADD COLUMN "ready_checks" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "backlog_items" ADD COLUMN "ready_override_reason" text;--> statement-breakpoint
ALTER TABLE "backlog_items" ADD COLUMN "external_key" text;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "definition_of_ready" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "definition_of_done" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "item_dependencies" ADD CONSTRAINT "item_dependencies_item_id_backlog_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."backlog_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "item_dependencies" ADD CONSTRAINT "item_dependencies_blocked_by_id_backlog_items_id_fk" FOREIGN KEY ("blocked_by_id") REFERENCES "public"."backlog_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "item_dependencies" ADD CONSTRAINT "item_dependencies_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "decisions_product_idx" ON "decisions" USING btree ("product_id","id");--> statement-breakpoint
CREATE INDEX "decisions_item_idx" ON "decisions" USING btree ("item_id","id");--> statement-breakpoint
CREATE INDEX "item_dependencies_blocker_idx" ON "item_dependencies" USING btree ("blocked_by_id");--> statement-breakpoint
CREATE INDEX "backlog_items_parent_idx" ON "backlog_items" USING btree ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "backlog_items_product_rank_idx" ON "backlog_items" USING btree ("product_id","rank");