-- 0005_security (2/4): accounts, passwords, logins, reset codes.
--
-- Every function here is SECURITY DEFINER (academy_owner has CREATEROLE and ADMIN on the
-- group roles, so no person needs CREATEROLE), re-checks the caller, validates every
-- argument and builds identifiers with format('%I'). Passwords only ever arrive as SCRAM
-- verifiers computed by the client: no plaintext reaches a statement or a server log.

------------------------------------------------------------------------------------------
-- Internal building blocks (owner only: EXECUTE is never granted)
------------------------------------------------------------------------------------------

-- Conservative role names: lower-case ASCII, 3..63 chars, no reserved prefixes.
CREATE FUNCTION academy.check_role_name(p_role_name text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
    IF p_role_name IS NULL OR p_role_name !~ '^[a-z][a-z0-9_]{2,62}$'
       OR p_role_name ~ '^(pg_|academy_)' OR p_role_name IN ('postgres', 'public', 'none') THEN
        RAISE EXCEPTION 'invalid account name: use 3-63 lower-case letters, digits or _, starting with a letter'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN p_role_name;
END
$fn$;

CREATE FUNCTION academy.check_verifier(p_verifier text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
    IF p_verifier IS NULL OR p_verifier !~
       '^SCRAM-SHA-256\$[0-9]{4,7}:[A-Za-z0-9+/]{16,64}={0,2}\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$' THEN
        RAISE EXCEPTION 'a password must be sent as a SCRAM-SHA-256 verifier computed by the client'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN p_verifier;
END
$fn$;

CREATE FUNCTION academy.require_super_admin() RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
BEGIN
    IF NOT (academy.is_super_admin() OR academy.caller_is_superuser()) THEN
        RAISE EXCEPTION 'only a super admin may manage accounts' USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$fn$;

CREATE FUNCTION academy.log_auth(p_event text, p_role_name text, p_user_id uuid, p_parent_id uuid,
                                 p_details jsonb DEFAULT '{}') RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
    INSERT INTO academy.auth_audit_log (event, role_name, user_id, parent_id, details)
    VALUES (p_event, left(p_role_name, 63), p_user_id, p_parent_id, coalesce(p_details, '{}'))
$fn$;

-- Make p_role_name a LOGIN role that is a member of exactly p_group among the Academy
-- groups. An existing role is taken over only if it is already a plain Academy person
-- (member of Academy groups only, no attributes): never a DBA's or a system role.
CREATE FUNCTION academy.ensure_login_role(p_role_name text, p_group text, p_verifier text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_role   pg_catalog.pg_roles%ROWTYPE;
    v_groups text[] := ARRAY['academy_super_admin', 'academy_program_admin', 'academy_front_desk',
                             'academy_instructor', 'academy_parent'];
    v_other  text;
BEGIN
    PERFORM academy.check_role_name(p_role_name);
    SELECT * INTO v_role FROM pg_catalog.pg_roles WHERE rolname = p_role_name;
    IF NOT FOUND THEN
        IF p_verifier IS NULL THEN
            RAISE EXCEPTION 'a new account needs a password' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        EXECUTE format('CREATE ROLE %I LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION '
                       'NOBYPASSRLS CONNECTION LIMIT 20 PASSWORD %L',
                       p_role_name, academy.check_verifier(p_verifier));
    ELSE
        IF v_role.rolsuper OR v_role.rolcreaterole OR v_role.rolcreatedb OR v_role.rolreplication
           OR v_role.rolbypassrls OR EXISTS (
               SELECT 1 FROM pg_catalog.pg_auth_members m
                 JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
                WHERE m.member = v_role.oid AND g.rolname <> ALL (v_groups))
           OR EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m WHERE m.roleid = v_role.oid
                         AND m.member <> (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = 'academy_owner')) THEN
            RAISE EXCEPTION 'role % exists and is not an Academy account', p_role_name
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF p_verifier IS NOT NULL THEN
            EXECUTE format('ALTER ROLE %I PASSWORD %L', p_role_name, academy.check_verifier(p_verifier));
        END IF;
    END IF;
    FOREACH v_other IN ARRAY v_groups LOOP
        IF v_other <> p_group AND pg_catalog.pg_has_role(p_role_name, v_other, 'MEMBER') THEN
            EXECUTE format('REVOKE %I FROM %I', v_other, p_role_name);
        END IF;
    END LOOP;
    IF NOT pg_catalog.pg_has_role(p_role_name, p_group, 'MEMBER') THEN
        IF current_setting('server_version_num')::int >= 160000 THEN
            EXECUTE format('GRANT %I TO %I WITH INHERIT TRUE, SET FALSE', p_group, p_role_name);
        ELSE
            EXECUTE format('GRANT %I TO %I', p_group, p_role_name);
        END IF;
    END IF;
END
$fn$;

-- A loop, not "WHERE usename = $1 AND pg_terminate_backend(pid)": the planner may
-- evaluate the terminate call before the name filter and kill everyone's sessions.
CREATE FUNCTION academy.terminate_sessions_of(p_role_name text) RETURNS int
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_pid int;
    v_n   int := 0;
BEGIN
    FOR v_pid IN SELECT a.pid FROM pg_catalog.pg_stat_activity a
                  WHERE a.usename = p_role_name::name AND a.pid <> pg_catalog.pg_backend_pid()
    LOOP
        IF pg_catalog.pg_terminate_backend(v_pid) THEN
            v_n := v_n + 1;
        END IF;
    END LOOP;
    RETURN v_n;
END
$fn$;

-- Replace a user's location and program assignments with exactly the given sets.
CREATE FUNCTION academy.sync_assignments(p_user_id uuid, p_location_ids uuid[], p_program_ids uuid[])
    RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_changed int := 0;
    v_n       int;
BEGIN
    DELETE FROM academy.user_location_assignments
     WHERE user_id = p_user_id AND location_id <> ALL (coalesce(p_location_ids, '{}'));
    GET DIAGNOSTICS v_n = ROW_COUNT; v_changed := v_changed + v_n;
    INSERT INTO academy.user_location_assignments (user_id, location_id)
    SELECT p_user_id, x FROM unnest(coalesce(p_location_ids, '{}')) x
    ON CONFLICT (user_id, location_id) DO NOTHING;
    GET DIAGNOSTICS v_n = ROW_COUNT; v_changed := v_changed + v_n;
    DELETE FROM academy.user_program_assignments
     WHERE user_id = p_user_id AND program_id <> ALL (coalesce(p_program_ids, '{}'));
    GET DIAGNOSTICS v_n = ROW_COUNT; v_changed := v_changed + v_n;
    INSERT INTO academy.user_program_assignments (user_id, program_id)
    SELECT p_user_id, x FROM unnest(coalesce(p_program_ids, '{}')) x
    ON CONFLICT (user_id, program_id) DO NOTHING;
    GET DIAGNOSTICS v_n = ROW_COUNT; v_changed := v_changed + v_n;
    RETURN v_changed > 0;
END
$fn$;

-- An account (staff user or parent login) by role name; all fields NULL when unknown.
CREATE TYPE academy.account_ref AS (kind text, user_id uuid, parent_id uuid, active boolean,
                                    location_id uuid, locked_until timestamptz);

CREATE FUNCTION academy.find_account(p_role_name text) RETURNS academy.account_ref
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
    SELECT x::academy.account_ref FROM (
        SELECT u.kind::text, u.id, NULL::uuid, u.is_active, NULL::uuid, u.locked_until
          FROM academy.users u WHERE u.role_name = p_role_name
        UNION ALL
        SELECT 'parent', NULL, p.id, p.is_active AND p.login_disabled_at IS NULL, p.location_id, p.locked_until
          FROM academy.parents p WHERE p.role_name = p_role_name
        LIMIT 1) x
$fn$;

-- Super admins manage every account; a front desk manages the parent logins of families
-- at their locations. Returns the account or raises.
CREATE FUNCTION academy.require_account_manager(p_role_name text)
    RETURNS academy.account_ref LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_acc academy.account_ref;
BEGIN
    PERFORM academy.check_role_name(p_role_name);
    v_acc := academy.find_account(p_role_name);
    IF academy.is_super_admin() OR academy.caller_is_superuser()
       OR (academy.my_kind() = 'front_desk' AND v_acc.kind = 'parent'
           AND v_acc.location_id = ANY (academy.my_location_ids())) THEN
        IF v_acc.kind IS NULL THEN
            RAISE EXCEPTION 'no account named %', p_role_name USING ERRCODE = 'no_data_found';
        END IF;
        RETURN v_acc;
    END IF;
    RAISE EXCEPTION 'you may not manage this account' USING ERRCODE = 'insufficient_privilege';
END
$fn$;

------------------------------------------------------------------------------------------
-- Account management (super admins; the DBA as superuser for the first one)
------------------------------------------------------------------------------------------

CREATE FUNCTION academy.create_staff_account(
    p_role_name text, p_kind text, p_verifier text, p_full_name text,
    p_email text DEFAULT NULL, p_location_ids uuid[] DEFAULT '{}', p_program_ids uuid[] DEFAULT '{}',
    p_instructor_id uuid DEFAULT NULL, p_must_change_password boolean DEFAULT true) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_user    academy.users%ROWTYPE;
    v_new     boolean;
    v_changed boolean;
BEGIN
    PERFORM academy.require_super_admin();
    PERFORM academy.check_role_name(p_role_name);
    IF p_kind IS NULL OR p_kind NOT IN ('super_admin', 'program_admin', 'front_desk', 'instructor') THEN
        RAISE EXCEPTION 'invalid staff kind %', p_kind USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM academy.parents WHERE role_name = p_role_name) THEN
        RAISE EXCEPTION 'role % is a parent login', p_role_name USING ERRCODE = 'unique_violation';
    END IF;
    IF p_role_name = session_user::text AND EXISTS (
           SELECT 1 FROM academy.users WHERE role_name = p_role_name AND kind::text <> p_kind) THEN
        RAISE EXCEPTION 'you cannot change your own role' USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM academy.ensure_login_role(p_role_name, 'academy_' || p_kind, p_verifier);
    SELECT * INTO v_user FROM academy.users WHERE role_name = p_role_name;
    v_new := NOT FOUND;
    INSERT INTO academy.users AS u (role_name, kind, full_name, email, must_change_password,
                                    password_changed_at)
    VALUES (p_role_name, p_kind::academy.user_kind, p_full_name, p_email, p_must_change_password,
            CASE WHEN p_verifier IS NOT NULL THEN now() END)
    ON CONFLICT (role_name) DO UPDATE
       SET kind = EXCLUDED.kind, full_name = EXCLUDED.full_name, email = EXCLUDED.email,
           must_change_password = CASE WHEN p_verifier IS NOT NULL THEN EXCLUDED.must_change_password
                                       ELSE u.must_change_password END,
           password_changed_at = coalesce(EXCLUDED.password_changed_at, u.password_changed_at)
    RETURNING * INTO v_user;
    IF v_user.is_active THEN
        EXECUTE format('ALTER ROLE %I LOGIN', p_role_name);
    END IF;
    v_changed := academy.sync_assignments(v_user.id, p_location_ids, p_program_ids);
    IF p_kind = 'instructor' THEN
        IF p_instructor_id IS NOT NULL THEN
            UPDATE academy.instructors SET user_id = v_user.id WHERE id = p_instructor_id;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'no instructor %', p_instructor_id USING ERRCODE = 'foreign_key_violation';
            END IF;
        ELSIF NOT EXISTS (SELECT 1 FROM academy.instructors WHERE user_id = v_user.id) THEN
            INSERT INTO academy.instructors (user_id, first_name, last_name, email)
            VALUES (v_user.id, split_part(p_full_name, ' ', 1),
                    coalesce(nullif(regexp_replace(p_full_name, '^\S+\s*', ''), ''), p_full_name),
                    p_email);
        END IF;
    END IF;
    PERFORM academy.log_auth(CASE WHEN v_new THEN 'account_created' ELSE 'role_changed' END,
                             p_role_name, v_user.id, NULL,
                             jsonb_build_object('kind', p_kind, 'password_set', p_verifier IS NOT NULL));
    IF v_changed THEN
        PERFORM academy.log_auth('assignment_changed', p_role_name, v_user.id, NULL,
            jsonb_build_object('locations', p_location_ids, 'programs', p_program_ids));
    END IF;
    RETURN v_user.id;
END
$fn$;

CREATE FUNCTION academy.assign_scope(p_role_name text, p_location_ids uuid[], p_program_ids uuid[])
    RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_user_id uuid;
BEGIN
    PERFORM academy.require_super_admin();
    SELECT id INTO v_user_id FROM academy.users WHERE role_name = academy.check_role_name(p_role_name);
    IF v_user_id IS NULL THEN
        RAISE EXCEPTION 'no staff account named %', p_role_name USING ERRCODE = 'no_data_found';
    END IF;
    IF academy.sync_assignments(v_user_id, p_location_ids, p_program_ids) THEN
        PERFORM academy.log_auth('assignment_changed', p_role_name, v_user_id, NULL,
            jsonb_build_object('locations', p_location_ids, 'programs', p_program_ids));
    END IF;
END
$fn$;

-- A login for a parent record (super admin, or a front desk of the family's location).
CREATE FUNCTION academy.create_parent_account(p_parent_id uuid, p_role_name text, p_verifier text,
                                              p_must_change_password boolean DEFAULT true)
    RETURNS uuid LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_parent academy.parents%ROWTYPE;
BEGIN
    PERFORM academy.check_role_name(p_role_name);
    SELECT * INTO v_parent FROM academy.parents WHERE id = p_parent_id;
    IF NOT (academy.is_super_admin() OR academy.caller_is_superuser()
            OR (academy.my_kind() = 'front_desk' AND v_parent.location_id = ANY (academy.my_location_ids()))) THEN
        RAISE EXCEPTION 'you may not manage this account' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF v_parent.id IS NULL THEN
        RAISE EXCEPTION 'no parent %', p_parent_id USING ERRCODE = 'no_data_found';
    END IF;
    IF v_parent.role_name IS DISTINCT FROM p_role_name AND v_parent.role_name IS NOT NULL THEN
        RAISE EXCEPTION 'this parent already has the login %', v_parent.role_name USING ERRCODE = 'unique_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM academy.users WHERE role_name = p_role_name)
       OR EXISTS (SELECT 1 FROM academy.parents WHERE role_name = p_role_name AND id <> p_parent_id) THEN
        RAISE EXCEPTION 'role % belongs to another person', p_role_name USING ERRCODE = 'unique_violation';
    END IF;
    PERFORM academy.ensure_login_role(p_role_name, 'academy_parent', p_verifier);
    UPDATE academy.parents
       SET role_name = p_role_name, login_disabled_at = NULL,
           must_change_password = CASE WHEN p_verifier IS NOT NULL THEN p_must_change_password
                                       ELSE must_change_password END,
           password_changed_at = CASE WHEN p_verifier IS NOT NULL THEN now() ELSE password_changed_at END
     WHERE id = p_parent_id;
    EXECUTE format('ALTER ROLE %I LOGIN', p_role_name);
    PERFORM academy.log_auth(CASE WHEN v_parent.role_name IS NULL THEN 'account_created' ELSE 'role_changed' END,
                             p_role_name, NULL, p_parent_id, jsonb_build_object('kind', 'parent'));
    RETURN p_parent_id;
END
$fn$;

-- Disabling makes the role NOLOGIN and ends its open sessions at once.
CREATE FUNCTION academy.disable_account(p_role_name text) RETURNS int
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_acc        academy.account_ref := academy.require_account_manager(p_role_name);
    v_terminated int;
BEGIN
    IF p_role_name = session_user::text THEN
        RAISE EXCEPTION 'you cannot disable your own account' USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('ALTER ROLE %I NOLOGIN', p_role_name);
    IF v_acc.user_id IS NOT NULL THEN
        UPDATE academy.users SET is_active = false, deactivated_at = now() WHERE id = v_acc.user_id;
    ELSE
        UPDATE academy.parents SET login_disabled_at = now() WHERE id = v_acc.parent_id;
    END IF;
    v_terminated := academy.terminate_sessions_of(p_role_name);
    PERFORM academy.log_auth('account_disabled', p_role_name, v_acc.user_id, v_acc.parent_id,
                             jsonb_build_object('sessions_terminated', v_terminated));
    RETURN v_terminated;
END
$fn$;

CREATE FUNCTION academy.enable_account(p_role_name text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_acc academy.account_ref := academy.require_account_manager(p_role_name);
BEGIN
    IF v_acc.user_id IS NOT NULL THEN
        UPDATE academy.users SET is_active = true, deactivated_at = NULL, locked_until = NULL,
                                 failed_login_count = 0 WHERE id = v_acc.user_id;
    ELSE
        UPDATE academy.parents SET login_disabled_at = NULL, locked_until = NULL,
                                   failed_login_count = 0 WHERE id = v_acc.parent_id;
    END IF;
    EXECUTE format('ALTER ROLE %I LOGIN', p_role_name);
    PERFORM academy.log_auth('account_enabled', p_role_name, v_acc.user_id, v_acc.parent_id);
END
$fn$;

CREATE FUNCTION academy.unlock_account(p_role_name text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_acc academy.account_ref := academy.require_account_manager(p_role_name);
BEGIN
    PERFORM academy.lift_lock(p_role_name, v_acc.user_id, v_acc.parent_id, v_acc.active);
END
$fn$;

CREATE FUNCTION academy.lift_lock(p_role_name text, p_user_id uuid, p_parent_id uuid, p_active boolean)
    RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
BEGIN
    UPDATE academy.users SET locked_until = NULL, failed_login_count = 0 WHERE id = p_user_id;
    UPDATE academy.parents SET locked_until = NULL, failed_login_count = 0 WHERE id = p_parent_id;
    IF p_active THEN
        EXECUTE format('ALTER ROLE %I LOGIN', p_role_name);
    END IF;
    PERFORM academy.log_auth('account_unlocked', p_role_name, p_user_id, p_parent_id);
END
$fn$;

CREATE FUNCTION academy.set_gatekeeper_password(p_verifier text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
BEGIN
    PERFORM academy.require_super_admin();
    EXECUTE format('ALTER ROLE academy_gatekeeper PASSWORD %L', academy.check_verifier(p_verifier));
    PERFORM academy.log_auth('password_change', 'academy_gatekeeper', NULL, NULL);
END
$fn$;
