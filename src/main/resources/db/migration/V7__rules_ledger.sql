-- The rules' own state (io.hearth.rules, docs/rules.md). Every write is insert-once by a deterministic key, so a
-- redelivered or replayed mention finds its row and grants nothing again; caps, totals and leaderboards are sums over
-- the ledger, so they are exact.
CREATE TABLE hearth_reward_ledger (
    reward_key   VARCHAR(700)  NOT NULL PRIMARY KEY,  -- rule + contact + mention or period (also Social_Reward__c.External_Id__c)
    rule_key     VARCHAR(64)   NOT NULL,              -- reward key, badge:<name>, leader:<board>
    contact_id   VARCHAR(18)   NOT NULL,
    mention_id   VARCHAR(512),                        -- the mention the reward was observed in
    points       BIGINT        NOT NULL,
    badge        VARCHAR(80),
    reach        BIGINT,                              -- followers × (1 + engagement) of the observed post
    occurred_at  TIMESTAMP     NOT NULL,              -- the post's time: caps, periods and leaderboards count by it
    day_key      VARCHAR(10)   NOT NULL,              -- yyyy-MM-dd (UTC) of occurred_at
    month_key    VARCHAR(7)    NOT NULL,              -- yyyy-MM
    awarded_at   TIMESTAMP     NOT NULL               -- when the hub granted it
);
CREATE INDEX hearth_reward_ledger_contact ON hearth_reward_ledger (contact_id, rule_key, day_key);
CREATE INDEX hearth_reward_ledger_rule ON hearth_reward_ledger (rule_key, month_key);

-- Current advocate tier per contact (hysteresis needs to know where a contact is now).
CREATE TABLE hearth_advocate_state (
    contact_id   VARCHAR(18)   NOT NULL PRIMARY KEY,
    tier         VARCHAR(40),                         -- null: not an advocate (any more)
    since        TIMESTAMP,                           -- became an advocate (any tier); kept across tier changes
    changed_at   TIMESTAMP     NOT NULL
);

-- Service cases the hub opened: one per conversation (case_key = Case.Social_Conversation_Id__c).
CREATE TABLE hearth_case_state (
    case_key         VARCHAR(600)  NOT NULL PRIMARY KEY,
    author_key       VARCHAR(64)   NOT NULL,          -- pseudonymous author of the opening post
    contact_id       VARCHAR(18),
    opened_mention   VARCHAR(512)  NOT NULL,
    opened_at        TIMESTAMP     NOT NULL,
    last_at          TIMESTAMP     NOT NULL
);
CREATE INDEX hearth_case_state_author ON hearth_case_state (author_key, last_at);

-- Which mention belongs to which case (conversation key → case); a follow-up finds its case here.
CREATE TABLE hearth_case_mention (
    mention_id       VARCHAR(512)  NOT NULL PRIMARY KEY,
    conversation_key VARCHAR(600)  NOT NULL,
    case_key         VARCHAR(600)  NOT NULL,
    created_at       TIMESTAMP     NOT NULL
);
CREATE INDEX hearth_case_mention_conversation ON hearth_case_mention (conversation_key);
CREATE INDEX hearth_case_mention_case ON hearth_case_mention (case_key, created_at);
