-- Undo 0005_security: drop or revoke exactly what its four up files did. The group
-- roles are bootstrap's and stay; login roles made by the account functions are people's
-- accounts (cluster-wide data) and stay too.

DO $do$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT schemaname, tablename, policyname FROM pg_policies WHERE schemaname = 'academy' LOOP
        EXECUTE format('DROP POLICY %I ON %I.%I', r.policyname, r.schemaname, r.tablename);
    END LOOP;
    FOR r IN SELECT c.oid::regclass AS rel FROM pg_class c
              WHERE c.relnamespace = 'academy'::regnamespace AND c.relkind IN ('r', 'p')
    LOOP
        EXECUTE format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', r.rel);
    END LOOP;
    FOR r IN SELECT tgname, tgrelid::regclass AS rel FROM pg_trigger
              WHERE tgfoid = 'academy.audit_row_change()'::regprocedure AND tgparentid = 0
    LOOP
        EXECUTE format('DROP TRIGGER %I ON %s', r.tgname, r.rel);
    END LOOP;
END
$do$;

REVOKE ALL ON ALL TABLES IN SCHEMA academy FROM academy_super_admin, academy_program_admin,
    academy_front_desk, academy_instructor, academy_parent, academy_gatekeeper;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA academy FROM academy_super_admin, academy_program_admin,
    academy_front_desk, academy_instructor, academy_parent, academy_gatekeeper;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA academy FROM academy_super_admin, academy_program_admin,
    academy_front_desk, academy_instructor, academy_parent, academy_gatekeeper;
REVOKE USAGE ON SCHEMA academy FROM academy_super_admin, academy_program_admin, academy_front_desk,
    academy_instructor, academy_parent, academy_gatekeeper;
ALTER DEFAULT PRIVILEGES FOR ROLE academy_owner GRANT EXECUTE ON FUNCTIONS TO PUBLIC;
-- the earlier revisions' functions had the default PUBLIC EXECUTE (except the three they revoked)
GRANT EXECUTE ON FUNCTION academy.touch_updated_at(), academy.forbid_modification(),
    academy.normalize_search(text), academy.is_valid_timezone(text),
    academy.set_program_id_from_parent(), academy.cascade_program_id(), academy.set_session_date(),
    academy.sync_session_booked_count(), academy.set_attendance_scope(), academy.prepare_ledger_entry()
    TO PUBLIC;

ALTER FUNCTION academy.set_program_id_from_parent() SECURITY INVOKER;
ALTER FUNCTION academy.set_attendance_scope() SECURITY INVOKER;
ALTER FUNCTION academy.sync_session_booked_count() SECURITY INVOKER;

DROP FUNCTION academy.audit_row_change();
DROP FUNCTION academy.my_student_progress_summary();
DROP FUNCTION academy.my_location_capacity_summary();
DROP FUNCTION academy.my_instructor_schedule_summary();
DROP FUNCTION academy.search_students(text, int);
DROP FUNCTION academy.redeem_reset_code(text, text, text);
DROP FUNCTION academy.issue_reset_code(text);
DROP FUNCTION academy.reset_code_hash(text);
DROP FUNCTION academy.record_failed_login(text);
DROP FUNCTION academy.record_login();
DROP FUNCTION academy.set_my_password(text);
DROP FUNCTION academy.set_gatekeeper_password(text);
DROP FUNCTION academy.unlock_account(text);
DROP FUNCTION academy.lift_lock(text, uuid, uuid, boolean);
DROP FUNCTION academy.enable_account(text);
DROP FUNCTION academy.disable_account(text);
DROP FUNCTION academy.create_parent_account(uuid, text, text, boolean);
DROP FUNCTION academy.assign_scope(text, uuid[], uuid[]);
DROP FUNCTION academy.create_staff_account(text, text, text, text, text, uuid[], uuid[], uuid, boolean);
DROP FUNCTION academy.require_account_manager(text);
DROP FUNCTION academy.find_account(text);
DROP TYPE academy.account_ref;
DROP FUNCTION academy.sync_assignments(uuid, uuid[], uuid[]);
DROP FUNCTION academy.terminate_sessions_of(text);
DROP FUNCTION academy.ensure_login_role(text, text, text);
DROP FUNCTION academy.log_auth(text, text, uuid, uuid, jsonb);
DROP FUNCTION academy.require_super_admin();
DROP FUNCTION academy.check_verifier(text);
DROP FUNCTION academy.check_role_name(text);
DROP FUNCTION academy.whoami();
DROP FUNCTION academy.my_session_ids();
DROP FUNCTION academy.my_student_ids();
DROP FUNCTION academy.my_program_ids();
DROP FUNCTION academy.my_location_ids();
DROP FUNCTION academy.my_instructor_id();
DROP FUNCTION academy.my_parent_id();
DROP FUNCTION academy.my_user_id();
DROP FUNCTION academy.caller_is_superuser();
DROP FUNCTION academy.is_super_admin();
DROP FUNCTION academy.my_kind();

DROP INDEX academy.auth_audit_log_client_addr_idx;
ALTER TABLE academy.data_audit_log DROP COLUMN person_id;
ALTER TABLE academy.parents
    DROP COLUMN must_change_password, DROP COLUMN failed_login_count, DROP COLUMN locked_until,
    DROP COLUMN last_login_at, DROP COLUMN password_changed_at, DROP COLUMN login_disabled_at;

-- The gatekeeper is cluster-wide: it goes only when no other database still grants it anything.
DO $do$
BEGIN
    DROP ROLE IF EXISTS academy_gatekeeper;
EXCEPTION WHEN dependent_objects_still_exist OR insufficient_privilege THEN
    RAISE NOTICE 'academy_gatekeeper kept: %', SQLERRM;
END
$do$;
