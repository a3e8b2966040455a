-- The secret addresses of calendar feeds: one per reader and feed, the reader's own (cell_id
-- NULL) or a cell's, so each reader renews theirs (revoking the old address) without touching
-- anyone else's. The token itself is kept, not a hash: the page shows the address again, and
-- it only reads a calendar that whoever reads this table sees anyway.
CREATE TABLE calendar_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    cell_id INTEGER REFERENCES orgs (id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX calendar_tokens_feed ON calendar_tokens (user_id, COALESCE(cell_id, 0));
