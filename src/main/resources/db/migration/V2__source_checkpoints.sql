-- Where each polling source stands (since ids, cursors, page tokens), as the source's own JSON,
-- so a restart neither re-reads nor skips.
CREATE TABLE hearth_source_checkpoint (
    source     VARCHAR(64)   NOT NULL PRIMARY KEY,
    checkpoint VARCHAR(4000) NOT NULL,
    updated_at TIMESTAMP     NOT NULL
);
