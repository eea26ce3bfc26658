-- 0010_security_perf down: the 0005/0006 policy expressions (IN-subquery form) and the
-- 0005 identity and scope helpers and the 0009
-- curriculum_remove_subtree, exactly as they were.

ALTER POLICY academy_front_desk_select ON academy.session_bookings
    USING (session_id IN (SELECT s.id FROM academy.sessions s WHERE s.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_front_desk_insert ON academy.session_bookings
    WITH CHECK (session_id IN (SELECT s.id FROM academy.sessions s WHERE s.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_front_desk_update ON academy.session_bookings
    USING (session_id IN (SELECT s.id FROM academy.sessions s WHERE s.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])))
    WITH CHECK (session_id IN (SELECT s.id FROM academy.sessions s WHERE s.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_program_admin_select ON academy.session_bookings
    USING (session_id IN (SELECT s.id FROM academy.sessions s WHERE s.program_id = ANY ((SELECT academy.my_program_ids())::uuid[])));
ALTER POLICY academy_front_desk_select ON academy.session_waitlists
    USING (session_id IN (SELECT s.id FROM academy.sessions s WHERE s.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_front_desk_insert ON academy.session_waitlists
    WITH CHECK (session_id IN (SELECT s.id FROM academy.sessions s WHERE s.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_front_desk_update ON academy.session_waitlists
    USING (session_id IN (SELECT s.id FROM academy.sessions s WHERE s.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])))
    WITH CHECK (session_id IN (SELECT s.id FROM academy.sessions s WHERE s.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_program_admin_select ON academy.session_waitlists
    USING (session_id IN (SELECT s.id FROM academy.sessions s WHERE s.program_id = ANY ((SELECT academy.my_program_ids())::uuid[])));
ALTER POLICY academy_front_desk_select ON academy.student_parent_relationships
    USING (student_id IN (SELECT st.id FROM academy.students st WHERE st.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_front_desk_insert ON academy.student_parent_relationships
    WITH CHECK (student_id IN (SELECT st.id FROM academy.students st WHERE st.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_front_desk_update ON academy.student_parent_relationships
    USING (student_id IN (SELECT st.id FROM academy.students st WHERE st.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])))
    WITH CHECK (student_id IN (SELECT st.id FROM academy.students st WHERE st.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_front_desk_delete ON academy.student_parent_relationships
    USING (student_id IN (SELECT st.id FROM academy.students st WHERE st.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_front_desk_select ON academy.student_progress
    USING (student_id IN (SELECT st.id FROM academy.students st WHERE st.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_front_desk_insert ON academy.student_enrollments
    WITH CHECK (location_id = ANY ((SELECT academy.my_location_ids())::uuid[]) AND student_id IN (SELECT st.id FROM academy.students st WHERE st.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_front_desk_update ON academy.student_enrollments
    WITH CHECK (location_id = ANY ((SELECT academy.my_location_ids())::uuid[]) AND student_id IN (SELECT st.id FROM academy.students st WHERE st.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_front_desk_insert ON academy.student_financial_records
    WITH CHECK (location_id = ANY ((SELECT academy.my_location_ids())::uuid[]) AND student_id IN (SELECT st.id FROM academy.students st WHERE st.location_id = ANY ((SELECT academy.my_location_ids())::uuid[])));
ALTER POLICY academy_program_admin_select ON academy.schedule_conflicts
    USING (session_id IN (SELECT s.id FROM academy.sessions s WHERE s.program_id = ANY ((SELECT academy.my_program_ids())::uuid[])) OR recurring_pattern_id IN (SELECT p.id FROM academy.recurring_patterns p WHERE p.program_id = ANY ((SELECT academy.my_program_ids())::uuid[])));
ALTER POLICY academy_program_admin_insert ON academy.schedule_conflicts
    WITH CHECK (session_id IN (SELECT s.id FROM academy.sessions s WHERE s.program_id = ANY ((SELECT academy.my_program_ids())::uuid[])) OR recurring_pattern_id IN (SELECT p.id FROM academy.recurring_patterns p WHERE p.program_id = ANY ((SELECT academy.my_program_ids())::uuid[])));
ALTER POLICY academy_program_admin_update ON academy.schedule_conflicts
    USING (session_id IN (SELECT s.id FROM academy.sessions s WHERE s.program_id = ANY ((SELECT academy.my_program_ids())::uuid[])) OR recurring_pattern_id IN (SELECT p.id FROM academy.recurring_patterns p WHERE p.program_id = ANY ((SELECT academy.my_program_ids())::uuid[])))
    WITH CHECK (session_id IN (SELECT s.id FROM academy.sessions s WHERE s.program_id = ANY ((SELECT academy.my_program_ids())::uuid[])) OR recurring_pattern_id IN (SELECT p.id FROM academy.recurring_patterns p WHERE p.program_id = ANY ((SELECT academy.my_program_ids())::uuid[])));

CREATE OR REPLACE FUNCTION academy.my_kind() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
    SELECT coalesce(
        (SELECT u.kind::text FROM academy.users u
          WHERE u.role_name = session_user::text AND u.is_active),
        (SELECT 'parent' FROM academy.parents p
          WHERE p.role_name = session_user::text AND p.is_active AND p.login_disabled_at IS NULL))
$fn$;

CREATE OR REPLACE FUNCTION academy.my_user_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
    SELECT u.id FROM academy.users u WHERE u.role_name = session_user::text AND u.is_active
$fn$;

CREATE OR REPLACE FUNCTION academy.my_parent_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
    SELECT p.id FROM academy.parents p
     WHERE p.role_name = session_user::text AND p.is_active AND p.login_disabled_at IS NULL
$fn$;

CREATE OR REPLACE FUNCTION academy.my_instructor_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy, pg_temp AS $fn$
    SELECT i.id FROM academy.instructors i
      JOIN academy.users u ON u.id = i.user_id
     WHERE u.role_name = session_user::text AND u.is_active AND u.kind = 'instructor'
$fn$;

CREATE OR REPLACE FUNCTION academy.whoami()
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

CREATE OR REPLACE FUNCTION academy.my_location_ids() RETURNS uuid[]
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

CREATE OR REPLACE FUNCTION academy.my_program_ids() RETURNS uuid[]
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
       OR NOT (academy.is_super_admin()
               OR (academy.my_kind() = 'program_admin' AND v_program = ANY (academy.my_program_ids()))) THEN
        PERFORM academy.curriculum_refuse('permission_denied', 'curriculum_not_yours',
                                          'you cannot change this program''s curriculum');
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
DROP FUNCTION academy.curriculum_added_by_caller(text, uuid[]);
