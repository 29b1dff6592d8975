CREATE TABLE "dot_votes" (
	"session_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"dots" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dot_votes_participant_id_item_id_pk" PRIMARY KEY("participant_id","item_id")
);
--> statement-breakpoint
CREATE TABLE "session_scores" (
	"session_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"part" text NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_scores_participant_id_item_id_part_pk" PRIMARY KEY("participant_id","item_id","part")
);
--> statement-breakpoint
ALTER TABLE "live_sessions" ADD COLUMN "guests_allowed" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "live_sessions" ADD COLUMN "voting" text DEFAULT 'not_open' NOT NULL;--> statement-breakpoint
ALTER TABLE "live_sessions" ADD COLUMN "results_revealed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "session_participants" ADD COLUMN "group_name" text;--> statement-breakpoint
ALTER TABLE "dot_votes" ADD CONSTRAINT "dot_votes_session_id_live_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dot_votes" ADD CONSTRAINT "dot_votes_participant_id_session_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."session_participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dot_votes" ADD CONSTRAINT "dot_votes_item_id_backlog_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."backlog_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_scores" ADD CONSTRAINT "session_scores_session_id_live_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_scores" ADD CONSTRAINT "session_scores_participant_id_session_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."session_participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_scores" ADD CONSTRAINT "session_scores_item_id_backlog_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."backlog_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dot_votes_session_idx" ON "dot_votes" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "session_scores_session_idx" ON "session_scores" USING btree ("session_id");