-- Two-way social service (io.hearth.service, docs/service.md).

-- The brand's first answer in a case's conversation (one row per case, insert-once; an earlier answer seen later
-- moves it back). case_key = Case.Social_Conversation_Id__c.
CREATE TABLE hearth_case_response (
    case_key           VARCHAR(600)  NOT NULL PRIMARY KEY,
    channel            VARCHAR(40)   NOT NULL,
    opened_at          TIMESTAMP     NOT NULL,     -- the case's first post
    first_response_at  TIMESTAMP     NOT NULL,     -- the brand's first post (or posted reply) after it
    first_response_id  VARCHAR(512)  NOT NULL,     -- the brand post's mention id (channel:nativeId)
    recorded_at        TIMESTAMP     NOT NULL
);

-- Agents' replies from the CRM (Social_Reply__c) and where each one is: the outbound exactly-once ledger.
-- state: queued (read from the CRM, on service.replies) -> posting (written before the channel call) -> posted | failed.
CREATE TABLE hearth_social_reply (
    reply_id      VARCHAR(18)    NOT NULL PRIMARY KEY,  -- Social_Reply__c.Id: the idempotency key
    case_key      VARCHAR(600)   NOT NULL,
    channel       VARCHAR(40),
    state         VARCHAR(16)    NOT NULL,
    attempts      INT            NOT NULL,
    posted_id     VARCHAR(512),                         -- the channel's id of the posted reply (tweet id, status id, at:// uri)
    posted_url    VARCHAR(1000),                        -- its link, where the channel gives one
    reason        VARCHAR(1000),                        -- why it failed
    created_at    TIMESTAMP      NOT NULL,
    updated_at    TIMESTAMP      NOT NULL
);
CREATE INDEX hearth_social_reply_case ON hearth_social_reply (case_key);
