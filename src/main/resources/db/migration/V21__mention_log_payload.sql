-- Issue 10 (late attribution) and issue 13 (rules backfill): the canonical mention's JSON, kept with the row so a stored
-- mention can be judged again as if it were new (an author who became a known contact later; rules changed). Purged
-- with the text and handle by the retention job (docs/privacy.md); null for erased authors and for rows written before
-- this migration (those are not judged again).
ALTER TABLE hearth_mention_log ADD COLUMN mention_json VARCHAR(200000);
