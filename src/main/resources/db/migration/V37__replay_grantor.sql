-- Which mention caused a shared rules row (docs/reliability.md "Redelivered after the database commit"): a mention
-- redelivered after its batch's database commit is judged again as a replay, and its CRM commands leave under new JMS
-- message ids, which the CRM writer's written marks (keyed by message id) cannot tell from new work. A replay therefore
-- sends only what the replayed mention itself caused: a ledger row (reward, badge, leader) only when that mention
-- granted it, the advocate flag only when that mention changed it. Rewards and badges already name their mention
-- (mention_id); a leader row names none (it is about a period), so the mention that closed the period is kept here.
-- NULL: not known (rows granted before this version): a replay sends the row as before.
ALTER TABLE hearth_reward_ledger ADD COLUMN granted_by VARCHAR(512);
ALTER TABLE hearth_advocate_state ADD COLUMN changed_by VARCHAR(512);
