-- 0005_security (1/4): identity and scope helpers used by policies, whoami(), columns
-- the security layer needs, the gatekeeper login role.
--
-- Every helper is STABLE SECURITY DEFINER (runs as academy_owner, which bypasses RLS)
-- with a pinned search_path, and identifies the caller by session_user: inside a
-- SECURITY DEFINER function current_user is the owner. Policies call them as
-- `(SELECT academy.fn())` so they run once per statement (an InitPlan), not per row.

------------------------------------------------------------------------------------------
-- Columns the security layer needs
------------------------------------------------------------------------------------------

-- parents log in too: same account state as academy.users
ALTER TABLE academy.parents
    ADD COLUMN must_change_password boolean NOT NULL DEFAULT true,
    ADD COLUMN failed_login_count integer NOT NULL DEFAULT 0
        CONSTRAINT parents_failed_login_count_check CHECK (failed_login_count >= 0),
    ADD COLUMN locked_until timestamptz,
    ADD COLUMN last_login_at timestamptz,
    ADD COLUMN password_changed_at timestamptz,
    ADD COLUMN login_disabled_at timestamptz;

-- the person (users.id / parents.id) behind the database role that made the change
ALTER TABLE academy.data_audit_log ADD COLUMN person_id uuid;

-- throttling of anonymous (gatekeeper) calls counts recent events per client address
CREATE INDEX auth_audit_log_client_addr_idx ON academy.auth_audit_log (client_addr, event, created_at);

------------------------------------------------------------------------------------------
-- Who is calling
------------------------------------------------------------------------------------------

-- The caller's kind: super_admin | program_admin | front_desk | instructor | parent, or
-- NULL for a role that is not an active Academy person (a DBA, the gatekeeper...).
CREATE FUNCTION academy.my_kind() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
    SELECT coalesce(
        (SELECT u.kind::text FROM academy.users u
          WHERE u.role_name = session_user::text AND u.is_active),
        (SELECT 'parent' FROM academy.parents p
          WHERE p.role_name = session_user::text AND p.is_active AND p.login_disabled_at IS NULL))
$fn$;

CREATE FUNCTION academy.is_super_admin() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
    SELECT coalesce(academy.my_kind() = 'super_admin', false)
$fn$;

-- A superuser session (the DBA provisioning the first super admin, tests, the seed).
CREATE FUNCTION academy.caller_is_superuser() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
    SELECT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user), false)
$fn$;

CREATE FUNCTION academy.my_user_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
    SELECT u.id FROM academy.users u WHERE u.role_name = session_user::text AND u.is_active
$fn$;

CREATE FUNCTION academy.my_parent_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
    SELECT p.id FROM academy.parents p
     WHERE p.role_name = session_user::text AND p.is_active AND p.login_disabled_at IS NULL
$fn$;

CREATE FUNCTION academy.my_instructor_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
    SELECT i.id FROM academy.instructors i
      JOIN academy.users u ON u.id = i.user_id
     WHERE u.role_name = session_user::text AND u.is_active AND u.kind = 'instructor'
$fn$;

-- Locations the caller works at (super admin: all; front desk / program admin: assigned;
-- instructor: their instructor locations; parent: own and their children's).
CREATE FUNCTION academy.my_location_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_kind text := academy.my_kind();
    v_ids  uuid[];
BEGIN
    IF v_kind = 'super_admin' THEN
        SELECT array_agg(l.id ORDER BY l.name) INTO v_ids FROM academy.locations l;
    ELSIF v_kind IN ('front_desk', 'program_admin') THEN
        SELECT array_agg(a.location_id ORDER BY a.location_id) INTO v_ids
          FROM academy.user_location_assignments a WHERE a.user_id = academy.my_user_id();
    ELSIF v_kind = 'instructor' THEN
        SELECT array_agg(a.location_id ORDER BY a.location_id) INTO v_ids
          FROM academy.instructor_location_assignments a
         WHERE a.instructor_id = academy.my_instructor_id();
    ELSIF v_kind = 'parent' THEN
        SELECT array_agg(DISTINCT x.location_id) INTO v_ids FROM (
            SELECT p.location_id FROM academy.parents p WHERE p.id = academy.my_parent_id()
            UNION
            SELECT s.location_id FROM academy.student_parent_relationships r
              JOIN academy.students s ON s.id = r.student_id
             WHERE r.parent_id = academy.my_parent_id()) x;
    END IF;
    RETURN coalesce(v_ids, '{}');
END
$fn$;

-- Programs whose rows the caller may read (program admin: assigned, and may also write
-- there; front desk: assigned plus those offered at their locations; instructor: their
-- specialisations and the programs of their sessions; parent: their children's).
CREATE FUNCTION academy.my_program_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_kind text := academy.my_kind();
    v_ids  uuid[];
BEGIN
    IF v_kind = 'super_admin' THEN
        SELECT array_agg(p.id ORDER BY p.name) INTO v_ids FROM academy.programs p;
    ELSIF v_kind = 'program_admin' THEN
        SELECT array_agg(a.program_id ORDER BY a.program_id) INTO v_ids
          FROM academy.user_program_assignments a WHERE a.user_id = academy.my_user_id();
    ELSIF v_kind = 'front_desk' THEN
        SELECT array_agg(DISTINCT x.program_id) INTO v_ids FROM (
            SELECT a.program_id FROM academy.user_program_assignments a
             WHERE a.user_id = academy.my_user_id()
            UNION
            SELECT lp.program_id FROM academy.location_programs lp
              JOIN academy.user_location_assignments a ON a.location_id = lp.location_id
             WHERE a.user_id = academy.my_user_id()) x;
    ELSIF v_kind = 'instructor' THEN
        SELECT array_agg(DISTINCT x.program_id) INTO v_ids FROM (
            SELECT sp.program_id FROM academy.instructor_specializations sp
             WHERE sp.instructor_id = academy.my_instructor_id()
            UNION
            SELECT s.program_id FROM academy.sessions s
             WHERE s.instructor_id = academy.my_instructor_id()) x;
    ELSIF v_kind = 'parent' THEN
        SELECT array_agg(DISTINCT x.program_id) INTO v_ids FROM (
            SELECT s.program_id FROM academy.student_parent_relationships r
              JOIN academy.students s ON s.id = r.student_id
             WHERE r.parent_id = academy.my_parent_id() AND s.program_id IS NOT NULL
            UNION
            SELECT e.program_id FROM academy.student_parent_relationships r
              JOIN academy.student_enrollments e ON e.student_id = r.student_id
             WHERE r.parent_id = academy.my_parent_id()) x;
    END IF;
    RETURN coalesce(v_ids, '{}');
END
$fn$;

-- Students known personally: a parent's children, or the students booked in an
-- instructor's sessions. Empty for other kinds (their scopes are location/program).
CREATE FUNCTION academy.my_student_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_kind text := academy.my_kind();
    v_ids  uuid[];
BEGIN
    IF v_kind = 'parent' THEN
        SELECT array_agg(r.student_id ORDER BY r.student_id) INTO v_ids
          FROM academy.student_parent_relationships r WHERE r.parent_id = academy.my_parent_id();
    ELSIF v_kind = 'instructor' THEN
        SELECT array_agg(DISTINCT b.student_id) INTO v_ids
          FROM academy.sessions s
          JOIN academy.session_bookings b ON b.session_id = s.id AND b.session_date = s.session_date
         WHERE s.instructor_id = academy.my_instructor_id();
    END IF;
    RETURN coalesce(v_ids, '{}');
END
$fn$;

-- Sessions an instructor teaches (used by booking/attendance/progress policies).
CREATE FUNCTION academy.my_session_ids() RETURNS uuid[]
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
    SELECT coalesce(array_agg(s.id), '{}') FROM academy.sessions s
     WHERE s.instructor_id = academy.my_instructor_id()
$fn$;

------------------------------------------------------------------------------------------
-- whoami(): the desktop shell's only source of identity
------------------------------------------------------------------------------------------

CREATE FUNCTION academy.whoami()
    RETURNS TABLE (person_id uuid, role_name text, display_name text, kind text,
                   must_change_password boolean, location_ids uuid[], program_ids uuid[])
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
    SELECT u.id, u.role_name, u.full_name, u.kind::text, u.must_change_password,
           academy.my_location_ids(), academy.my_program_ids()
      FROM academy.users u
     WHERE u.role_name = session_user::text AND u.is_active
    UNION ALL
    SELECT p.id, p.role_name, p.first_name || ' ' || p.last_name, 'parent', p.must_change_password,
           academy.my_location_ids(), academy.my_program_ids()
      FROM academy.parents p
     WHERE p.role_name = session_user::text AND p.is_active AND p.login_disabled_at IS NULL
$fn$;

------------------------------------------------------------------------------------------
-- The gatekeeper: a low-privilege login that may only redeem reset codes and report
-- failed logins (its password ships with the client, so treat it as public).
------------------------------------------------------------------------------------------

DO $do$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'academy_gatekeeper') THEN
        CREATE ROLE academy_gatekeeper LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE
            NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 20;
    END IF;
END
$do$;
