-- 0005_security (3/4): own password change, logins, failed logins and lockout, reset
-- codes, the caller-scoped student search and reporting reads.
--
-- Lockout trade-off (docs/security.md): failures are reported by the client through the
-- gatekeeper, whose password is effectively public, so anyone could report failures for
-- any name. Hence: 5 failures within 15 minutes lock an account for 15 minutes only; an
-- account is auto-locked at most 3 times per 24 hours (later failures are still logged);
-- one client address may report at most 30 failures per 10 minutes. Online guessing is
-- slowed by auth_delay on the server and by the password policy.

------------------------------------------------------------------------------------------
-- Own password and logins
------------------------------------------------------------------------------------------

-- The client checks the old password (by authenticating with it) and the password
-- policy, then sends only the new SCRAM verifier.
CREATE FUNCTION academy.set_my_password(p_verifier text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_acc academy.account_ref := academy.find_account(session_user::text);
BEGIN
    IF v_acc.kind IS NULL OR NOT v_acc.active THEN
        RAISE EXCEPTION 'not an active Academy account' USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L', session_user, academy.check_verifier(p_verifier));
    UPDATE academy.users SET must_change_password = false, password_changed_at = now()
     WHERE id = v_acc.user_id;
    UPDATE academy.parents SET must_change_password = false, password_changed_at = now()
     WHERE id = v_acc.parent_id;
    PERFORM academy.log_auth('password_change', session_user::text, v_acc.user_id, v_acc.parent_id);
END
$fn$;

-- Called by the client right after connecting (who, client address, application).
CREATE FUNCTION academy.record_login() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_acc academy.account_ref := academy.find_account(session_user::text);
BEGIN
    IF v_acc.kind IS NULL OR NOT v_acc.active THEN
        RAISE EXCEPTION 'not an active Academy account' USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE academy.users SET last_login_at = now(), failed_login_count = 0, locked_until = NULL
     WHERE id = v_acc.user_id;
    UPDATE academy.parents SET last_login_at = now(), failed_login_count = 0, locked_until = NULL
     WHERE id = v_acc.parent_id;
    PERFORM academy.log_auth('login_success', session_user::text, v_acc.user_id, v_acc.parent_id);
END
$fn$;

-- Reported by the client (as the gatekeeper) after a refused sign-in. Returns true when
-- the account's lock had expired and was lifted just now: the client may retry once.
CREATE FUNCTION academy.record_failed_login(p_role_name text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_acc      academy.account_ref;
    v_since    timestamptz;
    v_failures int;
    v_locks    int;
BEGIN
    IF p_role_name IS NULL OR p_role_name !~ '^[a-z][a-z0-9_]{2,62}$' THEN
        RETURN false;
    END IF;
    IF (SELECT count(*) FROM academy.auth_audit_log
         WHERE client_addr IS NOT DISTINCT FROM inet_client_addr() AND event = 'login_failure'
           AND created_at > now() - interval '10 minutes') >= 30 THEN
        RETURN false;  -- this client reports too much: ignore (and do not grow the log)
    END IF;
    v_acc := academy.find_account(p_role_name);
    IF v_acc.kind IS NOT NULL AND v_acc.active AND v_acc.locked_until <= now() THEN
        PERFORM academy.lift_lock(p_role_name, v_acc.user_id, v_acc.parent_id, true);
        RETURN true;
    END IF;
    PERFORM academy.log_auth('login_failure', p_role_name, v_acc.user_id, v_acc.parent_id,
        jsonb_build_object('known', v_acc.kind IS NOT NULL, 'locked', v_acc.locked_until IS NOT NULL));
    IF v_acc.kind IS NULL OR NOT v_acc.active OR v_acc.locked_until IS NOT NULL THEN
        RETURN false;
    END IF;
    SELECT max(created_at) INTO v_since FROM academy.auth_audit_log
     WHERE role_name = p_role_name AND created_at > now() - interval '15 minutes'
       AND event IN ('login_success', 'account_unlocked', 'account_enabled', 'password_reset_used');
    SELECT count(*) INTO v_failures FROM academy.auth_audit_log
     WHERE role_name = p_role_name AND event = 'login_failure'
       AND created_at > greatest(now() - interval '15 minutes', coalesce(v_since, '-infinity'));
    UPDATE academy.users SET failed_login_count = v_failures WHERE id = v_acc.user_id;
    UPDATE academy.parents SET failed_login_count = v_failures WHERE id = v_acc.parent_id;
    IF v_failures < 5 THEN
        RETURN false;
    END IF;
    SELECT count(*) INTO v_locks FROM academy.auth_audit_log
     WHERE role_name = p_role_name AND event = 'account_locked' AND created_at > now() - interval '24 hours';
    IF v_locks >= 3 THEN
        RETURN false;  -- lock budget spent: keep logging, rely on auth_delay and the policy
    END IF;
    EXECUTE format('ALTER ROLE %I NOLOGIN', p_role_name);
    UPDATE academy.users SET locked_until = now() + interval '15 minutes' WHERE id = v_acc.user_id;
    UPDATE academy.parents SET locked_until = now() + interval '15 minutes' WHERE id = v_acc.parent_id;
    PERFORM academy.log_auth('account_locked', p_role_name, v_acc.user_id, v_acc.parent_id,
                             jsonb_build_object('failures', v_failures, 'minutes', 15));
    RETURN false;
END
$fn$;

------------------------------------------------------------------------------------------
-- Reset codes
------------------------------------------------------------------------------------------

CREATE FUNCTION academy.reset_code_hash(p_code text) RETURNS bytea
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $fn$
    SELECT sha256(convert_to(upper(regexp_replace(coalesce(p_code, ''), '[^0-9A-Za-z]', '', 'g')), 'UTF8'))
$fn$;

-- Issue a one-time code (shown once to the admin, stored only as a hash, 30 minutes).
-- Earlier unused codes of the account stop working.
CREATE FUNCTION academy.issue_reset_code(p_role_name text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_acc  academy.account_ref := academy.require_account_manager(p_role_name);
    v_raw  text;
    v_code text;
BEGIN
    v_raw := upper(substr(translate(gen_random_uuid()::text || gen_random_uuid()::text, '-4', ''), 1, 12));
    v_code := substr(v_raw, 1, 4) || '-' || substr(v_raw, 5, 4) || '-' || substr(v_raw, 9, 4);
    UPDATE academy.password_reset_tokens SET used_at = now()
     WHERE used_at IS NULL AND (user_id = v_acc.user_id OR parent_id = v_acc.parent_id);
    INSERT INTO academy.password_reset_tokens (user_id, parent_id, token_hash, expires_at)
    VALUES (v_acc.user_id, v_acc.parent_id, academy.reset_code_hash(v_code), now() + interval '30 minutes');
    PERFORM academy.log_auth('password_reset_issued', p_role_name, v_acc.user_id, v_acc.parent_id);
    RETURN v_code;
END
$fn$;

-- The gatekeeper's entry point. Wrong, expired, reused, another account's code, unknown
-- or disabled accounts and throttled callers all get the same answer: false. Failures
-- are logged and counted (5 per code; 20 per client address per 15 minutes).
CREATE FUNCTION academy.redeem_reset_code(p_role_name text, p_code text, p_verifier text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_acc   academy.account_ref;
    v_token uuid;
BEGIN
    PERFORM academy.check_verifier(p_verifier);
    IF p_role_name IS NULL OR p_role_name !~ '^[a-z][a-z0-9_]{2,62}$' THEN
        RETURN false;
    END IF;
    IF (SELECT count(*) FROM academy.auth_audit_log
         WHERE client_addr IS NOT DISTINCT FROM inet_client_addr() AND event = 'password_reset_failed'
           AND created_at > now() - interval '15 minutes') >= 20 THEN
        RETURN false;
    END IF;
    v_acc := academy.find_account(p_role_name);
    IF v_acc.active THEN
        SELECT t.id INTO v_token FROM academy.password_reset_tokens t
         WHERE (t.user_id = v_acc.user_id OR t.parent_id = v_acc.parent_id)
           AND t.token_hash = academy.reset_code_hash(p_code)
           AND t.used_at IS NULL AND t.expires_at > now() AND t.attempts < 5
           FOR UPDATE;
    END IF;
    IF v_token IS NULL THEN
        UPDATE academy.password_reset_tokens SET attempts = least(attempts + 1, 100)
         WHERE used_at IS NULL AND (user_id = v_acc.user_id OR parent_id = v_acc.parent_id);
        PERFORM academy.log_auth('password_reset_failed', p_role_name, v_acc.user_id, v_acc.parent_id);
        RETURN false;
    END IF;
    UPDATE academy.password_reset_tokens SET used_at = now() WHERE id = v_token;
    EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', p_role_name, p_verifier);
    UPDATE academy.users SET must_change_password = false, password_changed_at = now(),
                             locked_until = NULL, failed_login_count = 0 WHERE id = v_acc.user_id;
    UPDATE academy.parents SET must_change_password = false, password_changed_at = now(),
                               locked_until = NULL, failed_login_count = 0 WHERE id = v_acc.parent_id;
    PERFORM academy.log_auth('password_reset_used', p_role_name, v_acc.user_id, v_acc.parent_id);
    RETURN true;
END
$fn$;

------------------------------------------------------------------------------------------
-- Student search: LIKE/trigram operators are not leakproof, so under RLS their indexes
-- go unused. This SECURITY DEFINER function applies exactly the caller's RLS scope on
-- students (keep in step with the students SELECT policies) and lets the planner use
-- the trigram / prefix / unique indexes.
------------------------------------------------------------------------------------------

CREATE FUNCTION academy.search_students(p_query text, p_limit int DEFAULT 50)
    RETURNS TABLE (id uuid, student_number text, first_name text, last_name text,
                   preferred_name text, date_of_birth date, location_id uuid, program_id uuid,
                   is_active boolean)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_kind     text := academy.my_kind();
    v_q        text := academy.normalize_search(btrim(coalesce(p_query, '')));
    v_pattern  text;
    v_locs     uuid[];
    v_progs    uuid[];
    v_students uuid[];
BEGIN
    IF v_kind IS NULL OR v_q = '' THEN
        RETURN;
    END IF;
    v_pattern := replace(replace(replace(v_q, '\', '\\'), '%', '\%'), '_', '\_');
    v_locs := CASE WHEN v_kind = 'front_desk' THEN academy.my_location_ids() END;
    v_progs := CASE WHEN v_kind = 'program_admin' THEN academy.my_program_ids() END;
    v_students := CASE WHEN v_kind IN ('instructor', 'parent') THEN academy.my_student_ids() END;
    -- EXECUTE plans with the actual values, so a LIKE prefix can use its btree index
    RETURN QUERY EXECUTE $q$
    SELECT s.id, s.student_number, s.first_name, s.last_name, s.preferred_name, s.date_of_birth,
           s.location_id, s.program_id, s.is_active
      FROM academy.students s
     WHERE ((char_length($1) >= 3 AND s.search_name LIKE '%' || $2 || '%')
            OR s.last_name_search LIKE $2 || '%'
            OR s.student_number = $3)
       AND ($4 = 'super_admin'
            OR ($4 = 'front_desk' AND s.location_id = ANY ($5))
            OR ($4 = 'program_admin' AND (s.program_id = ANY ($6) OR EXISTS (
                    SELECT 1 FROM academy.student_enrollments e
                     WHERE e.student_id = s.id AND e.program_id = ANY ($6))))
            OR ($4 IN ('instructor', 'parent') AND s.id = ANY ($7)))
     ORDER BY (s.last_name_search LIKE $2 || '%') DESC, s.last_name, s.first_name, s.id
     LIMIT $8 $q$
    USING v_q, v_pattern, upper(btrim(p_query)), v_kind, v_locs, v_progs, v_students,
          greatest(1, least(coalesce(p_limit, 50), 500));
END
$fn$;

------------------------------------------------------------------------------------------
-- Materialized views ignore RLS and are never granted: these read them in scope.
------------------------------------------------------------------------------------------

CREATE FUNCTION academy.my_student_progress_summary() RETURNS SETOF academy.student_progress_summary
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_kind text := academy.my_kind();
BEGIN
    IF v_kind = 'super_admin' THEN
        RETURN QUERY SELECT * FROM academy.student_progress_summary;
    ELSIF v_kind = 'front_desk' THEN
        RETURN QUERY SELECT * FROM academy.student_progress_summary
                      WHERE location_id = ANY (academy.my_location_ids());
    ELSIF v_kind = 'program_admin' THEN
        RETURN QUERY SELECT * FROM academy.student_progress_summary
                      WHERE program_id = ANY (academy.my_program_ids());
    ELSIF v_kind IN ('instructor', 'parent') THEN
        RETURN QUERY SELECT * FROM academy.student_progress_summary
                      WHERE student_id = ANY (academy.my_student_ids());
    END IF;
END
$fn$;

CREATE FUNCTION academy.my_location_capacity_summary() RETURNS SETOF academy.location_capacity_summary
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_kind text := academy.my_kind();
BEGIN
    IF v_kind = 'super_admin' THEN
        RETURN QUERY SELECT * FROM academy.location_capacity_summary;
    ELSIF v_kind IN ('front_desk', 'program_admin') THEN
        RETURN QUERY SELECT * FROM academy.location_capacity_summary
                      WHERE location_id = ANY (academy.my_location_ids());
    END IF;
END
$fn$;

CREATE FUNCTION academy.my_instructor_schedule_summary() RETURNS SETOF academy.instructor_schedule_summary
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_kind text := academy.my_kind();
BEGIN
    IF v_kind IN ('super_admin', 'program_admin') THEN
        RETURN QUERY SELECT * FROM academy.instructor_schedule_summary;
    ELSIF v_kind = 'front_desk' THEN
        RETURN QUERY SELECT * FROM academy.instructor_schedule_summary
                      WHERE location_ids && academy.my_location_ids();
    ELSIF v_kind = 'instructor' THEN
        RETURN QUERY SELECT * FROM academy.instructor_schedule_summary
                      WHERE instructor_id = academy.my_instructor_id();
    END IF;
END
$fn$;
