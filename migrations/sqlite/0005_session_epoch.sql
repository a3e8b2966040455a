-- Sessions end when the password changes: each session remembers the account's epoch at login,
-- and a password change (own or by an administrator) moves it on.
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
