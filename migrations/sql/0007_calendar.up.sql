-- 0007_calendar: the booking core (book_session / cancel_booking with a waitlist that is
-- never jumped), location closures, occurrence checks for recurring patterns and the
-- batch generator the calendar's "Generate term" uses.
--
-- The booking rule lives in one place, a BEFORE trigger on session_bookings, so every
-- path (these functions, a direct INSERT by a desk, the check-in screen) obeys it:
-- a seat can be taken only when it is not held for someone earlier on the waitlist.
-- The functions lock the session row FOR UPDATE first, so concurrent bookings of one
-- session run one after another and the last seat goes to exactly one of them.

------------------------------------------------------------------------------------------
-- Location closures (holidays): occurrences on these days are not generated
------------------------------------------------------------------------------------------

CREATE TABLE academy.location_closures (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    location_id uuid NOT NULL CONSTRAINT location_closures_location_id_fkey
                REFERENCES academy.locations (id) ON DELETE CASCADE,
    closed_on   date NOT NULL,
    reason      text NOT NULL CONSTRAINT location_closures_reason_length
                CHECK (char_length(reason) BETWEEN 1 AND 200 AND btrim(reason) <> ''),
    created_by  text NOT NULL DEFAULT session_user,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT location_closures_location_id_closed_on_key UNIQUE (location_id, closed_on)
);
CREATE TRIGGER location_closures_touch BEFORE INSERT OR UPDATE ON academy.location_closures
    FOR EACH ROW EXECUTE FUNCTION academy.touch_updated_at();
ALTER TABLE academy.location_closures ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON academy.location_closures TO academy_super_admin, academy_front_desk;
GRANT SELECT ON academy.location_closures TO academy_program_admin, academy_instructor;
CREATE POLICY academy_super_admin_all ON academy.location_closures FOR ALL TO academy_super_admin
    USING ((SELECT academy.is_super_admin())) WITH CHECK ((SELECT academy.is_super_admin()));
CREATE POLICY academy_front_desk_all ON academy.location_closures FOR ALL TO academy_front_desk
    USING (location_id = ANY ((SELECT academy.my_location_ids())::uuid[]))
    WITH CHECK (location_id = ANY ((SELECT academy.my_location_ids())::uuid[]));
CREATE POLICY academy_program_admin_select ON academy.location_closures FOR SELECT TO academy_program_admin
    USING ((SELECT academy.my_kind()) IS NOT NULL);
CREATE POLICY academy_instructor_select ON academy.location_closures FOR SELECT TO academy_instructor
    USING (location_id = ANY ((SELECT academy.my_location_ids())::uuid[]));

------------------------------------------------------------------------------------------
-- Scope checks used by the SECURITY DEFINER functions below (owner-only, not granted)
------------------------------------------------------------------------------------------

-- May the caller schedule/book at this location for this program?
CREATE FUNCTION academy.calendar_may_manage(p_location_id uuid, p_program_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
    SELECT academy.caller_is_superuser()
        OR CASE academy.my_kind()
               WHEN 'super_admin' THEN true
               WHEN 'front_desk' THEN p_location_id = ANY (academy.my_location_ids())
               WHEN 'program_admin' THEN p_program_id = ANY (academy.my_program_ids())
               ELSE false
           END
$fn$;

-- May the caller act for this student (the same rows the students policies let them read)?
CREATE FUNCTION academy.calendar_may_book_student(p_student_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
    SELECT academy.caller_is_superuser()
        OR EXISTS (
            SELECT 1 FROM academy.students st
             WHERE st.id = p_student_id AND st.is_active
               AND CASE academy.my_kind()
                       WHEN 'super_admin' THEN true
                       WHEN 'front_desk' THEN st.location_id = ANY (academy.my_location_ids())
                       WHEN 'program_admin' THEN st.program_id = ANY (academy.my_program_ids())
                           OR EXISTS (SELECT 1 FROM academy.student_enrollments e
                                       WHERE e.student_id = st.id
                                         AND e.program_id = ANY (academy.my_program_ids()))
                       ELSE false
                   END)
$fn$;

------------------------------------------------------------------------------------------
-- The waitlist rule, enforced for every writer of session_bookings
------------------------------------------------------------------------------------------

-- A row starting to hold a seat (booked/attended/no_show) must fit: the free seats minus
-- those held for waiting students ahead of this one. Waiting students at rank k may take
-- a seat while k <= free seats (so promotion inserts the booking before it marks the
-- waitlist entry promoted).
CREATE FUNCTION academy.enforce_waitlist_order() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
DECLARE
    v_session academy.sessions;
    v_free    int;
    v_rank    int;
    v_waiting int;
BEGIN
    IF NEW.status NOT IN ('booked', 'attended', 'no_show') THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status IN ('booked', 'attended', 'no_show')
       AND OLD.session_id = NEW.session_id THEN
        RETURN NEW;
    END IF;
    SELECT * INTO v_session FROM academy.sessions WHERE id = NEW.session_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NEW;  -- the foreign key reports it
    END IF;
    v_free := v_session.capacity - v_session.booked_count;
    SELECT count(*) FILTER (WHERE true),
           min(rk) FILTER (WHERE w.student_id = NEW.student_id)
      INTO v_waiting, v_rank
      FROM (SELECT w.student_id, row_number() OVER (ORDER BY w.position, w.created_at) AS rk
              FROM academy.session_waitlists w
             WHERE w.session_id = NEW.session_id AND w.status IN ('waiting', 'offered')) w;
    -- no seat at all: the sessions_capacity_not_exceeded check reports it, as it always has
    IF v_free <= 0 OR (v_rank IS NOT NULL AND v_rank <= v_free)
       OR (v_rank IS NULL AND v_waiting < v_free) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'session_full: the free seat is held for the waitlist (% of % booked, % waiting)',
        v_session.booked_count, v_session.capacity, v_waiting
        USING ERRCODE = 'P0001',
              HINT = 'Add the student to the waitlist; the first waiting student gets the next free seat.';
END
$fn$;
CREATE TRIGGER session_bookings_waitlist_order BEFORE INSERT OR UPDATE OF status, session_id
    ON academy.session_bookings FOR EACH ROW EXECUTE FUNCTION academy.enforce_waitlist_order();

-- Give free seats to the first waiting students, in order. Caller holds the session lock.
CREATE FUNCTION academy.promote_waitlist(p_session_id uuid) RETURNS SETOF uuid
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
DECLARE
    v_session academy.sessions;
    v_entry   academy.session_waitlists;
BEGIN
    LOOP
        SELECT * INTO v_session FROM academy.sessions WHERE id = p_session_id FOR UPDATE;
        EXIT WHEN NOT FOUND OR v_session.status <> 'scheduled' OR NOT v_session.is_active
               OR v_session.booked_count >= v_session.capacity;
        SELECT * INTO v_entry FROM academy.session_waitlists
         WHERE session_id = p_session_id AND status IN ('waiting', 'offered')
         ORDER BY position, created_at LIMIT 1 FOR UPDATE;
        EXIT WHEN NOT FOUND;
        -- book first (the entry still ranks first, so the order rule lets it in)
        UPDATE academy.session_bookings
           SET status = 'booked', cancelled_at = NULL, cancel_reason = NULL,
               booked_by = session_user, booked_at = now()
         WHERE session_id = p_session_id AND session_date = v_session.session_date
           AND student_id = v_entry.student_id AND status = 'cancelled';
        IF NOT FOUND THEN
            INSERT INTO academy.session_bookings (session_id, session_date, student_id, status)
            VALUES (p_session_id, v_session.session_date, v_entry.student_id, 'booked')
            ON CONFLICT (session_id, session_date, student_id) DO NOTHING;
        END IF;
        UPDATE academy.session_waitlists SET status = 'promoted', promoted_at = now()
         WHERE id = v_entry.id;
        RETURN NEXT v_entry.student_id;
    END LOOP;
END
$fn$;

-- Raising a session's capacity hands the new seats to the waitlist at once.
CREATE FUNCTION academy.sessions_capacity_promote() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
BEGIN
    PERFORM academy.promote_waitlist(NEW.id);
    RETURN NULL;
END
$fn$;
CREATE TRIGGER sessions_capacity_promote AFTER UPDATE OF capacity ON academy.sessions
    FOR EACH ROW WHEN (NEW.capacity > OLD.capacity)
    EXECUTE FUNCTION academy.sessions_capacity_promote();

------------------------------------------------------------------------------------------
-- book_session / cancel_booking
------------------------------------------------------------------------------------------

CREATE FUNCTION academy.book_session(p_session_id uuid, p_student_id uuid, p_client_request_id uuid,
                                     p_waitlist_if_full boolean DEFAULT false)
    RETURNS TABLE (booking_id uuid, outcome text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
DECLARE
    v_session academy.sessions;
    v_booking academy.session_bookings;
    v_entry   academy.session_waitlists;
    v_free    int;
    v_waiting int;
    v_rank    int;
BEGIN
    IF p_session_id IS NULL OR p_student_id IS NULL THEN
        RAISE EXCEPTION 'invalid_request: a session and a student are required' USING ERRCODE = 'P0001';
    END IF;
    -- one booking at a time per session: the rest of this transaction owns its seats
    SELECT * INTO v_session FROM academy.sessions WHERE id = p_session_id FOR UPDATE;
    IF NOT FOUND OR NOT academy.calendar_may_manage(v_session.location_id, v_session.program_id) THEN
        RAISE EXCEPTION 'not_allowed: you cannot book this session' USING ERRCODE = '42501';
    END IF;
    IF NOT academy.calendar_may_book_student(p_student_id) THEN
        RAISE EXCEPTION 'not_allowed: you cannot book this student' USING ERRCODE = '42501';
    END IF;

    -- idempotency: the same request replayed returns what the first call did
    IF p_client_request_id IS NOT NULL THEN
        SELECT * INTO v_booking FROM academy.session_bookings b
         WHERE b.client_request_id = p_client_request_id;
        IF FOUND THEN
            IF v_booking.session_id <> p_session_id OR v_booking.student_id <> p_student_id THEN
                RAISE EXCEPTION 'request_reused: this request id was used for another booking'
                    USING ERRCODE = 'P0001';
            END IF;
            RETURN QUERY SELECT v_booking.id, 'booked'::text;
            RETURN;
        END IF;
        SELECT * INTO v_entry FROM academy.session_waitlists w
         WHERE w.client_request_id = p_client_request_id;
        IF FOUND THEN
            IF v_entry.session_id <> p_session_id OR v_entry.student_id <> p_student_id THEN
                RAISE EXCEPTION 'request_reused: this request id was used for another booking'
                    USING ERRCODE = 'P0001';
            END IF;
            RETURN QUERY SELECT v_entry.id, 'waitlisted'::text;
            RETURN;
        END IF;
    END IF;

    IF v_session.status <> 'scheduled' OR NOT v_session.is_active THEN
        RAISE EXCEPTION 'session_not_bookable: this session is %', v_session.status USING ERRCODE = 'P0001';
    END IF;

    SELECT * INTO v_booking FROM academy.session_bookings b
     WHERE b.session_id = p_session_id AND b.session_date = v_session.session_date
       AND b.student_id = p_student_id;
    IF FOUND AND v_booking.status <> 'cancelled' THEN
        RETURN QUERY SELECT v_booking.id, 'already_booked'::text;
        RETURN;
    END IF;

    v_free := v_session.capacity - v_session.booked_count;
    SELECT count(*), min(rk) FILTER (WHERE w.student_id = p_student_id)
      INTO v_waiting, v_rank
      FROM (SELECT w.student_id, row_number() OVER (ORDER BY w.position, w.created_at) AS rk
              FROM academy.session_waitlists w
             WHERE w.session_id = p_session_id AND w.status IN ('waiting', 'offered')) w;

    IF (v_rank IS NOT NULL AND v_rank <= v_free) OR (v_rank IS NULL AND v_waiting < v_free) THEN
        IF v_booking.id IS NOT NULL THEN  -- a cancelled booking comes back
            UPDATE academy.session_bookings
               SET status = 'booked', cancelled_at = NULL, cancel_reason = NULL,
                   client_request_id = p_client_request_id, booked_by = session_user, booked_at = now()
             WHERE id = v_booking.id AND session_date = v_booking.session_date;
            booking_id := v_booking.id;
        ELSE
            INSERT INTO academy.session_bookings (session_id, session_date, student_id, client_request_id)
            VALUES (p_session_id, v_session.session_date, p_student_id, p_client_request_id)
            RETURNING id INTO booking_id;
        END IF;
        IF v_rank IS NOT NULL THEN
            UPDATE academy.session_waitlists SET status = 'promoted', promoted_at = now()
             WHERE session_id = p_session_id AND student_id = p_student_id
               AND status IN ('waiting', 'offered');
        END IF;
        outcome := 'booked';
        RETURN NEXT;
        RETURN;
    END IF;

    IF v_rank IS NOT NULL THEN  -- already waiting, not their turn yet
        SELECT w.id INTO booking_id FROM academy.session_waitlists w
         WHERE w.session_id = p_session_id AND w.student_id = p_student_id
           AND w.status IN ('waiting', 'offered');
        outcome := 'waitlisted';
        RETURN NEXT;
        RETURN;
    END IF;

    IF NOT p_waitlist_if_full THEN
        RAISE EXCEPTION 'session_full: % on % is full (% of % seats booked, % waiting)',
            coalesce(v_session.title, 'the session'), v_session.session_date,
            v_session.booked_count, v_session.capacity, v_waiting
            USING ERRCODE = 'P0001',
                  HINT = 'Add the student to the waitlist; the first waiting student gets the next free seat.';
    END IF;
    INSERT INTO academy.session_waitlists (session_id, student_id, position, client_request_id)
    VALUES (p_session_id, p_student_id,
            coalesce((SELECT max(w.position) FROM academy.session_waitlists w
                       WHERE w.session_id = p_session_id), 0) + 1,
            p_client_request_id)
    RETURNING id INTO booking_id;
    outcome := 'waitlisted';
    RETURN NEXT;
END
$fn$;

CREATE FUNCTION academy.cancel_booking(p_booking_id uuid, p_session_date date, p_reason text)
    RETURNS TABLE (promoted_student_id uuid)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
DECLARE
    v_session_id uuid;
    v_session    academy.sessions;
    v_booking    academy.session_bookings;
BEGIN
    SELECT b.session_id INTO v_session_id FROM academy.session_bookings b
     WHERE b.id = p_booking_id AND b.session_date = p_session_date;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'not_found: no such booking' USING ERRCODE = 'P0002';
    END IF;
    -- same lock order as book_session: the session first, then its booking
    SELECT * INTO v_session FROM academy.sessions WHERE id = v_session_id FOR UPDATE;
    IF NOT academy.calendar_may_manage(v_session.location_id, v_session.program_id) THEN
        RAISE EXCEPTION 'not_allowed: you cannot cancel this booking' USING ERRCODE = '42501';
    END IF;
    SELECT * INTO v_booking FROM academy.session_bookings b
     WHERE b.id = p_booking_id AND b.session_date = p_session_date FOR UPDATE;
    IF v_booking.status = 'cancelled' THEN
        RETURN;  -- already cancelled: nothing freed, nobody promoted
    END IF;
    IF v_booking.status <> 'booked' THEN
        RAISE EXCEPTION 'booking_attended: a booking marked % cannot be cancelled', v_booking.status
            USING ERRCODE = 'P0001';
    END IF;
    UPDATE academy.session_bookings
       SET status = 'cancelled', cancelled_at = now(), cancel_reason = nullif(btrim(p_reason), '')
     WHERE id = p_booking_id AND session_date = p_session_date;
    RETURN QUERY SELECT academy.promote_waitlist(v_session_id);
END
$fn$;

------------------------------------------------------------------------------------------
-- Recurring patterns: occurrence checks (preview) and batch generation
------------------------------------------------------------------------------------------

-- For candidate occurrences of one instructor at one location, every conflict they would
-- hit: instructor_double_booked (what the exclusion constraint would refuse, whatever
-- location the other session is at; its details stay hidden), instructor_unavailable
-- (outside the weekly availability or inside time off) and location_closed.
CREATE FUNCTION academy.check_occurrences(p_location_id uuid, p_program_id uuid, p_instructor_id uuid,
                                          p_starts timestamptz[], p_ends timestamptz[],
                                          p_ignore_session_id uuid DEFAULT NULL)
    RETURNS TABLE (idx int, kind text, detail text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
DECLARE
    v_tz text;
BEGIN
    IF NOT academy.calendar_may_manage(p_location_id, p_program_id) THEN
        RAISE EXCEPTION 'not_allowed: you cannot schedule here' USING ERRCODE = '42501';
    END IF;
    IF cardinality(p_starts) IS DISTINCT FROM cardinality(p_ends) OR cardinality(p_starts) > 2000 THEN
        RAISE EXCEPTION 'invalid_request: starts and ends must pair up (at most 2000)' USING ERRCODE = 'P0001';
    END IF;
    SELECT l.timezone INTO v_tz FROM academy.locations l WHERE l.id = p_location_id;
    RETURN QUERY
    WITH occ AS (
        SELECT o.i::int AS i, o.s, o.e, (o.s AT TIME ZONE v_tz) AS ls, (o.e AT TIME ZONE v_tz) AS le
          FROM unnest(p_starts, p_ends) WITH ORDINALITY AS o (s, e, i)
    )
    SELECT occ.i, 'instructor_double_booked'::text,
           CASE WHEN academy.calendar_may_manage(x.location_id, x.program_id)
                THEN coalesce(x.title, 'another session') || ' ' || to_char(x.starts_at AT TIME ZONE v_tz, 'HH24:MI')
                ELSE 'teaching elsewhere' END
      FROM occ JOIN academy.sessions x
        ON x.instructor_id = p_instructor_id AND x.status <> 'cancelled'
       AND tstzrange(x.starts_at, x.ends_at) && tstzrange(occ.s, occ.e)
       AND x.id IS DISTINCT FROM p_ignore_session_id
    UNION ALL
    SELECT occ.i, 'location_closed'::text, c.reason
      FROM occ JOIN academy.location_closures c
        ON c.location_id = p_location_id AND c.closed_on = occ.ls::date
    UNION ALL
    SELECT occ.i, 'instructor_unavailable'::text,
           CASE WHEN EXISTS (SELECT 1 FROM academy.instructor_availability a
                              WHERE a.instructor_id = p_instructor_id AND a.kind = 'unavailable'
                                AND a.weekday = extract(isodow FROM occ.ls)
                                AND occ.ls::date BETWEEN a.valid_from AND coalesce(a.valid_to, 'infinity')
                                AND a.start_time < occ.le::time AND a.end_time > occ.ls::time)
                THEN 'time off' ELSE 'outside availability' END
      FROM occ
     WHERE EXISTS (SELECT 1 FROM academy.instructor_availability a WHERE a.instructor_id = p_instructor_id)
       AND (NOT EXISTS (SELECT 1 FROM academy.instructor_availability a
                         WHERE a.instructor_id = p_instructor_id AND a.kind = 'available'
                           AND (a.location_id IS NULL OR a.location_id = p_location_id)
                           AND a.weekday = extract(isodow FROM occ.ls)
                           AND occ.ls::date BETWEEN a.valid_from AND coalesce(a.valid_to, 'infinity')
                           AND a.start_time <= occ.ls::time AND a.end_time >= occ.le::time
                           AND occ.ls::date = occ.le::date)
            OR EXISTS (SELECT 1 FROM academy.instructor_availability a
                        WHERE a.instructor_id = p_instructor_id AND a.kind = 'unavailable'
                          AND a.weekday = extract(isodow FROM occ.ls)
                          AND occ.ls::date BETWEEN a.valid_from AND coalesce(a.valid_to, 'infinity')
                          AND a.start_time < occ.le::time AND a.end_time > occ.ls::time))
     ORDER BY 1, 2;
END
$fn$;

-- One batch of a pattern's occurrences. Hard conflicts (instructor or room already busy,
-- per the exclusion constraints) are skipped and reported by start time; soft ones
-- (availability) are recorded in schedule_conflicts. Runs as the caller: RLS decides.
CREATE FUNCTION academy.generate_pattern_sessions(p_pattern_id uuid, p_starts timestamptz[])
    RETURNS TABLE (starts_at timestamptz, session_id uuid)
    LANGUAGE plpgsql SET search_path = pg_catalog, academy AS $fn$
DECLARE
    p academy.recurring_patterns;
    v_start timestamptz;
    v_id uuid;
    r record;
BEGIN
    SELECT * INTO p FROM academy.recurring_patterns WHERE id = p_pattern_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'not_found: no such pattern' USING ERRCODE = 'P0002';
    END IF;
    IF cardinality(p_starts) > 500 THEN
        RAISE EXCEPTION 'invalid_request: at most 500 occurrences per batch' USING ERRCODE = 'P0001';
    END IF;
    FOREACH v_start IN ARRAY coalesce(p_starts, '{}') LOOP
        v_id := NULL;
        INSERT INTO academy.sessions (location_id, program_id, level_id, instructor_id, recurring_pattern_id,
                                      session_date, starts_at, ends_at, capacity, title, room)
        VALUES (p.location_id, p.program_id, p.level_id, p.instructor_id, p.id,
                (v_start AT TIME ZONE 'UTC')::date, v_start,
                v_start + make_interval(mins => p.duration_minutes), p.capacity, p.title, p.room)
        ON CONFLICT DO NOTHING
        RETURNING id INTO v_id;
        starts_at := v_start;
        session_id := v_id;
        RETURN NEXT;
    END LOOP;
    -- soft conflicts of what was created
    FOR r IN
        SELECT s.id, s.session_date, c.kind, c.detail
          FROM academy.sessions s,
               LATERAL academy.check_occurrences(s.location_id, s.program_id, s.instructor_id,
                                                 ARRAY[s.starts_at], ARRAY[s.ends_at], s.id) c
         WHERE s.recurring_pattern_id = p.id AND s.starts_at = ANY (p_starts)
           AND c.kind = 'instructor_unavailable'
    LOOP
        INSERT INTO academy.schedule_conflicts (session_id, recurring_pattern_id, instructor_id, location_id,
                                                conflict_date, kind, details)
        VALUES (r.id, p.id, p.instructor_id, p.location_id, r.session_date,
                'instructor_unavailable', jsonb_build_object('detail', r.detail));
    END LOOP;
END
$fn$;

GRANT EXECUTE ON FUNCTION academy.book_session(uuid, uuid, uuid, boolean),
    academy.cancel_booking(uuid, date, text),
    academy.check_occurrences(uuid, uuid, uuid, timestamptz[], timestamptz[], uuid),
    academy.generate_pattern_sessions(uuid, timestamptz[])
    TO academy_super_admin, academy_program_admin, academy_front_desk;
