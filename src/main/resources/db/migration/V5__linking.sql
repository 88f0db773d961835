-- Verified linking (docs/privacy.md, io.hearth.identity.linking): one-time codes the loyalty site asks for
-- (POST /api/links), the wrong codes each author posted (lock-out), and identities the hub linked itself.
-- Codes are kept only as SHA-256 hashes: the state database never holds a usable code.
CREATE TABLE hearth_link_code (
    code_hash       VARCHAR(64)  NOT NULL PRIMARY KEY,   -- hex SHA-256 of the code (upper case)
    contact_id      VARCHAR(18)  NOT NULL,
    channel         VARCHAR(32)  NOT NULL,
    consent         BOOLEAN,                             -- the contact's consent when the code was issued
    issued_at       TIMESTAMP    NOT NULL,
    expires_at      TIMESTAMP    NOT NULL,
    used_at         TIMESTAMP,                           -- single use: set by the mention that linked
    used_by_mention VARCHAR(512),                        -- that mention's id (a redelivery of it links again, idempotently)
    used_author_key VARCHAR(64)                          -- hex SHA-256 of channel:handle of the linked author (no clear handle)
);
CREATE INDEX hearth_link_code_expires ON hearth_link_code (expires_at);

-- One row per wrong code posted; the author is a pseudonym (hex SHA-256 of channel:normalised handle).
CREATE TABLE hearth_link_failure (
    author_key   VARCHAR(64) NOT NULL,
    attempted_at TIMESTAMP   NOT NULL,
    mention_id   VARCHAR(512) NOT NULL
);
CREATE INDEX hearth_link_failure_author ON hearth_link_failure (author_key, attempted_at);

-- A directory row the hub inserted when it linked an author (before the CRM has the Social_Identity__c): the directory
-- sync's full load keeps it (it cannot have seen it yet) until the load sees the CRM's record or the grace period ends.
ALTER TABLE hearth_contact_directory ADD COLUMN linked_at TIMESTAMP;
