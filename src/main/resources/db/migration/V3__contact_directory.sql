-- The contact directory: Social_Identity__c records (with their contact's Social_Consent__c) copied from the CRM by
-- the job-directory-sync route, so matching a mention's author to a contact costs no API call. One row per identity
-- record; looked up by (channel, handle), handle normalised by io.hearth.identity.HandleNormaliser.
CREATE TABLE hearth_contact_directory (
    identity_id     VARCHAR(18)  NOT NULL PRIMARY KEY,  -- Social_Identity__c.Id
    channel         VARCHAR(32)  NOT NULL,
    handle          VARCHAR(255) NOT NULL,              -- normalised
    raw_handle      VARCHAR(255),                       -- Handle__c as the CRM holds it
    external_id     VARCHAR(300),                       -- External_Id__c (channel:normalised-handle)
    contact_id      VARCHAR(18),                        -- Contact__c
    verified        BOOLEAN      NOT NULL,
    consent         BOOLEAN,                            -- Contact__r.Social_Consent__c; null: not set
    system_modstamp TIMESTAMP    NOT NULL,              -- the identity's SystemModstamp (UTC)
    synced_at       TIMESTAMP    NOT NULL,
    sync_run        BIGINT       NOT NULL               -- the full load that last saw it (deleted ones are dropped)
);
CREATE INDEX hearth_contact_directory_handle ON hearth_contact_directory (channel, handle);
CREATE INDEX hearth_contact_directory_contact ON hearth_contact_directory (contact_id);
