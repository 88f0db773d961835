-- When the enrich stage's judges (rules: rewards, advocates, cases) finished with a mention. A mention recorded in the
-- log but not judged (the hub crashed in between) is judged again on redelivery, as new; a judged one only repeats
-- what it caused (the judges' ledgers are insert-once, so nothing is granted twice either way).
ALTER TABLE hearth_mention_log ADD COLUMN judged_at TIMESTAMP;
