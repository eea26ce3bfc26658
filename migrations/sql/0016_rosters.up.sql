-- 0016_rosters: the instructor's Rosters workspace reads its day and its rosters through
-- two SECURITY DEFINER readers that apply exactly the instructor's scope (sessions they
-- teach) once, and return no money, family or pickup columns. Writes need nothing new:
-- academy.check_in / undo_check_in / close_session_attendance (0008) already accept an
-- instructor for the sessions they teach, with the desk's client request ids.
--
-- Star ratings: roster_criteria (the child's current rubric with latest stars) and
-- rate_student (idempotent per client request id, kept in student_progress) apply the
-- same scope: the instructor's own session, a child booked in it.
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

------------------------------------------------------------------------------------------
-- Star ratings from the roster: 0-3 stars per criterion of the child's current rubric
------------------------------------------------------------------------------------------

-- A rating sent twice (double press, retry after a dropped connection) is one row: the
-- client's request id is kept with it, like attendance's.
ALTER TABLE academy.student_progress ADD COLUMN client_request_id uuid;
CREATE UNIQUE INDEX student_progress_client_request_id_key
    ON academy.student_progress (client_request_id);

-- The level a child is rated at in a session, after the caller's scope check: the session
-- must be theirs (an instructor's own, or any for a super admin) and the child booked in
-- it. The child's active enrollment level in the session's program, else the session's
-- level. Called by the two functions below only (no grant).
CREATE FUNCTION academy.roster_level(p_session_id uuid, p_student_id uuid) RETURNS uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
DECLARE
    v_sess  academy.sessions;
    v_level uuid;
BEGIN
    SELECT * INTO v_sess FROM academy.sessions s WHERE s.id = p_session_id;
    IF NOT FOUND OR NOT coalesce(academy.my_kind() = 'super_admin'
                                 OR v_sess.instructor_id = academy.my_instructor_id(), false) THEN
        PERFORM academy.desk_refuse('not_found', 'That session is not one of yours.');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM academy.session_bookings b
                    WHERE b.session_id = p_session_id AND b.session_date = v_sess.session_date
                      AND b.student_id = p_student_id AND b.status <> 'cancelled') THEN
        PERFORM academy.desk_refuse('invalid_input', 'The student is not booked into this session.');
    END IF;
    SELECT e.level_id INTO v_level FROM academy.student_enrollments e
     WHERE e.student_id = p_student_id AND e.program_id = v_sess.program_id
       AND e.status = 'active' AND e.level_id IS NOT NULL
     ORDER BY e.enrolled_on DESC LIMIT 1;
    RETURN coalesce(v_level, v_sess.level_id);
END
$fn$;

-- The criteria of the current rubric of the child's level, with the latest rating of each
-- (empty when the child has no level or the level no rubric).
CREATE FUNCTION academy.roster_criteria(p_session_id uuid, p_student_id uuid)
    RETURNS TABLE (criterion_id uuid, level_name text, criterion text, descriptors text[],
                   stars smallint, assessed_at timestamptz)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
#variable_conflict use_column
DECLARE
    v_level uuid := academy.roster_level(p_session_id, p_student_id);
BEGIN
    RETURN QUERY
    SELECT c.id, l.name::text, c.name::text,
           ARRAY[c.star_0_descriptor, c.star_1_descriptor, c.star_2_descriptor, c.star_3_descriptor]::text[],
           p.stars, p.assessed_at
      FROM academy.assessment_rubrics r
      JOIN academy.levels l ON l.id = r.level_id
      JOIN academy.assessment_rubric_criteria c ON c.rubric_id = r.id AND c.is_active
      LEFT JOIN LATERAL (
            SELECT sp.stars, sp.assessed_at FROM academy.student_progress sp
             WHERE sp.student_id = p_student_id AND sp.level_id = r.level_id AND sp.criterion_id = c.id
             ORDER BY sp.assessed_at DESC, sp.created_at DESC LIMIT 1) p ON true
     WHERE r.level_id = v_level AND r.is_current AND r.is_active
     ORDER BY c.position, c.name, c.id;
END
$fn$;

-- Record a rating (history: a new row each time; the latest counts). Idempotent per
-- request id. outcome: 'recorded' | 'already_recorded'.
CREATE FUNCTION academy.rate_student(p_session_id uuid, p_student_id uuid, p_criterion_id uuid,
                                     p_stars integer, p_client_request_id uuid)
    RETURNS TABLE (progress_id uuid, outcome text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
#variable_conflict use_column
DECLARE
    v_old     academy.student_progress;
    v_level   uuid;
    v_rubric  uuid;
    v_program uuid;
    v_id      uuid;
BEGIN
    IF p_client_request_id IS NULL OR p_session_id IS NULL OR p_student_id IS NULL OR p_criterion_id IS NULL THEN
        PERFORM academy.desk_refuse('invalid_input', 'A rating needs a session, a student, a criterion and a request id.');
    END IF;
    IF p_stars IS NULL OR p_stars NOT BETWEEN 0 AND 3 THEN
        PERFORM academy.desk_refuse('invalid_input', 'A rating is 0 to 3 stars.');
    END IF;
    SELECT * INTO v_old FROM academy.student_progress sp WHERE sp.client_request_id = p_client_request_id;
    IF FOUND THEN
        IF v_old.student_id <> p_student_id OR v_old.criterion_id <> p_criterion_id
           OR v_old.stars <> p_stars OR v_old.session_id IS DISTINCT FROM p_session_id THEN
            PERFORM academy.desk_refuse('invalid_input', 'This request id was already used for another rating.');
        END IF;
        RETURN QUERY SELECT v_old.id, 'already_recorded'::text;
        RETURN;
    END IF;
    v_level := academy.roster_level(p_session_id, p_student_id);
    SELECT r.id, r.program_id INTO v_rubric, v_program
      FROM academy.assessment_rubric_criteria c
      JOIN academy.assessment_rubrics r ON r.id = c.rubric_id
     WHERE c.id = p_criterion_id AND c.is_active AND r.level_id = v_level AND r.is_current AND r.is_active;
    IF NOT FOUND THEN
        PERFORM academy.desk_refuse('invalid_input', 'That criterion is not in the current rubric of the student''s level.');
    END IF;
    INSERT INTO academy.student_progress AS sp (student_id, level_id, program_id, session_id, rubric_id,
                                                criterion_id, stars, client_request_id)
    VALUES (p_student_id, v_level, v_program, p_session_id, v_rubric, p_criterion_id, p_stars, p_client_request_id)
    ON CONFLICT (client_request_id) DO NOTHING
    RETURNING sp.id INTO v_id;
    IF v_id IS NULL THEN  -- a concurrent replay of the same request won
        SELECT sp.id INTO v_id FROM academy.student_progress sp WHERE sp.client_request_id = p_client_request_id;
        RETURN QUERY SELECT v_id, 'already_recorded'::text;
        RETURN;
    END IF;
    RETURN QUERY SELECT v_id, 'recorded'::text;
END
$fn$;

REVOKE ALL ON FUNCTION academy.roster_level(uuid, uuid), academy.roster_criteria(uuid, uuid),
    academy.rate_student(uuid, uuid, uuid, integer, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION academy.roster_criteria(uuid, uuid),
    academy.rate_student(uuid, uuid, uuid, integer, uuid)
    TO academy_super_admin, academy_instructor;
