-- 0005_security (4/4): data-modification audit, privileges and row-level security.
--
-- GRANTs give commands; RLS policies give rows. Each group gets one policy per command
-- it holds (TO that group only, so a desk's query plans carry only desk policies), and
-- INSERT/UPDATE policies have WITH CHECK so nobody writes or moves a row out of scope.
-- Nobody but the owner deletes critical rows (soft delete through is_active).

------------------------------------------------------------------------------------------
-- Triggers that must see the truth whoever fires them
------------------------------------------------------------------------------------------

-- Denormalised scope columns (program_id, location_id, booked_count) are derived from
-- rows the caller may not see; as invoker they would silently keep a client-chosen
-- value. Running as the owner makes the derivation exact, and WITH CHECK then judges it.
ALTER FUNCTION academy.set_program_id_from_parent() SECURITY DEFINER;
ALTER FUNCTION academy.set_attendance_scope() SECURITY DEFINER;
ALTER FUNCTION academy.sync_session_booked_count() SECURITY DEFINER;

------------------------------------------------------------------------------------------
-- Data-modification audit (append-only: forbid_modification on data_audit_log)
------------------------------------------------------------------------------------------

-- TG_ARGV[0] = the logical table name (partitions report their parent's name).
CREATE FUNCTION academy.audit_row_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_skip text[] := ARRAY['updated_at', 'row_version', 'booked_count', 'search_document',
                           'search_name', 'last_name_search', 'phone_digits'];
    v_old  jsonb;
    v_new  jsonb;
    v_cols text[];
    v_id   uuid;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        v_id := (to_jsonb(OLD) ->> 'id')::uuid;
        v_old := to_jsonb(OLD) - v_skip;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        v_id := (to_jsonb(NEW) ->> 'id')::uuid;
        v_new := to_jsonb(NEW) - v_skip;
    END IF;
    -- binary photos: record that they changed, not their bytes
    IF v_old ? 'photo' THEN v_old := v_old || jsonb_build_object('photo', md5(v_old ->> 'photo')); END IF;
    IF v_new ? 'photo' THEN v_new := v_new || jsonb_build_object('photo', md5(v_new ->> 'photo')); END IF;
    IF TG_OP = 'UPDATE' THEN
        SELECT array_agg(k ORDER BY k) INTO v_cols
          FROM jsonb_object_keys(v_new) k WHERE v_new -> k IS DISTINCT FROM v_old -> k;
        IF v_cols IS NULL THEN
            RETURN NULL;  -- only derived/bookkeeping columns changed
        END IF;
        SELECT jsonb_object_agg(k, v_old -> k), jsonb_object_agg(k, v_new -> k)
          INTO v_old, v_new FROM unnest(v_cols) k;
    ELSE
        SELECT array_agg(k ORDER BY k) INTO v_cols FROM jsonb_object_keys(coalesce(v_new, v_old)) k;
    END IF;
    INSERT INTO academy.data_audit_log (table_name, row_id, operation, role_name, changed_columns,
                                        old_data, new_data, person_id)
    VALUES (TG_ARGV[0], v_id, TG_OP, session_user, v_cols,
            v_old, v_new, coalesce(academy.my_user_id(), academy.my_parent_id()));
    RETURN NULL;
END
$fn$;

DO $do$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'user_location_assignments', 'user_program_assignments',
                             'parents', 'students', 'student_parent_relationships',
                             'student_enrollments', 'student_progress', 'student_attendance',
                             'student_financial_records', 'courses', 'curriculums', 'levels',
                             'modules', 'sections', 'lessons', 'assessment_rubrics',
                             'assessment_rubric_criteria', 'instructors', 'sessions',
                             'session_bookings']
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON academy.%I '
                       'FOR EACH ROW EXECUTE FUNCTION academy.audit_row_change(%L)',
                       t || '_audit', t, t);
    END LOOP;
END
$do$;

------------------------------------------------------------------------------------------
-- Privileges: PUBLIC gets nothing; groups get exactly what their policies allow
------------------------------------------------------------------------------------------

REVOKE ALL ON ALL TABLES IN SCHEMA academy FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA academy FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA academy FROM PUBLIC;
-- global (a per-schema default cannot take away the global PUBLIC EXECUTE default)
ALTER DEFAULT PRIVILEGES FOR ROLE academy_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

GRANT USAGE ON SCHEMA academy TO academy_super_admin, academy_program_admin, academy_front_desk,
    academy_instructor, academy_parent, academy_gatekeeper;

-- used by CHECK constraints, generated columns and policies: run as the caller
GRANT EXECUTE ON FUNCTION academy.normalize_search(text), academy.is_valid_timezone(text),
    academy.my_kind(), academy.is_super_admin(), academy.my_user_id(), academy.my_parent_id(),
    academy.my_instructor_id(), academy.my_location_ids(), academy.my_program_ids(),
    academy.my_student_ids(), academy.my_session_ids(), academy.whoami(), academy.record_login(),
    academy.set_my_password(text), academy.search_students(text, int),
    academy.my_student_progress_summary(), academy.my_location_capacity_summary(),
    academy.my_instructor_schedule_summary()
    TO academy_super_admin, academy_program_admin, academy_front_desk, academy_instructor, academy_parent;
-- account management: super admins; desks for parent logins of their locations
GRANT EXECUTE ON FUNCTION academy.create_staff_account(text, text, text, text, text, uuid[], uuid[], uuid, boolean),
    academy.assign_scope(text, uuid[], uuid[]), academy.set_gatekeeper_password(text),
    academy.refresh_reporting_views(boolean)
    TO academy_super_admin;
GRANT EXECUTE ON FUNCTION academy.create_parent_account(uuid, text, text, boolean),
    academy.disable_account(text), academy.enable_account(text), academy.unlock_account(text),
    academy.issue_reset_code(text)
    TO academy_super_admin, academy_front_desk;
-- the gatekeeper may do exactly two things
GRANT EXECUTE ON FUNCTION academy.redeem_reset_code(text, text, text), academy.record_failed_login(text)
    TO academy_gatekeeper;

GRANT USAGE ON SEQUENCE academy.student_number_seq, academy.receipt_number_seq
    TO academy_super_admin, academy_front_desk;

-- column-level grants (the policy spec below marks these commands in lower case)
GRANT UPDATE (full_name, email, phone, preferred_language, notes) ON academy.users TO academy_super_admin;
GRANT UPDATE (email, phone, alternate_phone, address_line1, address_line2, city, region, postal_code,
              country_code, preferred_language) ON academy.parents TO academy_parent;
GRANT SELECT (id, user_id, parent_id, expires_at, used_at, attempts, created_by, created_at)
    ON academy.password_reset_tokens TO academy_super_admin;
GRANT UPDATE (bio, phone, email, qualifications) ON academy.instructors TO academy_instructor;
GRANT UPDATE (notes) ON academy.sessions TO academy_instructor;

------------------------------------------------------------------------------------------
-- Row-level security on every table (partitions included), then the policy spec
------------------------------------------------------------------------------------------

DO $do$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.oid::regclass AS rel FROM pg_class c
              WHERE c.relnamespace = 'academy'::regnamespace AND c.relkind IN ('r', 'p')
    LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', r.rel);
    END LOOP;
END
$do$;

-- Shorthands expanded below: {LOC} {PROG} {STU} {MYSESS} {ME_INSTR} {PERSON}
-- (a scratch table, dropped below: no TEMP privilege needed)
CREATE TABLE academy.rls_spec (tbl text, grp text, cmds text, using_expr text, check_expr text);
INSERT INTO academy.rls_spec VALUES
    ('alembic_version', 'sa,pa,fd,in,pr', 'S', 'true', NULL),
    ('locations', 'sa', 'SIU', 'true', NULL),
    ('locations', 'pa', 'S', '{PERSON}', NULL),
    ('locations', 'fd,in,pr', 'S', 'id = ANY ((SELECT academy.my_location_ids())::uuid[])', NULL),
    ('programs', 'sa', 'SIU', 'true', NULL),
    ('programs', 'pa', 'SU', 'id = ANY ((SELECT academy.my_program_ids())::uuid[])', NULL),
    ('programs', 'fd,in,pr', 'S', 'id = ANY ((SELECT academy.my_program_ids())::uuid[])', NULL),
    ('location_programs', 'sa', 'SIUD', 'true', NULL),
    ('location_programs', 'pa,fd,in', 'S', '{LOC} OR {PROG}', NULL),
    ('users', 'sa', 'Su', 'true', NULL),
    ('users', 'pa,fd,in', 'S', 'id = (SELECT academy.my_user_id())', NULL),
    ('user_location_assignments', 'sa', 'S', 'true', NULL),
    ('user_location_assignments', 'pa,fd,in', 'S', 'user_id = (SELECT academy.my_user_id())', NULL),
    ('user_program_assignments', 'sa', 'S', 'true', NULL),
    ('user_program_assignments', 'pa,fd,in', 'S', 'user_id = (SELECT academy.my_user_id())', NULL),
    ('parents', 'sa', 'SIU', 'true', NULL),
    ('parents', 'fd', 'SIU', '{LOC}', NULL),
    ('parents', 'pr', 'Su', 'id = (SELECT academy.my_parent_id())', NULL),
    ('password_reset_tokens', 'sa', 's', 'true', NULL),
    ('auth_audit_log', 'sa', 'S', 'true', NULL),
    ('data_audit_log', 'sa', 'S', 'true', NULL),
    ('students', 'sa', 'SIU', 'true', NULL),
    ('students', 'fd', 'SIU', '{LOC}', NULL),
    ('students', 'pa', 'S', '{PROG} OR EXISTS (SELECT 1 FROM academy.student_enrollments e '
        'WHERE e.student_id = students.id AND e.program_id = ANY ((SELECT academy.my_program_ids())::uuid[]))', NULL),
    ('students', 'in,pr', 'S', 'id = ANY ((SELECT academy.my_student_ids())::uuid[])', NULL),
    ('student_parent_relationships', 'sa', 'SIU', 'true', NULL),
    ('student_parent_relationships', 'fd', 'SIU', '{STU_AT_LOC}', NULL),
    ('student_parent_relationships', 'pr', 'S', 'parent_id = (SELECT academy.my_parent_id())', NULL),
    ('equipment_items', 'sa,pa', 'SIU', '{PERSON}', NULL),
    ('equipment_items', 'fd,in,pr', 'S', '{PERSON}', NULL),
    ('equipment_requirements', 'sa', 'SIUD', 'true', NULL),
    ('equipment_requirements', 'pa', 'SIUD', '{PROG}', NULL),
    ('equipment_requirements', 'fd,in,pr', 'S', '{PROG}', NULL),
    ('instructors', 'sa', 'SIU', 'true', NULL),
    ('instructors', 'pa,fd', 'S', '{PERSON}', NULL),
    ('instructors', 'in', 'S', '{PERSON}', NULL),
    ('instructors', 'in', 'u', 'id = (SELECT academy.my_instructor_id())', NULL),
    ('instructors', 'pr', 'S', 'id IN (SELECT s.instructor_id FROM academy.sessions s)', NULL),
    ('instructor_location_assignments', 'sa', 'SIUD', 'true', NULL),
    ('instructor_location_assignments', 'pa,fd,in', 'S', '{PERSON}', NULL),
    ('instructor_specializations', 'sa', 'SIUD', 'true', NULL),
    ('instructor_specializations', 'pa', 'SIUD', '{PROG}', NULL),
    ('instructor_specializations', 'fd,in', 'S', '{PERSON}', NULL),
    ('instructor_availability', 'sa', 'SIUD', 'true', NULL),
    ('instructor_availability', 'in', 'SIUD', '{ME_INSTR}', NULL),
    ('instructor_availability', 'pa,fd', 'S', '{PERSON}', NULL),
    ('recurring_patterns', 'sa', 'SIU', 'true', NULL),
    ('recurring_patterns', 'pa', 'SIU', '{PROG}', NULL),
    ('recurring_patterns', 'fd', 'SIU', '{LOC}', NULL),
    ('recurring_patterns', 'in', 'S', '{ME_INSTR}', NULL),
    ('sessions', 'sa', 'SIU', 'true', NULL),
    ('sessions', 'pa', 'SIU', '{PROG}', NULL),
    ('sessions', 'fd', 'SIU', '{LOC}', NULL),
    ('sessions', 'in', 'Su', '{ME_INSTR}', NULL),
    ('sessions', 'pr', 'S', 'id IN (SELECT b.session_id FROM academy.session_bookings b)', NULL),
    ('session_bookings', 'sa', 'SIU', 'true', NULL),
    ('session_bookings', 'fd', 'SIU', 'session_id IN (SELECT s.id FROM academy.sessions s WHERE s.{LOC})', NULL),
    ('session_bookings', 'pa', 'S', 'session_id IN (SELECT s.id FROM academy.sessions s WHERE s.{PROG})', NULL),
    ('session_bookings', 'in', 'S', '{MYSESS}', NULL),
    ('session_bookings', 'pr', 'S', '{STU}', NULL),
    ('session_waitlists', 'sa', 'SIU', 'true', NULL),
    ('session_waitlists', 'fd', 'SIU', 'session_id IN (SELECT s.id FROM academy.sessions s WHERE s.{LOC})', NULL),
    ('session_waitlists', 'pa', 'S', 'session_id IN (SELECT s.id FROM academy.sessions s WHERE s.{PROG})', NULL),
    ('session_waitlists', 'in', 'S', '{MYSESS}', NULL),
    ('session_waitlists', 'pr', 'S', '{STU}', NULL),
    ('schedule_conflicts', 'sa', 'SIU', 'true', NULL),
    ('schedule_conflicts', 'fd', 'SIU', '{LOC}', NULL),
    ('schedule_conflicts', 'pa', 'SIU',
        'session_id IN (SELECT s.id FROM academy.sessions s WHERE s.{PROG}) OR recurring_pattern_id IN '
        '(SELECT p.id FROM academy.recurring_patterns p WHERE p.{PROG})', NULL),
    ('student_enrollments', 'sa', 'SIU', 'true', NULL),
    ('student_enrollments', 'pa', 'SIU', '{PROG}', NULL),
    ('student_enrollments', 'fd', 'SIU', '{LOC}', '{LOC} AND {STU_AT_LOC}'),
    ('student_enrollments', 'in,pr', 'S', '{STU}', NULL),
    ('student_progress', 'sa', 'SIU', 'true', NULL),
    ('student_progress', 'pa', 'SIU', '{PROG}', NULL),
    ('student_progress', 'fd', 'S', '{STU_AT_LOC}', NULL),
    ('student_progress', 'in', 'S', '{STU}', NULL),
    ('student_progress', 'in', 'IU', '{STU} AND {MYSESS}', NULL),
    ('student_progress', 'pr', 'S', '{STU}', NULL),
    ('student_attendance', 'sa', 'SIU', 'true', NULL),
    ('student_attendance', 'fd', 'SIU', '{LOC}', NULL),
    ('student_attendance', 'pa', 'S', '{PROG}', NULL),
    ('student_attendance', 'in', 'S', '{MYSESS}', NULL),
    ('student_attendance', 'in', 'IU', '{MYSESS} AND {STU}', NULL),
    ('student_attendance', 'pr', 'S', '{STU}', NULL),
    ('student_financial_records', 'sa', 'SI', 'true', NULL),
    ('student_financial_records', 'fd', 'SI', '{LOC}', '{LOC} AND {STU_AT_LOC}'),
    ('student_financial_records', 'pr', 'S', '{STU}', NULL);
-- the curriculum tree: program admins write their programs, everyone else reads in scope
INSERT INTO academy.rls_spec
SELECT t, g, c, e, NULL FROM unnest(ARRAY['courses', 'curriculums', 'levels', 'modules', 'sections',
                                          'lessons', 'assessment_rubrics', 'assessment_rubric_criteria']) t,
     (VALUES ('sa', 'SIU', 'true'), ('pa', 'SIU', '{PROG}'), ('fd,in,pr', 'S', '{PROG}')) v (g, c, e);

DO $do$
DECLARE
    r      record;
    v_grp  text;
    v_role text;
    v_cmd  text;
    v_name text;
    v_use  text;
    v_chk  text;
    v_sql  text;
    v_macros text[][] := ARRAY[
        ARRAY['{STU_AT_LOC}', 'student_id IN (SELECT st.id FROM academy.students st WHERE st.location_id = ANY ((SELECT academy.my_location_ids())::uuid[]))'],
        ARRAY['{LOC}', 'location_id = ANY ((SELECT academy.my_location_ids())::uuid[])'],
        ARRAY['{PROG}', 'program_id = ANY ((SELECT academy.my_program_ids())::uuid[])'],
        ARRAY['{STU}', 'student_id = ANY ((SELECT academy.my_student_ids())::uuid[])'],
        ARRAY['{MYSESS}', 'session_id = ANY ((SELECT academy.my_session_ids())::uuid[])'],
        ARRAY['{ME_INSTR}', 'instructor_id = (SELECT academy.my_instructor_id())'],
        ARRAY['{PERSON}', '(SELECT academy.my_kind()) IS NOT NULL']];
    i      int;
BEGIN
    FOR r IN SELECT * FROM academy.rls_spec LOOP
        FOREACH v_grp IN ARRAY string_to_array(r.grp, ',') LOOP
            v_role := CASE v_grp WHEN 'sa' THEN 'academy_super_admin' WHEN 'pa' THEN 'academy_program_admin'
                                 WHEN 'fd' THEN 'academy_front_desk' WHEN 'in' THEN 'academy_instructor'
                                 WHEN 'pr' THEN 'academy_parent' END;
            v_use := r.using_expr;
            v_chk := coalesce(r.check_expr, r.using_expr);
            FOR i IN 1 .. array_length(v_macros, 1) LOOP
                v_use := replace(v_use, v_macros[i][1], v_macros[i][2]);
                v_chk := replace(v_chk, v_macros[i][1], v_macros[i][2]);
            END LOOP;
            IF v_grp = 'sa' THEN  -- a role put in the group without an account sees nothing
                v_use := '(SELECT academy.is_super_admin()) AND (' || v_use || ')';
                v_chk := '(SELECT academy.is_super_admin()) AND (' || v_chk || ')';
            END IF;
            FOREACH v_cmd IN ARRAY regexp_split_to_array(r.cmds, '') LOOP
                v_name := v_role || '_' || CASE upper(v_cmd) WHEN 'S' THEN 'select' WHEN 'I' THEN 'insert'
                                                  WHEN 'U' THEN 'update' WHEN 'D' THEN 'delete' END;
                IF EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = 'academy'
                              AND tablename = r.tbl AND policyname = v_name) THEN
                    v_name := v_name || '_2';
                END IF;
                v_sql := format('CREATE POLICY %I ON academy.%I AS PERMISSIVE FOR %s TO %I',
                                v_name, r.tbl, CASE upper(v_cmd) WHEN 'S' THEN 'SELECT' WHEN 'I' THEN 'INSERT'
                                                 WHEN 'U' THEN 'UPDATE' WHEN 'D' THEN 'DELETE' END, v_role);
                v_sql := v_sql || CASE upper(v_cmd)
                    WHEN 'I' THEN format(' WITH CHECK (%s)', v_chk)
                    WHEN 'U' THEN format(' USING (%s) WITH CHECK (%s)', v_use, v_chk)
                    ELSE format(' USING (%s)', v_use) END;
                EXECUTE v_sql;
                IF v_cmd = upper(v_cmd) THEN  -- lower case: column grant made above
                    EXECUTE format('GRANT %s ON academy.%I TO %I',
                                   CASE v_cmd WHEN 'S' THEN 'SELECT' WHEN 'I' THEN 'INSERT'
                                              WHEN 'U' THEN 'UPDATE' WHEN 'D' THEN 'DELETE' END, r.tbl, v_role);
                END IF;
            END LOOP;
        END LOOP;
    END LOOP;
END
$do$;

DROP TABLE academy.rls_spec;
