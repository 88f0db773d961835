-- Issue 12 (several hubs, "State"): state that was kept in memory per hub process and that other hubs must see.

-- The link-issuing rate limits (io.hearth.identity.linking.SlidingWindowLimiter, docs/privacy.md): one row per event
-- allowed within a limiter's window, shared by all hubs, so N hubs behind a load balancer allow the limit once, not
-- N times, and a restart forgets nothing. Rows older than the window are deleted as new events come.
CREATE TABLE hearth_rate_event (
    limiter    VARCHAR(40)  NOT NULL,   -- link-contact, link-caller
    event_key  VARCHAR(255) NOT NULL,   -- the contact id, the API key's name
    at         TIMESTAMP    NOT NULL
);
CREATE INDEX hearth_rate_event_key ON hearth_rate_event (limiter, event_key, at);
CREATE INDEX hearth_rate_event_at ON hearth_rate_event (limiter, at);

-- One row per limiter: its decisions take this row's lock (SELECT ... FOR UPDATE), so two hubs cannot both see the
-- last free slot and both take it.
CREATE TABLE hearth_rate_limiter (
    limiter    VARCHAR(40)  NOT NULL PRIMARY KEY
);

-- The rules each hub runs (io.hearth.rules.RulesHolder): every hub watches its own rules file and, on each load,
-- records here the SHA-256 of what it loaded. Health component `rules` shows the hubs whose rules differ.
CREATE TABLE hearth_rules_in_force (
    hub_id       VARCHAR(200) NOT NULL PRIMARY KEY,   -- host name and process id
    rules_sha256 VARCHAR(64)  NOT NULL,
    programme    VARCHAR(200),
    loaded_at    TIMESTAMP    NOT NULL,
    seen_at      TIMESTAMP    NOT NULL              -- refreshed at every check of the file: a stopped hub's row ages
);
