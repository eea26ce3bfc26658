-- 0010_security_perf: the same row-level security, shaped so the planner can follow an
-- index instead of building the caller's whole scope on every statement.
--
-- 0005 wrote "row in scope via its parent" as `fk IN (SELECT id FROM parent WHERE scope)`.
-- Inside a policy that sublink is never pulled up into a join, so it runs as a hashed
-- SubPlan: every statement first collects ALL sessions (or students) of the caller's
-- locations, and on a partitioned table it does so once per partition. A student's ten
-- upcoming bookings at a location with ~47k sessions took 175 ms against 0.3 as the owner.
--
-- The same condition written as a correlated EXISTS on the parent's primary key is
-- equivalent (the fk columns are NOT NULL, so IN and EXISTS agree row for row; the
-- parent is still read under its own RLS as before), and the planner now chooses: one
-- index probe per row for a handful of rows, or its hashed form for a big scan. Policy
-- names, commands, roles and USING/WITH CHECK pairs are unchanged; docs/security.md.
--
-- Also here: the identity helpers look the caller up through the role_name index, the
-- scope helpers make one SECURITY DEFINER call instead of four (same answers), and
-- curriculum_remove_subtree deletes only what the caller added.

------------------------------------------------------------------------------------------
-- Bookings and waitlists: in scope through their session
------------------------------------------------------------------------------------------

ALTER POLICY academy_front_desk_select ON academy.session_bookings
    USING (EXISTS (SELECT 1 FROM academy.sessions s WHERE s.id = session_bookings.session_id
                      AND s.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_front_desk_insert ON academy.session_bookings
    WITH CHECK (EXISTS (SELECT 1 FROM academy.sessions s WHERE s.id = session_bookings.session_id
                           AND s.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_front_desk_update ON academy.session_bookings
    USING (EXISTS (SELECT 1 FROM academy.sessions s WHERE s.id = session_bookings.session_id
                      AND s.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])))
    WITH CHECK (EXISTS (SELECT 1 FROM academy.sessions s WHERE s.id = session_bookings.session_id
                           AND s.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_program_admin_select ON academy.session_bookings
    USING (EXISTS (SELECT 1 FROM academy.sessions s WHERE s.id = session_bookings.session_id
                      AND s.program_id = ANY ((SELECT academy.my_program_ids())::uuid[])));

ALTER POLICY academy_front_desk_select ON academy.session_waitlists
    USING (EXISTS (SELECT 1 FROM academy.sessions s WHERE s.id = session_waitlists.session_id
                      AND s.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_front_desk_insert ON academy.session_waitlists
    WITH CHECK (EXISTS (SELECT 1 FROM academy.sessions s WHERE s.id = session_waitlists.session_id
                           AND s.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_front_desk_update ON academy.session_waitlists
    USING (EXISTS (SELECT 1 FROM academy.sessions s WHERE s.id = session_waitlists.session_id
                      AND s.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])))
    WITH CHECK (EXISTS (SELECT 1 FROM academy.sessions s WHERE s.id = session_waitlists.session_id
                           AND s.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_program_admin_select ON academy.session_waitlists
    USING (EXISTS (SELECT 1 FROM academy.sessions s WHERE s.id = session_waitlists.session_id
                      AND s.program_id = ANY ((SELECT academy.my_program_ids())::uuid[])));

------------------------------------------------------------------------------------------
-- Rows in a desk's scope through their student
------------------------------------------------------------------------------------------

ALTER POLICY academy_front_desk_select ON academy.student_parent_relationships
    USING (EXISTS (SELECT 1 FROM academy.students st WHERE st.id = student_parent_relationships.student_id
                      AND st.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_front_desk_insert ON academy.student_parent_relationships
    WITH CHECK (EXISTS (SELECT 1 FROM academy.students st WHERE st.id = student_parent_relationships.student_id
                           AND st.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_front_desk_update ON academy.student_parent_relationships
    USING (EXISTS (SELECT 1 FROM academy.students st WHERE st.id = student_parent_relationships.student_id
                      AND st.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])))
    WITH CHECK (EXISTS (SELECT 1 FROM academy.students st WHERE st.id = student_parent_relationships.student_id
                           AND st.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_front_desk_delete ON academy.student_parent_relationships
    USING (EXISTS (SELECT 1 FROM academy.students st WHERE st.id = student_parent_relationships.student_id
                      AND st.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));

ALTER POLICY academy_front_desk_select ON academy.student_progress
    USING (EXISTS (SELECT 1 FROM academy.students st WHERE st.id = student_progress.student_id
                      AND st.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));

ALTER POLICY academy_front_desk_insert ON academy.student_enrollments
    WITH CHECK (location_id = ANY ((SELECT academy.my_location_ids())::uuid[])
                AND EXISTS (SELECT 1 FROM academy.students st WHERE st.id = student_enrollments.student_id
                               AND st.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_front_desk_update ON academy.student_enrollments
    WITH CHECK (location_id = ANY ((SELECT academy.my_location_ids())::uuid[])
                AND EXISTS (SELECT 1 FROM academy.students st WHERE st.id = student_enrollments.student_id
                               AND st.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));

ALTER POLICY academy_front_desk_insert ON academy.student_financial_records
    WITH CHECK (location_id = ANY ((SELECT academy.my_location_ids())::uuid[])
                AND EXISTS (SELECT 1 FROM academy.students st WHERE st.id = student_financial_records.student_id
                               AND st.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));

------------------------------------------------------------------------------------------
-- Program admins' schedule conflicts: through their session or their pattern
------------------------------------------------------------------------------------------

ALTER POLICY academy_program_admin_select ON academy.schedule_conflicts
    USING (EXISTS (SELECT 1 FROM academy.sessions s WHERE s.id = schedule_conflicts.session_id
                      AND s.program_id = ANY ((SELECT academy.my_program_ids())::uuid[]))
           OR EXISTS (SELECT 1 FROM academy.recurring_patterns p WHERE p.id = schedule_conflicts.recurring_pattern_id
                         AND p.program_id = ANY ((SELECT academy.my_program_ids())::uuid[])));
ALTER POLICY academy_program_admin_insert ON academy.schedule_conflicts
    WITH CHECK (EXISTS (SELECT 1 FROM academy.sessions s WHERE s.id = schedule_conflicts.session_id
                           AND s.program_id = ANY ((SELECT academy.my_program_ids())::uuid[]))
                OR EXISTS (SELECT 1 FROM academy.recurring_patterns p WHERE p.id = schedule_conflicts.recurring_pattern_id
                              AND p.program_id = ANY ((SELECT academy.my_program_ids())::uuid[])));
ALTER POLICY academy_program_admin_update ON academy.schedule_conflicts
    USING (EXISTS (SELECT 1 FROM academy.sessions s WHERE s.id = schedule_conflicts.session_id
                      AND s.program_id = ANY ((SELECT academy.my_program_ids())::uuid[]))
           OR EXISTS (SELECT 1 FROM academy.recurring_patterns p WHERE p.id = schedule_conflicts.recurring_pattern_id
                         AND p.program_id = ANY ((SELECT academy.my_program_ids())::uuid[])))
    WITH CHECK (EXISTS (SELECT 1 FROM academy.sessions s WHERE s.id = schedule_conflicts.session_id
                           AND s.program_id = ANY ((SELECT academy.my_program_ids())::uuid[]))
                OR EXISTS (SELECT 1 FROM academy.recurring_patterns p WHERE p.id = schedule_conflicts.recurring_pattern_id
                              AND p.program_id = ANY ((SELECT academy.my_program_ids())::uuid[])));

------------------------------------------------------------------------------------------
-- Who is calling: an index lookup, not a scan of every parent
------------------------------------------------------------------------------------------

-- `role_name = session_user::text` could not use the unique index on role_name:
-- session_user is of type name, whose collation is "C", and the comparison took that
-- collation instead of the column's, so the planner scanned the table. For users (a few
-- hundred rows) that is harmless; for parents (95k at --scale large) it cost ~60 ms per
-- call - every helper call of a parent login, and my_kind() for anyone who is not an
-- active user. Comparing under the column's collation (role names are [a-z0-9_], so
-- equality is the same under any collation) makes it an index lookup. Same bodies
-- otherwise.
CREATE OR REPLACE FUNCTION academy.my_kind() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
    SELECT coalesce(
        (SELECT u.kind::text FROM academy.users u
          WHERE u.role_name = session_user::text COLLATE "default" AND u.is_active),
        (SELECT 'parent' FROM academy.parents p
          WHERE p.role_name = session_user::text COLLATE "default" AND p.is_active AND p.login_disabled_at IS NULL))
$fn$;

CREATE OR REPLACE FUNCTION academy.my_user_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
    SELECT u.id FROM academy.users u WHERE u.role_name = session_user::text COLLATE "default" AND u.is_active
$fn$;

CREATE OR REPLACE FUNCTION academy.my_parent_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
    SELECT p.id FROM academy.parents p
     WHERE p.role_name = session_user::text COLLATE "default" AND p.is_active AND p.login_disabled_at IS NULL
$fn$;

CREATE OR REPLACE FUNCTION academy.my_instructor_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
    SELECT i.id FROM academy.instructors i
      JOIN academy.users u ON u.id = i.user_id
     WHERE u.role_name = session_user::text COLLATE "default" AND u.is_active AND u.kind = 'instructor'
$fn$;

CREATE OR REPLACE FUNCTION academy.whoami()
    RETURNS TABLE (person_id uuid, role_name text, display_name text, kind text,
                   must_change_password boolean, location_ids uuid[], program_ids uuid[])
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
    SELECT u.id, u.role_name, u.full_name, u.kind::text, u.must_change_password,
           academy.my_location_ids(), academy.my_program_ids()
      FROM academy.users u
     WHERE u.role_name = session_user::text COLLATE "default" AND u.is_active
    UNION ALL
    SELECT p.id, p.role_name, p.first_name || ' ' || p.last_name, 'parent', p.must_change_password,
           academy.my_location_ids(), academy.my_program_ids()
      FROM academy.parents p
     WHERE p.role_name = session_user::text COLLATE "default" AND p.is_active AND p.login_disabled_at IS NULL
$fn$;

------------------------------------------------------------------------------------------
-- Scope helpers: same answers, one SECURITY DEFINER call each
------------------------------------------------------------------------------------------

-- Every policy evaluates its helpers once per statement (an InitPlan), but a statement
-- touching six tables runs a dozen of them, and 0005's versions nest: my_program_ids()
-- called my_kind() and my_user_id() twice - four SECURITY DEFINER calls, each switching
-- user and search_path, and five queries. These read the caller's users row once and
-- derive the rest from it. Identity is still session_user; the answers are the same for
-- every kind of caller (users.role_name and instructors.user_id are unique; a caller
-- without an active users row takes the parent path exactly as my_kind() did).
CREATE OR REPLACE FUNCTION academy.my_location_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_user uuid;
    v_kind text;
    v_ids  uuid[];
BEGIN
    SELECT u.id, u.kind::text INTO v_user, v_kind
      FROM academy.users u WHERE u.role_name = session_user::text COLLATE "default" AND u.is_active;
    IF v_kind = 'super_admin' THEN
        SELECT array_agg(l.id ORDER BY l.name) INTO v_ids FROM academy.locations l;
    ELSIF v_kind IN ('front_desk', 'program_admin') THEN
        SELECT array_agg(a.location_id ORDER BY a.location_id) INTO v_ids
          FROM academy.user_location_assignments a WHERE a.user_id = v_user;
    ELSIF v_kind = 'instructor' THEN
        SELECT array_agg(a.location_id ORDER BY a.location_id) INTO v_ids
          FROM academy.instructor_location_assignments a
          JOIN academy.instructors i ON i.id = a.instructor_id
         WHERE i.user_id = v_user;
    ELSIF v_kind IS NULL THEN  -- not an active user: a parent, or nobody
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

CREATE OR REPLACE FUNCTION academy.my_program_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_user uuid;
    v_kind text;
    v_ids  uuid[];
BEGIN
    SELECT u.id, u.kind::text INTO v_user, v_kind
      FROM academy.users u WHERE u.role_name = session_user::text COLLATE "default" AND u.is_active;
    IF v_kind = 'super_admin' THEN
        SELECT array_agg(p.id ORDER BY p.name) INTO v_ids FROM academy.programs p;
    ELSIF v_kind = 'program_admin' THEN
        SELECT array_agg(a.program_id ORDER BY a.program_id) INTO v_ids
          FROM academy.user_program_assignments a WHERE a.user_id = v_user;
    ELSIF v_kind = 'front_desk' THEN
        SELECT array_agg(DISTINCT x.program_id) INTO v_ids FROM (
            SELECT a.program_id FROM academy.user_program_assignments a WHERE a.user_id = v_user
            UNION
            SELECT lp.program_id FROM academy.location_programs lp
              JOIN academy.user_location_assignments a ON a.location_id = lp.location_id
             WHERE a.user_id = v_user) x;
    ELSIF v_kind = 'instructor' THEN
        SELECT array_agg(DISTINCT x.program_id) INTO v_ids FROM (
            SELECT sp.program_id FROM academy.instructor_specializations sp
              JOIN academy.instructors i ON i.id = sp.instructor_id WHERE i.user_id = v_user
            UNION
            SELECT s.program_id FROM academy.sessions s
              JOIN academy.instructors i ON i.id = s.instructor_id WHERE i.user_id = v_user) x;
    ELSIF v_kind IS NULL THEN  -- not an active user: a parent, or nobody
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

------------------------------------------------------------------------------------------
-- curriculum_remove_subtree (0009): undo of "add"/"duplicate", and nothing more
------------------------------------------------------------------------------------------

-- 0009's version checked the caller's program and let foreign keys refuse used nodes,
-- but then hard-deleted ANY unreferenced subtree of the caller's programs: a program
-- admin could wipe seeded or years-old lessons (or move them under a node they had just
-- added and "undo" that), although nobody may DELETE curriculum rows - they are archived.
-- Now every row it deletes (tree nodes, a level's rubric versions and criteria) must
-- have been added by the caller: its INSERT in the append-only data_audit_log was made by
-- this session_user. Anything else refuses as "in use: archive it instead"; referenced
-- rows still fail their foreign keys and are refused the same way. The scope test is
-- also wrapped in coalesce (CONTRIBUTING: a NULL from a helper must never let a caller
-- through; today my_program_ids() = '{}' happens to make it false).
CREATE FUNCTION academy.curriculum_added_by_caller(p_table text, p_ids uuid[]) RETURNS boolean
    LANGUAGE sql STABLE SET search_path = pg_catalog, academy AS $fn$
    SELECT NOT EXISTS (
        SELECT 1 FROM unnest(p_ids) AS x (id)
         WHERE NOT EXISTS (SELECT 1 FROM academy.data_audit_log a
                            WHERE a.table_name = p_table AND a.row_id = x.id
                              AND a.operation = 'INSERT' AND a.role_name = session_user::text))
$fn$;
REVOKE EXECUTE ON FUNCTION academy.curriculum_added_by_caller(text, uuid[]) FROM PUBLIC;

CREATE OR REPLACE FUNCTION academy.curriculum_remove_subtree(p_kind text, p_id uuid)
    RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
DECLARE
    k         record := academy.curriculum_kind_info(p_kind);
    v_program uuid;
    v_parent  uuid;
    v_pos     integer;
    v_child   uuid;
BEGIN
    EXECUTE format('SELECT program_id, %I, position FROM academy.%I WHERE id = $1', k.parent_col, k.tbl)
       INTO v_program, v_parent, v_pos USING p_id;
    IF v_program IS NULL
       OR NOT coalesce(academy.is_super_admin()
                       OR (academy.my_kind() = 'program_admin' AND v_program = ANY (academy.my_program_ids())),
                       false) THEN
        PERFORM academy.curriculum_refuse('permission_denied', 'curriculum_not_yours',
                                          'you cannot change this program''s curriculum');
    END IF;
    IF NOT academy.curriculum_added_by_caller(k.tbl, ARRAY[p_id])
       OR (p_kind = 'level' AND NOT academy.curriculum_added_by_caller('assessment_rubrics',
               ARRAY(SELECT r.id FROM academy.assessment_rubrics r WHERE r.level_id = p_id)))
       OR (p_kind = 'level' AND NOT academy.curriculum_added_by_caller('assessment_rubric_criteria',
               ARRAY(SELECT c.id FROM academy.assessment_rubric_criteria c
                       JOIN academy.assessment_rubrics r ON r.id = c.rubric_id WHERE r.level_id = p_id))) THEN
        PERFORM academy.curriculum_refuse('invalid_input', 'curriculum_in_use',
                                          'only items you added yourself can be removed; archive it instead');
    END IF;
    PERFORM academy.curriculum_lock_parent(v_parent);
    IF k.child_kind IS NOT NULL THEN
        FOR v_child IN EXECUTE format('SELECT id FROM academy.%I WHERE %I = $1',
                                      (academy.curriculum_kind_info(k.child_kind)).tbl,
                                      (academy.curriculum_kind_info(k.child_kind)).parent_col) USING p_id
        LOOP
            PERFORM academy.curriculum_remove_subtree(k.child_kind, v_child);
        END LOOP;
    END IF;
    BEGIN
        IF p_kind = 'level' THEN
            DELETE FROM academy.equipment_requirements WHERE level_id = p_id;
            DELETE FROM academy.assessment_rubric_criteria c USING academy.assessment_rubrics r
             WHERE c.rubric_id = r.id AND r.level_id = p_id;
            DELETE FROM academy.assessment_rubrics WHERE level_id = p_id;
        END IF;
        EXECUTE format('DELETE FROM academy.%I WHERE id = $1', k.tbl) USING p_id;
    EXCEPTION WHEN foreign_key_violation THEN
        PERFORM academy.curriculum_refuse('invalid_input', 'curriculum_in_use',
                                          'this item is already in use (enrolments, sessions or ratings); archive it instead');
    END;
    EXECUTE format('UPDATE academy.%I SET position = position - 1 WHERE %I = $1 AND position > $2',
                   k.tbl, k.parent_col) USING v_parent, v_pos;
END
$fn$;
