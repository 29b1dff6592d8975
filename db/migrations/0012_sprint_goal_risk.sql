CREATE TYPE "public"."goal_risk_event_kind" AS ENUM('at_risk', 'back_on_track', 'response');--> statement-breakpoint
CREATE TYPE "public"."goal_risk_response_kind" AS ENUM('scope_cut', 'swap', 'accept_risk');--> statement-breakpoint
CREATE TABLE "sprint_goal_risk_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sprint_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"kind" "goal_risk_event_kind" NOT NULL,
	"seq" integer,
	"projection" jsonb,
	"response" "goal_risk_response_kind",
	"note" text DEFAULT '' NOT NULL,
	"actor_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sprint_goal_risk_events" ADD CONSTRAINT "sprint_goal_risk_events_sprint_id_sprints_id_fk" FOREIGN KEY ("sprint_id") REFERENCES "public"."sprints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sprint_goal_risk_events" ADD CONSTRAINT "sprint_goal_risk_events_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sprint_goal_risk_events" ADD CONSTRAINT "sprint_goal_risk_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sprint_goal_risk_events_sprint_idx" ON "sprint_goal_risk_events" USING btree ("sprint_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sprint_goal_risk_events_seq_idx" ON "sprint_goal_risk_events" USING btree ("sprint_id","seq");