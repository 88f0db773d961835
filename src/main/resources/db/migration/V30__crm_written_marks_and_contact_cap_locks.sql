-- Issue 18 (kill -9 rewrites): the CRM writer's durable "written" marks (io.hearth.crm.CrmWrittenMarks,
-- docs/crm-commands.md "Exactly once into the CRM"). A crm.outbound message is marked here, auto-committed, right after
-- Salesforce answered that its record was written, and the mark is deleted once the message's JMS batch commits.
-- A message redelivered after a crash (kill -9, a failed commit) between those two points finds its mark and is not
-- sent again. Rows that outlive their batch (a crash after the JMS commit) are purged by age.
CREATE TABLE hearth_crm_written (
    message_id  VARCHAR(200)  NOT NULL PRIMARY KEY,   -- JMSMessageID of the crm.outbound message (stable on redelivery)
    written_at  TIMESTAMP     NOT NULL
);
CREATE INDEX hearth_crm_written_at ON hearth_crm_written (written_at);

-- Issue 18 item 4: per-contact caps raced across one contact's several handles (message groups are per author, so two
-- handles of one contact can be judged by two consumers at once; both read the same points used today and together
-- exceeded the cap). The rules judge takes this row's lock (insert once, then UPDATE) before it reads a contact's
-- usage, inside the enrich batch's transaction (io.hearth.rules.RulesStore#lockContactCaps): the second consumer waits
-- for the first batch's commit and then reads its grants.
CREATE TABLE hearth_contact_cap_lock (
    contact_id  VARCHAR(18)  NOT NULL PRIMARY KEY,
    version     BIGINT       NOT NULL
);

-- Issue 18 item 11: io.hearth.privacy.PrivacyStore refreshes its deleted-post list incrementally (rows stamped since
-- the newest one seen) instead of re-reading the whole table every 2 s; processed rows leave with the retention window.
CREATE INDEX hearth_deleted_post_at ON hearth_deleted_post (deleted_at);
