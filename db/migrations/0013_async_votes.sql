CREATE TABLE "async_vote_reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"reminder" text NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "async_vote_windows" (
	"session_id" uuid PRIMARY KEY NOT NULL,
	"opened_by" uuid,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"closed_at" timestamp with time zone,
	"early_voters" jsonb
);
--> statement-breakpoint
ALTER TABLE "async_vote_reminders" ADD CONSTRAINT "async_vote_reminders_session_id_live_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "async_vote_reminders" ADD CONSTRAINT "async_vote_reminders_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "async_vote_windows" ADD CONSTRAINT "async_vote_windows_session_id_live_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "async_vote_windows" ADD CONSTRAINT "async_vote_windows_opened_by_users_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "async_vote_reminders_once_idx" ON "async_vote_reminders" USING btree ("session_id","user_id","reminder","closes_at");--> statement-breakpoint
CREATE INDEX "async_vote_reminders_session_idx" ON "async_vote_reminders" USING btree ("session_id");