-- The session of a topic (buổi sinh hoạt chuyên đề). The table is not called `sessions`: that
-- name holds the sign-in sessions. A cancelled session stays, with its reason; a topic has at
-- most one session that is not cancelled.
CREATE TABLE topic_sessions (
    id INTEGER PRIMARY KEY,
    topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    held_on DATE NOT NULL,
    -- Minutes after midnight, local time.
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 30 AND 480),
    venue TEXT NOT NULL CHECK (length(venue) <= 200),
    chair_member_id INTEGER REFERENCES members (id),
    minute_taker_member_id INTEGER REFERENCES members (id),
    -- Held in one sitting with the regular monthly meeting.
    combined BOOLEAN NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    updated_at TEXT NOT NULL,
    cancelled_at TEXT,
    cancelled_by INTEGER REFERENCES users (id),
    cancel_reason TEXT CHECK (length(cancel_reason) <= 1000)
);
CREATE UNIQUE INDEX topic_sessions_open ON topic_sessions (topic_id) WHERE cancelled_at IS NULL;
CREATE INDEX topic_sessions_day ON topic_sessions (held_on);
