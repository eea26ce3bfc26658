-- 0017_desk_ready: the check-in screen's first paint in one round trip. Before, the
-- screen sent five statements in one unit of work (the location's day, today's sessions
-- under RLS, desk_roster for the sessions running now/next/selected, currency and zone):
-- each a client round trip plus the RLS helpers re-evaluated per statement. This reader
-- returns all of it as one json value, applying the caller's scope once:
--   front desk   the requested locations that are theirs (my_location_ids), sessions of
--                programs they see (my_program_ids), exactly what RLS shows them;
--   super admin  every requested location;
--   anyone else  refused (no EXECUTE grant; an account without an active desk/admin row
--                gets academy:permission_denied).
-- The day is the first location's own calendar day, computed once and used as a bound
-- value in the statements below (a plpgsql parameter, never now(): bookings and
-- attendance are pruned to the day's partition before any row is read). Balances and pickup/family flags come from the per-student
-- tables kept since 0014; the roster rows are desk_roster's (same columns, same order).

-- {"day", "currency", "timezone", "sessions": [[id, title, starts_at, ends_at, room,
--  capacity, booked, checked_in, status, location], ...], "first": [session ids],
--  "roster": [[session_id, student_id, number, first, last, preferred, status, medical,
--  balance (float8, display only), can_pickup, [parent ids]], ...]}
-- Arrays, not objects: a busy rush hour is a few hundred roster rows, and the client
-- unpacks them positionally. currency/timezone are null when the first location is not
-- the caller's (RLS would not show its row); sessions and roster are then empty.
CREATE FUNCTION academy.desk_first_paint(p_location_ids uuid[], p_now timestamptz,
                                         p_keep uuid DEFAULT NULL)
    RETURNS json
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy
    -- generic plans, kept per connection: the day is a parameter, so bookings and
    -- attendance are pruned to the day's partition when each statement starts. In
    -- auto mode plpgsql re-planned every statement on every call (a generic plan over
    -- every partition looks costlier), ~4 ms of a 9.5 ms call at the demo's rush hour.
    SET plan_cache_mode = force_generic_plan AS $fn$
DECLARE
    v_kind     text := academy.my_kind();
    v_admin    boolean := coalesce(v_kind = 'super_admin', false);
    v_mine     uuid[];  -- the caller's locations (RLS's my_location_ids)
    v_progs    uuid[];  -- the caller's programs (RLS on programs)
    v_locs     uuid[];  -- requested and theirs
    v_day      date;
    v_currency text;
    v_zone     text;
    v_sessions json;
    v_ids      uuid[];
    v_starts   timestamptz[];
    v_ends     timestamptz[];
    v_live     boolean[];
    v_cur      uuid;
    v_next     uuid;
    v_first    uuid[] := '{}';
    v_status   jsonb;
    v_roster   json;
BEGIN
    IF v_admin THEN
        v_locs := p_location_ids;
    ELSIF coalesce(v_kind = 'front_desk', false) THEN
        v_mine := academy.my_location_ids();
        v_progs := academy.my_program_ids();
        SELECT coalesce(array_agg(x), '{}') INTO v_locs
          FROM unnest(p_location_ids) x WHERE x = ANY (v_mine);
    ELSE
        PERFORM academy.desk_refuse('permission_denied', 'Check-in is for front-desk staff.');
    END IF;

    -- the first location's day (as academy.location_today), its currency and zone if theirs
    SELECT (now() AT TIME ZONE l.timezone)::date,
           CASE WHEN l.id = ANY (v_locs) THEN l.currency::text END,
           CASE WHEN l.id = ANY (v_locs) THEN l.timezone::text END
      INTO v_day, v_currency, v_zone
      FROM academy.locations l WHERE l.id = p_location_ids[1];
    v_day := coalesce(v_day, current_date);

    -- today's sessions as the RLS query shows them (programs and locations joined under
    -- the same scope), in list order; checked_in counts attendance RLS would show
    SELECT json_agg(json_build_array(x.id, x.title, x.starts_at, x.ends_at, x.room, x.capacity,
                                     x.booked_count, x.checked_in, x.status, x.location)
                    ORDER BY x.starts_at, x.title, x.id),
           array_agg(x.id ORDER BY x.starts_at, x.title, x.id),
           array_agg(x.starts_at ORDER BY x.starts_at, x.title, x.id),
           array_agg(x.ends_at ORDER BY x.starts_at, x.title, x.id),
           array_agg(x.status <> 'cancelled' ORDER BY x.starts_at, x.title, x.id)
      INTO v_sessions, v_ids, v_starts, v_ends, v_live
      FROM (SELECT s.id, coalesce(s.title, p.name) AS title, s.starts_at, s.ends_at, s.room,
                   s.capacity, s.booked_count, s.status::text AS status, l.name AS location,
                   (SELECT count(*) FROM academy.student_attendance a
                     WHERE a.session_id = s.id AND a.attendance_date = v_day
                       AND a.status IN ('present', 'late')
                       AND (v_admin OR a.location_id = ANY (v_mine))) AS checked_in
              FROM academy.sessions s
              JOIN academy.programs p ON p.id = s.program_id
              JOIN academy.locations l ON l.id = s.location_id
             WHERE s.session_date = v_day AND s.location_id = ANY (v_locs) AND s.is_active
               AND (v_admin OR s.program_id = ANY (v_progs))) x;

    -- whose rosters come now: every session running now, the current one (running, or
    -- starting within 30 minutes) and the next, the kept selection when it is today's
    -- here, else the first of the day; in list order. Mirrors first_sessions() in
    -- academy_desktop/db/queries/checkin.py (the client checks the answer against it).
    FOR i IN 1 .. coalesce(cardinality(v_ids), 0) LOOP
        IF v_live[i] AND v_starts[i] - interval '30 minutes' <= p_now AND p_now < v_ends[i] THEN
            v_cur := v_ids[i];
            EXIT;
        END IF;
    END LOOP;
    FOR i IN 1 .. coalesce(cardinality(v_ids), 0) LOOP
        IF v_live[i] AND v_starts[i] > p_now AND v_ids[i] IS DISTINCT FROM v_cur THEN
            v_next := v_ids[i];
            EXIT;
        END IF;
    END LOOP;
    FOR i IN 1 .. coalesce(cardinality(v_ids), 0) LOOP
        IF (v_live[i] AND v_starts[i] <= p_now AND p_now < v_ends[i])
           OR v_ids[i] = v_cur OR v_ids[i] = v_next OR v_ids[i] = p_keep THEN
            v_first := v_first || v_ids[i];
        END IF;
    END LOOP;
    IF cardinality(v_first) = 0 AND cardinality(v_ids) > 0 THEN
        v_first := v_ids[1:1];
    END IF;

    -- desk_roster's rows for those sessions (attendance read once into a map)
    IF cardinality(v_first) > 0 THEN
        SELECT jsonb_object_agg(a.session_id::text || a.student_id::text, a.status) INTO v_status
          FROM academy.student_attendance a
         WHERE a.session_id = ANY (v_first) AND a.attendance_date = v_day;
        SELECT json_agg(json_build_array(
                   b.session_id, b.student_id, st.student_number, st.first_name, st.last_name,
                   st.preferred_name, v_status ->> (b.session_id::text || b.student_id::text),
                   st.medical, coalesce(bal.balance, 0)::float8,
                   coalesce(fa.can_pickup, false), coalesce(fa.parent_ids, '{}'))
                   ORDER BY st.last_name, st.first_name, b.student_id)
          INTO v_roster
          FROM academy.session_bookings b
          -- one primary-key probe per booked child in each table (OFFSET 0 keeps them
          -- probes: the generic plan cannot see how many sessions v_first holds and
          -- hashed every student instead on a smaller database)
          CROSS JOIN LATERAL (
                SELECT s.student_number, s.first_name, s.last_name, s.preferred_name,
                       nullif(concat_ws(' · ', nullif(btrim(s.medical_notes), ''),
                                        nullif(btrim(s.allergies), '')), '') AS medical
                  FROM academy.students s WHERE s.id = b.student_id OFFSET 0) st
          LEFT JOIN LATERAL (
                SELECT f.can_pickup, f.parent_ids FROM academy.student_family_flags f
                 WHERE f.student_id = b.student_id OFFSET 0) fa ON true
          LEFT JOIN LATERAL (
                SELECT sum(o.balance) AS balance FROM academy.student_ledger_balances o
                 WHERE o.student_id = b.student_id) bal ON true
         WHERE b.session_id = ANY (v_first) AND b.session_date = v_day AND b.status <> 'cancelled';
    END IF;

    RETURN json_build_object('day', v_day, 'currency', v_currency, 'timezone', v_zone,
                             'sessions', coalesce(v_sessions, '[]'), 'first', to_json(v_first),
                             'roster', coalesce(v_roster, '[]'));
END
$fn$;

REVOKE ALL ON FUNCTION academy.desk_first_paint(uuid[], timestamptz, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION academy.desk_first_paint(uuid[], timestamptz, uuid)
    TO academy_front_desk, academy_super_admin;
