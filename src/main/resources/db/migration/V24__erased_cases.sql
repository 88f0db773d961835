-- Privacy (docs/privacy.md, erasure): service cases of erased people. The CRM writer drops Case upserts still queued
-- for them (Case.Social_Conversation_Id__c = the case key). Kept as SHA-256 of the case key: the key names a post.
CREATE TABLE hearth_erased_case (
    case_key_hash VARCHAR(64) NOT NULL PRIMARY KEY,
    erased_at     TIMESTAMP   NOT NULL
);
