-- 0013_calendar: editing a recurring pattern keeps individually changed occurrences
-- (sessions.pattern_exception), cancelling whole sessions hands their bookings over in
-- one transaction (academy.cancel_sessions: bookings cancelled with the reason, waitlist
-- cleared, makeup credits as the ledger convention has them), a cancelled session stays
-- cancelled, and the week read stops counting waitlists row by row (sessions.waiting_count).

------------------------------------------------------------------------------------------
-- Occurrences changed one by one (time, length, seats, substitute): a later "edit all /
-- this and following" of their pattern leaves them as they are.
------------------------------------------------------------------------------------------

ALTER TABLE academy.sessions ADD COLUMN pattern_exception boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN academy.sessions.pattern_exception IS
    'true when this occurrence was changed on its own; pattern edits keep it as it is';

------------------------------------------------------------------------------------------
-- A cancelled session is never reinstated: its bookings were cancelled, its waitlist
-- cleared and makeup credits posted (append-only ledger). Schedule a new session instead.
------------------------------------------------------------------------------------------

CREATE FUNCTION academy.sessions_stay_cancelled() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
    RAISE EXCEPTION 'session_cancelled: a cancelled session cannot be reinstated; schedule a new session'
        USING ERRCODE = 'P0001',
              HINT = 'Its bookings were cancelled and makeup credits posted when it was cancelled.';
END
$fn$;
CREATE TRIGGER sessions_stay_cancelled BEFORE UPDATE OF status ON academy.sessions
    FOR EACH ROW WHEN (OLD.status = 'cancelled' AND NEW.status <> 'cancelled')
    EXECUTE FUNCTION academy.sessions_stay_cancelled();

------------------------------------------------------------------------------------------
-- Cancelling sessions with everything that hangs on them, in the caller's transaction
------------------------------------------------------------------------------------------

-- Makeup credit convention (academy_desktop/db/seed/ledger.py, docs/demo-data.md): each
-- student whose booking a cancelled class takes away gets a 'credit' of a quarter of the
-- monthly tuition of the enrollment in that program (the latest tuition charge of the
-- enrollment), reason 'Makeup credit: class cancelled (<reason>)'. No live enrollment or
-- no tuition charge yet: no credit (the row says so with credit NULL).
CREATE FUNCTION academy.cancel_sessions(p_session_ids uuid[], p_reason text)
    RETURNS TABLE (session_id uuid, student_id uuid, booking_id uuid, credit numeric)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
DECLARE
    v_reason text := nullif(btrim(coalesce(p_reason, '')), '');
    v_s      record;
    v_b      record;
    v_enrollment uuid;
    v_charge numeric;
BEGIN
    IF v_reason IS NULL THEN
        RAISE EXCEPTION 'invalid_request: a reason is required to cancel a session' USING ERRCODE = 'P0001';
    END IF;
    IF cardinality(p_session_ids) > 2000 THEN
        RAISE EXCEPTION 'invalid_request: at most 2000 sessions at once' USING ERRCODE = 'P0001';
    END IF;
    -- sessions first, in id order (book_session locks the session before its bookings)
    FOR v_s IN
        SELECT s.* FROM academy.sessions s
         WHERE s.id = ANY (p_session_ids) ORDER BY s.id FOR UPDATE
    LOOP
        IF NOT coalesce(academy.calendar_may_manage(v_s.location_id, v_s.program_id), false) THEN
            RAISE EXCEPTION 'not_allowed: you cannot cancel this session' USING ERRCODE = '42501';
        END IF;
        CONTINUE WHEN v_s.status <> 'scheduled';
        UPDATE academy.sessions SET status = 'cancelled', cancelled_at = now(), cancelled_reason = v_reason
         WHERE id = v_s.id;
        UPDATE academy.session_waitlists SET status = 'cancelled', cancelled_at = now()
         WHERE session_waitlists.session_id = v_s.id AND status IN ('waiting', 'offered');
        FOR v_b IN
            UPDATE academy.session_bookings b
               SET status = 'cancelled', cancelled_at = now(),
                   cancel_reason = left('Session cancelled by the academy: ' || v_reason, 1000)
             WHERE b.session_id = v_s.id AND b.session_date = v_s.session_date AND b.status = 'booked'
            RETURNING b.id, b.student_id
        LOOP
            SELECT e.id INTO v_enrollment FROM academy.student_enrollments e
             WHERE e.student_id = v_b.student_id AND e.program_id = v_s.program_id
               AND e.status IN ('active', 'paused')
             ORDER BY e.enrolled_on DESC LIMIT 1;
            v_charge := NULL;
            IF v_enrollment IS NOT NULL THEN
                SELECT f.amount INTO v_charge FROM academy.student_financial_records f
                 WHERE f.enrollment_id = v_enrollment AND f.entry_type = 'charge'
                 ORDER BY f.transaction_date DESC, f.created_at DESC LIMIT 1;
            END IF;
            session_id := v_s.id;
            student_id := v_b.student_id;
            booking_id := v_b.id;
            credit := round(v_charge / 4, 2);
            IF credit > 0 THEN
                INSERT INTO academy.student_financial_records
                       (student_id, location_id, program_id, enrollment_id, entry_type, amount,
                        description, reason)
                VALUES (v_b.student_id, v_s.location_id, v_s.program_id, v_enrollment, 'credit', credit,
                        left(coalesce(v_s.title, 'Class') || ' ' || v_s.session_date, 1000),
                        left('Makeup credit: class cancelled (' || v_reason || ')', 1000));
            ELSE
                credit := NULL;
            END IF;
            RETURN NEXT;
        END LOOP;
    END LOOP;
END
$fn$;
REVOKE ALL ON FUNCTION academy.cancel_sessions(uuid[], text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION academy.cancel_sessions(uuid[], text)
    TO academy_super_admin, academy_program_admin, academy_front_desk;

------------------------------------------------------------------------------------------
-- sessions.waiting_count: live waitlist entries (waiting/offered), kept by a trigger like
-- booked_count. The week read counted them per session through session_waitlists' RLS
-- (an instructor's policy compares every row with the array of all their sessions ever):
-- most of a busy location's week query (EXPLAIN ANALYZE on the large seed). For staff it
-- is exactly what the per-row count under RLS gave (their waitlist policies cover every
-- session they can see; tests/db/test_bookings_waiting_count.py).
------------------------------------------------------------------------------------------

ALTER TABLE academy.sessions ADD COLUMN waiting_count integer NOT NULL DEFAULT 0
    CONSTRAINT sessions_waiting_count_check CHECK (waiting_count >= 0);

CREATE FUNCTION academy.sync_session_waiting_count() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    v_old boolean := TG_OP <> 'INSERT' AND OLD.status IN ('waiting', 'offered');
    v_new boolean := TG_OP <> 'DELETE' AND NEW.status IN ('waiting', 'offered');
BEGIN
    IF TG_OP = 'UPDATE' AND v_old = v_new AND OLD.session_id = NEW.session_id THEN
        RETURN NULL;
    END IF;
    IF v_old THEN
        UPDATE academy.sessions SET waiting_count = waiting_count - 1 WHERE id = OLD.session_id;
    END IF;
    IF v_new THEN
        UPDATE academy.sessions SET waiting_count = waiting_count + 1 WHERE id = NEW.session_id;
    END IF;
    RETURN NULL;
END
$fn$;
CREATE TRIGGER session_waitlists_waiting_count
    AFTER INSERT OR UPDATE OF status, session_id OR DELETE ON academy.session_waitlists
    FOR EACH ROW EXECUTE FUNCTION academy.sync_session_waiting_count();

-- a waitlist change alone must not make an open edit of the session look stale either
DROP TRIGGER sessions_touch ON academy.sessions;
CREATE TRIGGER sessions_touch BEFORE INSERT OR UPDATE ON academy.sessions
    FOR EACH ROW EXECUTE FUNCTION academy.touch_updated_at('row_version', 'booked_count', 'waiting_count');
UPDATE academy.sessions s SET waiting_count = w.n
  FROM (SELECT session_id, count(*) AS n FROM academy.session_waitlists
         WHERE status IN ('waiting', 'offered') GROUP BY session_id) w
 WHERE s.id = w.session_id;

------------------------------------------------------------------------------------------
-- An instructor's programs (academy.my_program_ids(), behind the programs and levels
-- policies every instructor query joins) are read from all their sessions ever: with
-- this index that is an index-only scan instead of ~1,300 heap pages per call, twice in
-- each week read (EXPLAIN ANALYZE as an instructor on the large seed).
------------------------------------------------------------------------------------------

CREATE INDEX IF NOT EXISTS sessions_instructor_program_idx ON academy.sessions (instructor_id, program_id);
