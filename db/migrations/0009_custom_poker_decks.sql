ALTER TABLE "products" ADD COLUMN "poker_decks" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "estimate_rounds" ADD COLUMN "cards" jsonb;