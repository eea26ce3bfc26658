-- 0016_rosters: the instructor's Rosters workspace reads its day and its rosters through
-- two SECURITY DEFINER readers that apply exactly the instructor's scope (sessions they
-- teach) once, and return no money, family or pickup columns. Writes need nothing new:
-- academy.check_in / undo_check_in / close_session_attendance (0008) already accept an
-- instructor for the sessions they teach, with the desk's client request ids.
--
-- desk_roster (0008/0012) also answered instructors, balance column included, although
-- instructors have no access to the ledger; EXECUTE on it is taken back from them here.

-- An instructor's sessions of one day (a super admin: every session of the given
-- locations, or of all when NULL), with booked/checked-in counts and the location's
-- time zone (times are shown on the location's clock).
CREATE FUNCTION academy.roster_sessions(p_day date, p_location_ids uuid[] DEFAULT NULL)
    RETURNS TABLE (session_id uuid, title text, starts_at timestamptz, ends_at timestamptz,
                   room text, capacity integer, booked_count integer, checked_in bigint,
                   status text, timezone text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
#variable_conflict use_column
DECLARE  -- plpgsql: the plan is cached per connection
    v_admin      boolean := coalesce(academy.my_kind() = 'super_admin', false);
    v_instructor uuid := academy.my_instructor_id();
BEGIN
    IF NOT v_admin AND v_instructor IS NULL THEN
        RETURN;  -- neither an instructor nor a super admin: nothing is theirs to teach
    END IF;
    RETURN QUERY
    SELECT s.id, coalesce(s.title, p.name)::text, s.starts_at, s.ends_at, s.room::text,
           s.capacity::integer, s.booked_count::integer,
           (SELECT count(*) FROM academy.student_attendance a
             WHERE a.session_id = s.id AND a.attendance_date = p_day
               AND a.status IN ('present', 'late')),
           s.status::text, l.timezone::text
      FROM academy.sessions s
      JOIN academy.programs p ON p.id = s.program_id
      JOIN academy.locations l ON l.id = s.location_id
     WHERE s.session_date = p_day AND s.is_active
       AND CASE WHEN v_admin THEN p_location_ids IS NULL OR s.location_id = ANY (p_location_ids)
                ELSE s.instructor_id = v_instructor END
     ORDER BY s.starts_at, 2;
END
$fn$;

-- The booked children of the given sessions (one day) with their attendance and the
-- medical notes an instructor needs at the pool side. The same rows RLS gives an
-- instructor (tests/security/test_rosters_rls.py compares them), read once as the owner.
CREATE FUNCTION academy.instructor_roster(p_session_ids uuid[], p_day date)
    RETURNS TABLE (session_id uuid, student_id uuid, student_number text, first_name text,
                   last_name text, preferred_name text, status text, medical text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
#variable_conflict use_column
DECLARE
    v_admin      boolean := coalesce(academy.my_kind() = 'super_admin', false);
    v_instructor uuid := academy.my_instructor_id();
BEGIN
    IF NOT v_admin AND v_instructor IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT b.session_id, st.id, st.student_number::text, st.first_name::text, st.last_name::text,
           st.preferred_name::text, a.status::text,
           nullif(concat_ws(' · ', nullif(btrim(st.medical_notes), ''), nullif(btrim(st.allergies), '')), '')
      FROM academy.sessions s
      JOIN academy.session_bookings b
        ON b.session_id = s.id AND b.session_date = p_day AND b.status <> 'cancelled'
      JOIN academy.students st ON st.id = b.student_id
      LEFT JOIN academy.student_attendance a
             ON a.session_id = b.session_id AND a.student_id = b.student_id AND a.attendance_date = p_day
     WHERE s.id = ANY (p_session_ids) AND s.session_date = p_day
       AND (v_admin OR s.instructor_id = v_instructor)
     ORDER BY st.last_name, st.first_name, st.id;
END
$fn$;

REVOKE ALL ON FUNCTION academy.roster_sessions(date, uuid[]), academy.instructor_roster(uuid[], date)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION academy.roster_sessions(date, uuid[]), academy.instructor_roster(uuid[], date)
    TO academy_super_admin, academy_instructor;

-- the desk's roster carries balances: not for instructors (guarded: 0014 may reshape it)
DO $do$
BEGIN
    IF to_regprocedure('academy.desk_roster(uuid[], date)') IS NOT NULL THEN
        REVOKE EXECUTE ON FUNCTION academy.desk_roster(uuid[], date) FROM academy_instructor;
    END IF;
END
$do$;
