-- Issue 13: reward triggers (io.hearth.rules.triggers, docs/rules.md "Reward triggers") and the rules backfill
-- (io.hearth.rules.backfill, docs/rules.md "Backfill").

-- The outbox of reward triggers: one row per granted reward and target (salesforce: the Hearth_Reward__e platform
-- event; webhook: the signed HTTP call), written insert-once in the same transaction as the grant, with its body fixed
-- there: every send of an event id carries the same body. The job job-reward-triggers puts unqueued rows on the queue
-- rewards.triggers (queued_at); the sender marks them delivered (delivered_at) after the target accepted them.
CREATE TABLE hearth_reward_trigger (
    event_id      VARCHAR(255)  NOT NULL,              -- = Social_Reward__c.External_Id__c (the reward key)
    target        VARCHAR(16)   NOT NULL,              -- salesforce | webhook
    contact_id    VARCHAR(18),                          -- null after erasure
    body          VARCHAR(8000) NOT NULL,               -- the JSON sent, fixed at grant time
    created_at    TIMESTAMP     NOT NULL,
    queued_at     TIMESTAMP,
    delivered_at  TIMESTAMP,
    PRIMARY KEY (event_id, target)
);
CREATE INDEX hearth_reward_trigger_queued ON hearth_reward_trigger (queued_at, created_at);
CREATE INDEX hearth_reward_trigger_contact ON hearth_reward_trigger (contact_id);

-- Backfill runs (POST /api/rules/backfill): what was asked, and the run's state.
CREATE TABLE hearth_rules_backfill (
    id            VARCHAR(40)   NOT NULL PRIMARY KEY,
    from_day      DATE          NOT NULL,
    until_day     DATE          NOT NULL,              -- inclusive
    rules         VARCHAR(4000),                        -- comma-separated reward keys; null: every rule
    cases         BOOLEAN       NOT NULL,
    state         VARCHAR(10)   NOT NULL,              -- pending | running | done | failed
    total         INT,                                  -- mentions put back (known once the job selected them)
    error         VARCHAR(500),
    requested_at  TIMESTAMP     NOT NULL,
    started_at    TIMESTAMP,
    sent_at       TIMESTAMP                             -- every selected mention is on social.mentions
);

-- One row per backfilled mention the enrich stage judged (insert-once, with the batch): done = the count; what that
-- judgement added. A mention put back twice (a job crash while sending) counts once.
CREATE TABLE hearth_rules_backfill_mention (
    backfill_id    VARCHAR(40)  NOT NULL,
    mention_id     VARCHAR(512) NOT NULL,
    rewards_added  INT          NOT NULL,
    flags_changed  INT          NOT NULL,
    PRIMARY KEY (backfill_id, mention_id)
);
