-- Dedup ledger of the normalise stage: one row per mention id (channel:nativeId) that entered
-- social.mentions. source_ref names the inbound message (and position in it) that first carried
-- the mention, so a redelivery of that same message after a crash is told apart from a replay.
CREATE TABLE hearth_processed_mention (
    mention_id    VARCHAR(512) NOT NULL PRIMARY KEY,
    source_ref    VARCHAR(256) NOT NULL,
    first_seen_at TIMESTAMP    NOT NULL
);
CREATE INDEX hearth_processed_mention_seen ON hearth_processed_mention (first_seen_at);
