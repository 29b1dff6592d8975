-- Ranks are fractional-index keys compared byte by byte; a locale collation (e.g. en_US) would misorder them.
ALTER TABLE "backlog_items" ALTER COLUMN "rank" TYPE text COLLATE "C";--> statement-breakpoint
-- The decision log is append-only: nobody, the application included, can edit or delete an entry.
CREATE OR REPLACE FUNCTION refuse_decision_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'decision log entries cannot be changed or deleted' USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON "decisions"
  FOR EACH ROW EXECUTE FUNCTION refuse_decision_change();--> statement-breakpoint
CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON "decisions"
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_decision_change();
