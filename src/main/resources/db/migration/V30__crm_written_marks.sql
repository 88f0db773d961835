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
