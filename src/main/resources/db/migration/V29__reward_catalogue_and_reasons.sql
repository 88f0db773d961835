-- Issue 13: catalogue items granted by rewards, and the reason behind every reward, advocate flag and case
-- (io.hearth.rules.CatalogueStore, io.hearth.rules.RuleReasons; docs/rules.md).

-- One row per reward that granted a catalogue item, insert-once by the reward's key (a redelivered or replayed mention
-- finds its item). Stock and "never twice to one person" hold under concurrency by unique keys, not by reads: a grant
-- takes the item's next stock unit (1..stock) and the contact's next unit of it (1..per-contact); two consumers racing
-- for the same unit collide on the key and the loser takes the next one or none.
CREATE TABLE hearth_catalogue_grant (
    reward_key    VARCHAR(700)  NOT NULL PRIMARY KEY,  -- = hearth_reward_ledger.reward_key
    item_key      VARCHAR(64)   NOT NULL,
    unit          INT           NOT NULL,              -- which unit of the item's stock this grant took
    contact_id    VARCHAR(18)   NOT NULL,
    contact_unit  INT           NOT NULL,              -- the contact's n-th unit of this item
    reason        VARCHAR(255)  NOT NULL,              -- why this item: the matching interests
    granted_at    TIMESTAMP     NOT NULL,
    CONSTRAINT hearth_catalogue_grant_unit UNIQUE (item_key, unit),
    CONSTRAINT hearth_catalogue_grant_contact UNIQUE (item_key, contact_id, contact_unit)
);
CREATE INDEX hearth_catalogue_grant_contact_id ON hearth_catalogue_grant (contact_id);

-- The rule and one-line reason behind a CRM record the rules wrote: a reward (its key), an advocate flag
-- (advocate:<contact>, replaced when the tier changes), a case (its Social_Conversation_Id__c). Replays send it again.
CREATE TABLE hearth_rule_reason (
    record_key   VARCHAR(700)  NOT NULL PRIMARY KEY,
    contact_id   VARCHAR(18),
    rule_key     VARCHAR(120)  NOT NULL,
    reason       VARCHAR(255)  NOT NULL,
    decided_at   TIMESTAMP     NOT NULL
);
CREATE INDEX hearth_rule_reason_contact ON hearth_rule_reason (contact_id);
