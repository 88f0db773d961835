-- Issue 10: a linking code may be bound to the handle it was issued for (POST /api/links {"handle": ...}).
-- Kept as the author pseudonym (hex SHA-256 of channel:normalised handle, as hearth_link_failure.author_key), never the
-- handle in clear. NULL: issued without a handle, any author on the channel may use it (docs/privacy.md: the risk).
ALTER TABLE hearth_link_code ADD COLUMN bound_author_key VARCHAR(64);
