CREATE TYPE "public"."request_channel" AS ENUM('direct', 'around_po');--> statement-breakpoint
CREATE TYPE "public"."request_state" AS ENUM('new', 'needs_info', 'accepted', 'merged', 'declined');--> statement-breakpoint
CREATE TABLE "prioritisation_criteria_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"methods" text[] NOT NULL,
	"wsjf_weights" jsonb NOT NULL,
	"urgency" text DEFAULT '' NOT NULL,
	"agreed_in_session_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "product_request_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" uuid,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"author" text NOT NULL,
	"author_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stakeholder_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"title" text NOT NULL,
	"problem" text NOT NULL,
	"who_has_it" text DEFAULT '' NOT NULL,
	"expected_value" text DEFAULT '' NOT NULL,
	"deadline" date,
	"urgent" boolean DEFAULT false NOT NULL,
	"requester_id" uuid,
	"requester_name" text,
	"follow_token_hash" text,
	"link_id" uuid,
	"channel" "request_channel" DEFAULT 'direct' NOT NULL,
	"state" "request_state" DEFAULT 'new' NOT NULL,
	"answer" text DEFAULT '' NOT NULL,
	"item_id" uuid,
	"criteria_version_id" uuid,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "prioritisation_criteria_versions" ADD CONSTRAINT "prioritisation_criteria_versions_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prioritisation_criteria_versions" ADD CONSTRAINT "prioritisation_criteria_versions_agreed_in_session_id_live_sessions_id_fk" FOREIGN KEY ("agreed_in_session_id") REFERENCES "public"."live_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prioritisation_criteria_versions" ADD CONSTRAINT "prioritisation_criteria_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_request_links" ADD CONSTRAINT "product_request_links_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_request_links" ADD CONSTRAINT "product_request_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_messages" ADD CONSTRAINT "request_messages_request_id_stakeholder_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."stakeholder_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_messages" ADD CONSTRAINT "request_messages_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stakeholder_requests" ADD CONSTRAINT "stakeholder_requests_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stakeholder_requests" ADD CONSTRAINT "stakeholder_requests_requester_id_users_id_fk" FOREIGN KEY ("requester_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stakeholder_requests" ADD CONSTRAINT "stakeholder_requests_link_id_product_request_links_id_fk" FOREIGN KEY ("link_id") REFERENCES "public"."product_request_links"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stakeholder_requests" ADD CONSTRAINT "stakeholder_requests_item_id_backlog_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."backlog_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stakeholder_requests" ADD CONSTRAINT "stakeholder_requests_criteria_version_id_prioritisation_criteria_versions_id_fk" FOREIGN KEY ("criteria_version_id") REFERENCES "public"."prioritisation_criteria_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stakeholder_requests" ADD CONSTRAINT "stakeholder_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "criteria_versions_product_version_idx" ON "prioritisation_criteria_versions" USING btree ("product_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "request_links_token_idx" ON "product_request_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "request_links_product_idx" ON "product_request_links" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "request_messages_request_idx" ON "request_messages" USING btree ("request_id","created_at");--> statement-breakpoint
CREATE INDEX "requests_product_idx" ON "stakeholder_requests" USING btree ("product_id","created_at");--> statement-breakpoint
CREATE INDEX "requests_requester_idx" ON "stakeholder_requests" USING btree ("requester_id");--> statement-breakpoint
CREATE INDEX "requests_item_idx" ON "stakeholder_requests" USING btree ("item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "requests_follow_token_idx" ON "stakeholder_requests" USING btree ("follow_token_hash");