-- Challenge winners (rules: action challenge, winners N) claim one of N numbered slots, insert-once. Two consumers
-- judging two right answers at once both saw fewer than N holders and both granted (issue 18 item 4); a slot's primary
-- key makes the second insert wait for the first transaction and then take the next slot, or none.
CREATE TABLE hearth_challenge_slot (
    rule_key    VARCHAR(64)  NOT NULL,
    slot        INTEGER      NOT NULL,   -- 0 .. winners - 1
    contact_id  VARCHAR(18)  NOT NULL,
    PRIMARY KEY (rule_key, slot)
);
