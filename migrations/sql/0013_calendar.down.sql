-- 0013_calendar down: back to 0012 (drops what 0013_calendar.up.sql created).
DROP FUNCTION IF EXISTS academy.cancel_sessions(uuid[], text);
DROP TRIGGER IF EXISTS sessions_stay_cancelled ON academy.sessions;
DROP FUNCTION IF EXISTS academy.sessions_stay_cancelled();
ALTER TABLE academy.sessions DROP COLUMN IF EXISTS pattern_exception;
