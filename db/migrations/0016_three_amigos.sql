ALTER TYPE "public"."session_kind" ADD VALUE 'three_amigos';--> statement-breakpoint
CREATE TABLE "three_amigos_marks" (
	"session_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "three_amigos_marks_session_id_user_id_pk" PRIMARY KEY("session_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "three_amigos_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"linked_item_id" uuid,
	"author_id" uuid,
	"answered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "three_amigos_marks" ADD CONSTRAINT "three_amigos_marks_session_id_live_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "three_amigos_marks" ADD CONSTRAINT "three_amigos_marks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "three_amigos_notes" ADD CONSTRAINT "three_amigos_notes_session_id_live_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."live_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "three_amigos_notes" ADD CONSTRAINT "three_amigos_notes_linked_item_id_backlog_items_id_fk" FOREIGN KEY ("linked_item_id") REFERENCES "public"."backlog_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "three_amigos_notes" ADD CONSTRAINT "three_amigos_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "three_amigos_notes_session_idx" ON "three_amigos_notes" USING btree ("session_id","created_at");