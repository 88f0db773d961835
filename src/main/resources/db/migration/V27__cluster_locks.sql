-- Leader election on the state database (hearth.cluster.service=postgres, io.hearth.cluster.JdbcLockClusterService):
-- Spring Integration's JdbcLockRegistry table, as in its schema-postgresql.sql / schema-h2.sql (the same DDL for both).
-- One row per held lock: LOCK_KEY = UUID of the lock name (hearth-cluster:<namespace>), CLIENT_ID = the holding hub,
-- CREATED_DATE = its last acquisition or renewal (a row older than the time-to-live may be taken over).
CREATE TABLE INT_LOCK (
    LOCK_KEY     CHAR(36)     NOT NULL,
    REGION       VARCHAR(100) NOT NULL,
    CLIENT_ID    CHAR(36),
    CREATED_DATE TIMESTAMP    NOT NULL,
    CONSTRAINT INT_LOCK_PK PRIMARY KEY (LOCK_KEY, REGION)
);
