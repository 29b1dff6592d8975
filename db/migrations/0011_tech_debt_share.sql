ALTER TABLE "backlog_items" ADD COLUMN "debt_impact" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "tech_debt_share" integer;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_tech_debt_share_range" CHECK ("products"."tech_debt_share" between 0 and 100);