-- 0010_security_perf: the same row-level security, shaped so the planner can follow an
-- index instead of building the caller's whole scope on every statement.
--
-- 0005 wrote "row in scope via its parent" as `fk IN (SELECT id FROM parent WHERE scope)`.
-- Inside a policy that sublink is never pulled up into a join, so it runs as a hashed
-- SubPlan: every statement first collects ALL sessions (or students) of the caller's
-- locations, and on a partitioned table it does so once per partition. A student's five
-- upcoming bookings at a location with ~25k sessions cost 7x the owner's query.
--
-- The same condition written as a correlated EXISTS on the parent's primary key is
-- equivalent (the fk columns are NOT NULL, so IN and EXISTS agree row for row; the
-- parent is still read under its own RLS as before), and the planner now chooses: one
-- index probe per row for a handful of rows, or its hashed form for a big scan. Policy
-- names, commands, roles and USING/WITH CHECK pairs are unchanged; docs/security.md.

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
