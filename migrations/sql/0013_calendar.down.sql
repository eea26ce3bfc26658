-- 0013_calendar down: back to 0012 (drops what 0013_calendar.up.sql created).
DROP INDEX IF EXISTS academy.sessions_instructor_program_idx;
DROP TRIGGER IF EXISTS sessions_touch ON academy.sessions;
CREATE TRIGGER sessions_touch BEFORE INSERT OR UPDATE ON academy.sessions
    FOR EACH ROW EXECUTE FUNCTION academy.touch_updated_at('row_version', 'booked_count');
DROP TRIGGER IF EXISTS session_waitlists_waiting_count ON academy.session_waitlists;
DROP FUNCTION IF EXISTS academy.sync_session_waiting_count();
ALTER TABLE academy.sessions DROP COLUMN IF EXISTS waiting_count;
DROP FUNCTION IF EXISTS academy.cancel_sessions(uuid[], text);
DROP TRIGGER IF EXISTS sessions_stay_cancelled ON academy.sessions;
DROP FUNCTION IF EXISTS academy.sessions_stay_cancelled();
ALTER TABLE academy.sessions DROP COLUMN IF EXISTS pattern_exception;
