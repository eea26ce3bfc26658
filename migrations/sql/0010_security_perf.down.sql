-- 0010_security_perf down: the 0005/0006 policy expressions (IN-subquery form) and the
-- 0009 curriculum_remove_subtree, exactly as they were.

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
