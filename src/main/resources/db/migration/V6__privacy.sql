-- Privacy (docs/privacy.md): erasure requests, the suppression list, erased contacts, deleted posts, the audit trail.
-- No clear handle, contact id or post text outlives the work that needs it: subjects are kept as SHA-256 keys.

-- Erasure requests (POST /api/erasure), worked off by job-erasure; a request survives restarts until done.
-- contact_id / channel / handle hold the subject only while the request is open; they are cleared when it is done.
CREATE TABLE hearth_erasure_request (
    erasure_id   VARCHAR(36)   NOT NULL PRIMARY KEY,
    subject_kind VARCHAR(16)   NOT NULL,              -- contact | handle
    subject_key  VARCHAR(64)   NOT NULL,              -- hex SHA-256 of the subject (PrivacyKeys)
    contact_id   VARCHAR(18),                         -- cleared when done
    channel      VARCHAR(32),
    handle       VARCHAR(255),                        -- cleared when done
    status       VARCHAR(16)   NOT NULL,              -- pending | running | done | failed
    requested_by VARCHAR(64)   NOT NULL,
    requested_at TIMESTAMP     NOT NULL,
    started_at   TIMESTAMP,
    finished_at  TIMESTAMP,
    attempts     INTEGER       NOT NULL,
    last_error   VARCHAR(500),                        -- exception type and Salesforce code only
    counts       VARCHAR(2000)                        -- JSON: what was erased, numbers only
);
CREATE INDEX hearth_erasure_request_status ON hearth_erasure_request (status, requested_at);

-- Authors whose mentions are never linked nor kept (author_key as in hearth_mention_log: SHA-256 of channel:handle).
CREATE TABLE hearth_suppressed_author (
    author_key    VARCHAR(64) NOT NULL PRIMARY KEY,
    suppressed_at TIMESTAMP   NOT NULL
);

-- Erased contacts (SHA-256 of the 15-character contact id): the CRM writer drops commands for them.
CREATE TABLE hearth_erased_contact (
    contact_key VARCHAR(64) NOT NULL PRIMARY KEY,
    erased_at   TIMESTAMP   NOT NULL
);

-- Posts their authors deleted (X tweet_delete_events, DELETE /api/mentions/{id}): removed from the hub and the CRM by
-- job-erasure, and a create still queued for one is dropped. mention_id is channel:nativeId (no personal data).
CREATE TABLE hearth_deleted_post (
    mention_id   VARCHAR(512) NOT NULL PRIMARY KEY,
    deleted_at   TIMESTAMP    NOT NULL,
    requested_by VARCHAR(64)  NOT NULL,                -- channel:<name> (a delete event) or api
    processed_at TIMESTAMP,
    attempts     INTEGER      NOT NULL
);
CREATE INDEX hearth_deleted_post_open ON hearth_deleted_post (processed_at);

-- What privacy jobs did: who asked, when, what kind of subject (hashed), counts. Never personal data.
CREATE TABLE hearth_privacy_audit (
    audit_id     VARCHAR(36)   NOT NULL PRIMARY KEY,
    action       VARCHAR(32)   NOT NULL,              -- erasure | post-deletion | retention
    actor        VARCHAR(64)   NOT NULL,
    subject_kind VARCHAR(16),
    subject_key  VARCHAR(64),
    reference    VARCHAR(36),                         -- the erasure id, if any
    occurred_at  TIMESTAMP     NOT NULL,
    counts       VARCHAR(2000) NOT NULL               -- JSON, numbers only
);
CREATE INDEX hearth_privacy_audit_at ON hearth_privacy_audit (occurred_at);
