-- The enrich stage's record of every mention it processed (one row per mention id, written once: a redelivery finds
-- its row and changes nothing). Rolling per-contact statistics (30/90 days: counts, sentiment, influence, interests)
-- are computed from it, so the Contact aggregates Hearth writes are absolute values and a replay rewrites the same.
-- Privacy (docs/privacy.md): the author is kept as a pseudonym (author_key = SHA-256 of channel:normalised handle);
-- the clear handle and the post text are kept only until the retention job purges them (text_purged_at).
CREATE TABLE hearth_mention_log (
    mention_id      VARCHAR(512)  NOT NULL PRIMARY KEY,  -- channel:nativeId
    channel         VARCHAR(32)   NOT NULL,
    author_key      VARCHAR(64)   NOT NULL,              -- hex SHA-256 of channel:normalised-handle
    contact_id      VARCHAR(18),                         -- the matched contact; null: unknown author
    consent         BOOLEAN       NOT NULL,              -- the contact had consented when the mention was processed
    kind            VARCHAR(16),
    created_at      TIMESTAMP     NOT NULL,              -- when the post was made (the channel's time, UTC)
    processed_at    TIMESTAMP     NOT NULL,
    sentiment       DOUBLE PRECISION,
    intent          VARCHAR(16),
    influence       INTEGER,
    followers       BIGINT,
    engagement      BIGINT,                              -- likes + reposts + replies + quotes
    interests       VARCHAR(2000),                       -- space-separated interest keys (#tag, topic)
    conversation_id VARCHAR(512),
    handle          VARCHAR(255),                        -- clear handle: purged with the text
    text            VARCHAR(100000),                     -- purged after the retention window
    text_purged_at  TIMESTAMP
);
CREATE INDEX hearth_mention_log_contact ON hearth_mention_log (contact_id, created_at);
CREATE INDEX hearth_mention_log_author ON hearth_mention_log (author_key);
CREATE INDEX hearth_mention_log_processed ON hearth_mention_log (processed_at);
