-- 0009_curriculum: the editor's server side. Every change to the program tree goes
-- through these functions so sibling positions stay consistent (one advisory lock per
-- parent, deferrable unique positions), stale edits are refused (expected row_version)
-- and refusals carry a code the client can explain:
--   SQLSTATE P0001, HINT 'academy:<error kind>', DETAIL '<curriculum_code>'.
-- They are SECURITY INVOKER: row-level security decides whose tree may change, so a
-- program admin of another program is refused by the database, not by the screen.
-- Only curriculum_remove_subtree (undo of "add"/"duplicate") deletes, which no group may
-- do directly: it is SECURITY DEFINER and re-checks the caller's program scope.

-- kind -> (table, parent column, parent table, child kind)
CREATE FUNCTION academy.curriculum_kind_info(p_kind text, OUT tbl text, OUT parent_col text,
                                            OUT parent_tbl text, OUT child_kind text)
    LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, academy AS $fn$
BEGIN
    SELECT v.t, v.pc, v.pt, v.ck INTO tbl, parent_col, parent_tbl, child_kind
      FROM (VALUES ('course', 'courses', 'program_id', 'programs', 'curriculum'),
                   ('curriculum', 'curriculums', 'course_id', 'courses', 'level'),
                   ('level', 'levels', 'curriculum_id', 'curriculums', 'module'),
                   ('module', 'modules', 'level_id', 'levels', 'section'),
                   ('section', 'sections', 'module_id', 'modules', 'lesson'),
                   ('lesson', 'lessons', 'section_id', 'sections', NULL))
           AS v (k, t, pc, pt, ck)
     WHERE v.k = p_kind;
    IF tbl IS NULL THEN
        RAISE EXCEPTION 'unknown curriculum node kind %', p_kind
            USING DETAIL = 'curriculum_wrong_kind', HINT = 'academy:invalid_input';
    END IF;
END
$fn$;

CREATE FUNCTION academy.curriculum_refuse(p_kind text, p_code text, p_message text)
    RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, academy AS $fn$
BEGIN
    RAISE EXCEPTION '%', p_message USING DETAIL = p_code, HINT = 'academy:' || p_kind;
END
$fn$;

-- serialise sibling-order changes under one parent for the rest of the transaction
CREATE FUNCTION academy.curriculum_lock_parent(p_parent uuid) RETURNS void
    LANGUAGE sql SET search_path = pg_catalog, academy AS $fn$
    SELECT pg_advisory_xact_lock(hashtextextended('academy.curriculum:' || p_parent::text, 0))
$fn$;

CREATE FUNCTION academy.curriculum_check_name(p_kind text, p_parent uuid, p_id uuid, p_name text)
    RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, academy AS $fn$
DECLARE
    k    record := academy.curriculum_kind_info(p_kind);
    v_dup boolean;
BEGIN
    IF p_name IS NULL OR btrim(p_name) = '' THEN
        PERFORM academy.curriculum_refuse('invalid_input', 'curriculum_name_empty', 'a name is required');
    END IF;
    IF char_length(p_name) > 200 THEN
        PERFORM academy.curriculum_refuse('invalid_input', 'curriculum_name_too_long',
                                          'a name has at most 200 characters');
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM academy.%I WHERE %I = $1 AND id IS DISTINCT FROM $2 '
                   'AND is_active AND lower(btrim(name)) = lower(btrim($3)))', k.tbl, k.parent_col)
       INTO v_dup USING p_parent, p_id, p_name;
    IF v_dup THEN
        PERFORM academy.curriculum_refuse('invalid_input', 'curriculum_name_duplicate',
                                          format('another %s here is already called "%s"', p_kind, p_name));
    END IF;
END
$fn$;

-- Add a node at p_position (NULL = last) under p_parent; p_id lets redo recreate the
-- same row. Returns the new id.
CREATE FUNCTION academy.create_curriculum_node(p_kind text, p_parent uuid, p_name text,
                                               p_position integer DEFAULT NULL, p_id uuid DEFAULT NULL)
    RETURNS uuid LANGUAGE plpgsql SET search_path = pg_catalog, academy AS $fn$
DECLARE
    k       record := academy.curriculum_kind_info(p_kind);
    v_id    uuid := coalesce(p_id, gen_random_uuid());
    v_count integer;
    v_pos   integer;
    v_found boolean;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM academy.%I WHERE id = $1)', k.parent_tbl)
       INTO v_found USING p_parent;
    IF NOT v_found THEN
        PERFORM academy.curriculum_refuse('not_found', 'curriculum_parent_missing',
                                          'the place to add to no longer exists');
    END IF;
    PERFORM academy.curriculum_check_name(p_kind, p_parent, NULL, p_name);
    PERFORM academy.curriculum_lock_parent(p_parent);
    EXECUTE format('SELECT count(*) FROM academy.%I WHERE %I = $1', k.tbl, k.parent_col)
       INTO v_count USING p_parent;
    v_pos := least(greatest(coalesce(p_position, v_count), 0), v_count);
    EXECUTE format('UPDATE academy.%I SET position = position + 1 WHERE %I = $1 AND position >= $2',
                   k.tbl, k.parent_col) USING p_parent, v_pos;
    IF p_kind = 'level' THEN
        INSERT INTO academy.levels (id, curriculum_id, program_id, level_number, name, position)
        SELECT v_id, p_parent, c.program_id,
               coalesce((SELECT max(level_number) FROM academy.levels WHERE curriculum_id = p_parent), 0) + 1,
               btrim(p_name), v_pos
          FROM academy.curriculums c WHERE c.id = p_parent;
    ELSIF p_kind = 'course' THEN
        INSERT INTO academy.courses (id, program_id, name, position) VALUES (v_id, p_parent, btrim(p_name), v_pos);
    ELSE
        -- program_id is derived from the parent by trigger; the value here is a placeholder
        EXECUTE format('INSERT INTO academy.%I (id, %I, program_id, name, position) '
                       'SELECT $1, $2, p.program_id, $3, $4 FROM academy.%I p WHERE p.id = $2',
                       k.tbl, k.parent_col, k.parent_tbl)
          USING v_id, p_parent, btrim(p_name), v_pos;
    END IF;
    RETURN v_id;
END
$fn$;

-- Change a node's own fields (name, description, is_active and kind-specific ones, as
-- jsonb keys). Refuses a stale row_version. Returns the new row_version.
CREATE FUNCTION academy.update_curriculum_node(p_kind text, p_id uuid, p_fields jsonb,
                                               p_expected_row_version integer)
    RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog, academy AS $fn$
DECLARE
    k         record := academy.curriculum_kind_info(p_kind);
    v_allowed text[] := ARRAY['name', 'description', 'is_active']
        || CASE p_kind WHEN 'curriculum' THEN ARRAY['min_age', 'max_age']
                       WHEN 'lesson' THEN ARRAY['objectives', 'content', 'duration_minutes']
                       ELSE ARRAY[]::text[] END;
    v_parent  uuid;
    v_version integer;
    v_key     text;
    v_sets    text[] := ARRAY[]::text[];
BEGIN
    EXECUTE format('SELECT %I, row_version FROM academy.%I WHERE id = $1 FOR UPDATE', k.parent_col, k.tbl)
       INTO v_parent, v_version USING p_id;
    IF v_version IS NULL THEN
        PERFORM academy.curriculum_refuse('not_found', 'curriculum_missing', 'that item no longer exists');
    END IF;
    IF p_expected_row_version IS NOT NULL AND v_version <> p_expected_row_version THEN
        PERFORM academy.curriculum_refuse('conflict_stale', 'curriculum_stale',
                                          'someone else changed this item in the meantime');
    END IF;
    FOR v_key IN SELECT jsonb_object_keys(p_fields) LOOP
        IF NOT v_key = ANY (v_allowed) THEN
            PERFORM academy.curriculum_refuse('invalid_input', 'curriculum_bad_field',
                                              format('a %s has no field %s', p_kind, v_key));
        END IF;
        v_sets := v_sets || format('%I = r.%I', v_key, v_key);
    END LOOP;
    IF p_fields ? 'name' OR (p_fields ->> 'is_active')::boolean THEN
        PERFORM academy.curriculum_check_name(
            p_kind, v_parent, p_id,
            coalesce(p_fields ->> 'name', academy.curriculum_node_name(p_kind, p_id)));
    END IF;
    IF cardinality(v_sets) > 0 THEN
        EXECUTE format('UPDATE academy.%I t SET %s FROM jsonb_populate_record(NULL::academy.%I, $1) r '
                       'WHERE t.id = $2 RETURNING t.row_version', k.tbl, array_to_string(v_sets, ', '), k.tbl)
           INTO v_version USING p_fields, p_id;
    END IF;
    RETURN v_version;
END
$fn$;

CREATE FUNCTION academy.curriculum_node_name(p_kind text, p_id uuid) RETURNS text
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, academy AS $fn$
DECLARE
    v_name text;
BEGIN
    EXECUTE format('SELECT name FROM academy.%I WHERE id = $1', (academy.curriculum_kind_info(p_kind)).tbl)
       INTO v_name USING p_id;
    RETURN v_name;
END
$fn$;

-- Which kind of node is p_id (searching the visible tree)? NULL if none.
CREATE FUNCTION academy.curriculum_kind_of(p_id uuid) RETURNS text
    LANGUAGE sql STABLE SET search_path = pg_catalog, academy AS $fn$
    SELECT coalesce(
        (SELECT 'program' FROM academy.programs WHERE id = p_id),
        (SELECT 'course' FROM academy.courses WHERE id = p_id),
        (SELECT 'curriculum' FROM academy.curriculums WHERE id = p_id),
        (SELECT 'level' FROM academy.levels WHERE id = p_id),
        (SELECT 'module' FROM academy.modules WHERE id = p_id),
        (SELECT 'section' FROM academy.sections WHERE id = p_id),
        (SELECT 'lesson' FROM academy.lessons WHERE id = p_id))
$fn$;

-- Move/reorder: put node p_id under p_new_parent at p_new_position (clamped), closing
-- the gap it leaves and opening one where it lands. Returns the node's new row_version.
CREATE FUNCTION academy.move_curriculum_node(p_kind text, p_id uuid, p_new_parent uuid,
                                             p_new_position integer, p_expected_row_version integer)
    RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog, academy AS $fn$
DECLARE
    k          record := academy.curriculum_kind_info(p_kind);
    v_old_parent uuid;
    v_old_pos  integer;
    v_version  integer;
    v_count    integer;
    v_pos      integer;
    v_target   text;
    v_name     text;
BEGIN
    IF p_new_parent = p_id THEN
        PERFORM academy.curriculum_refuse('invalid_input', 'curriculum_cycle',
                                          'an item cannot be moved into itself');
    END IF;
    EXECUTE format('SELECT %I, position, row_version, name FROM academy.%I WHERE id = $1', k.parent_col, k.tbl)
       INTO v_old_parent, v_old_pos, v_version, v_name USING p_id;
    IF v_version IS NULL THEN
        PERFORM academy.curriculum_refuse('not_found', 'curriculum_missing', 'that item no longer exists');
    END IF;
    v_target := academy.curriculum_kind_of(p_new_parent);
    IF v_target IS NULL THEN
        PERFORM academy.curriculum_refuse('not_found', 'curriculum_parent_missing',
                                          'the place to move to does not exist or is not yours to see');
    ELSIF v_target <> (SELECT v.pk FROM (VALUES ('course', 'program'), ('curriculum', 'course'),
                          ('level', 'curriculum'), ('module', 'level'), ('section', 'module'),
                          ('lesson', 'section')) v (k, pk) WHERE v.k = p_kind) THEN
        -- a node further down this node's own branch would also be a wrong kind; say cycle
        IF academy.curriculum_is_descendant(p_kind, p_id, v_target, p_new_parent) THEN
            PERFORM academy.curriculum_refuse('invalid_input', 'curriculum_cycle',
                                              'an item cannot be moved into its own subtree');
        END IF;
        PERFORM academy.curriculum_refuse('invalid_input', 'curriculum_wrong_kind',
                                          format('a %s cannot be placed under a %s', p_kind, v_target));
    END IF;
    -- lock both parents in a fixed order so two movers never deadlock
    PERFORM academy.curriculum_lock_parent(x) FROM unnest(ARRAY[v_old_parent, p_new_parent]) x
      GROUP BY x ORDER BY x;
    EXECUTE format('SELECT position, row_version FROM academy.%I WHERE id = $1 FOR UPDATE', k.tbl)
       INTO v_old_pos, v_version USING p_id;
    IF p_expected_row_version IS NOT NULL AND v_version <> p_expected_row_version THEN
        PERFORM academy.curriculum_refuse('conflict_stale', 'curriculum_stale',
                                          'someone else changed this item in the meantime');
    END IF;
    IF p_new_parent <> v_old_parent THEN
        PERFORM academy.curriculum_check_name(p_kind, p_new_parent, p_id, v_name);
    END IF;
    -- close the gap, then open the new one (the unique position is checked at commit)
    EXECUTE format('UPDATE academy.%I SET position = position - 1 WHERE %I = $1 AND position > $2',
                   k.tbl, k.parent_col) USING v_old_parent, v_old_pos;
    EXECUTE format('SELECT count(*) FROM academy.%I WHERE %I = $1 AND id <> $2', k.tbl, k.parent_col)
       INTO v_count USING p_new_parent, p_id;
    v_pos := least(greatest(coalesce(p_new_position, v_count), 0), v_count);
    EXECUTE format('UPDATE academy.%I SET position = position + 1 WHERE %I = $1 AND position >= $2 AND id <> $3',
                   k.tbl, k.parent_col) USING p_new_parent, v_pos, p_id;
    EXECUTE format('UPDATE academy.%I SET %I = $1, position = $2 WHERE id = $3 RETURNING row_version',
                   k.tbl, k.parent_col) INTO v_version USING p_new_parent, v_pos, p_id;
    IF v_version IS NULL THEN  -- visible but not updatable: RLS said no
        PERFORM academy.curriculum_refuse('permission_denied', 'curriculum_not_yours',
                                          'you cannot change this program''s curriculum');
    END IF;
    RETURN v_version;
END
$fn$;

-- Is p_target (of kind p_target_kind) inside the subtree of p_id (of kind p_kind)?
CREATE FUNCTION academy.curriculum_is_descendant(p_kind text, p_id uuid, p_target_kind text, p_target uuid)
    RETURNS boolean LANGUAGE plpgsql STABLE SET search_path = pg_catalog, academy AS $fn$
DECLARE
    v_kind text := p_target_kind;
    v_node uuid := p_target;
    k      record;
BEGIN
    WHILE v_kind IS NOT NULL AND v_kind <> 'program' LOOP
        IF v_kind = p_kind THEN
            RETURN v_node = p_id;
        END IF;
        k := academy.curriculum_kind_info(v_kind);
        EXECUTE format('SELECT %I FROM academy.%I WHERE id = $1', k.parent_col, k.tbl) INTO v_node USING v_node;
        v_kind := (SELECT v.pk FROM (VALUES ('course', 'program'), ('curriculum', 'course'),
                      ('level', 'curriculum'), ('module', 'level'), ('section', 'module'),
                      ('lesson', 'section')) v (k, pk) WHERE v.k = v_kind);
    END LOOP;
    RETURN false;
END
$fn$;

-- Copy one row of academy.<p_tbl> with some columns replaced (p_set), skipping generated
-- and bookkeeping columns. Used by duplicate_curriculum_subtree.
CREATE FUNCTION academy.curriculum_copy_row(p_tbl text, p_src uuid, p_set jsonb) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, academy AS $fn$
DECLARE
    v_cols text;
BEGIN
    SELECT string_agg(format('%I', a.attname), ', ' ORDER BY a.attnum) INTO v_cols
      FROM pg_attribute a
     WHERE a.attrelid = format('academy.%I', p_tbl)::regclass AND a.attnum > 0 AND NOT a.attisdropped
       AND a.attgenerated = '' AND a.attname NOT IN ('created_at', 'updated_at', 'row_version');
    EXECUTE format('INSERT INTO academy.%I (%s) SELECT %s FROM academy.%I s, '
                   'jsonb_populate_record(s, $2) r WHERE s.id = $1',
                   p_tbl, v_cols, regexp_replace(v_cols, '([^, ]+)', 'r.\1', 'g'), p_tbl)
      USING p_src, p_set;
END
$fn$;

CREATE FUNCTION academy.curriculum_copy_tree(p_kind text, p_src uuid, p_new_parent uuid, p_new_id uuid,
                                             p_set jsonb) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, academy AS $fn$
DECLARE
    k       record := academy.curriculum_kind_info(p_kind);
    v_child uuid;
    v_rubric record;
BEGIN
    PERFORM academy.curriculum_copy_row(k.tbl, p_src,
        p_set || jsonb_build_object('id', p_new_id, k.parent_col, p_new_parent));
    IF p_kind = 'level' THEN
        FOR v_rubric IN SELECT id FROM academy.assessment_rubrics WHERE level_id = p_src AND is_current LOOP
            PERFORM academy.curriculum_copy_row('assessment_rubrics', v_rubric.id,
                jsonb_build_object('id', gen_random_uuid(), 'level_id', p_new_id, 'version', 1));
            INSERT INTO academy.assessment_rubric_criteria (rubric_id, program_id, name, description,
                   star_0_descriptor, star_1_descriptor, star_2_descriptor, star_3_descriptor, position, is_active)
            SELECT r.id, r.program_id, c.name, c.description, c.star_0_descriptor, c.star_1_descriptor,
                   c.star_2_descriptor, c.star_3_descriptor, c.position, c.is_active
              FROM academy.assessment_rubric_criteria c, academy.assessment_rubrics r
             WHERE c.rubric_id = v_rubric.id AND r.level_id = p_new_id AND r.is_current;
        END LOOP;
        INSERT INTO academy.equipment_requirements (level_id, program_id, equipment_item_id, quantity,
                                                    per_student, is_required, notes)
        SELECT p_new_id, program_id, equipment_item_id, quantity, per_student, is_required, notes
          FROM academy.equipment_requirements WHERE level_id = p_src;
    END IF;
    IF k.child_kind IS NOT NULL THEN
        FOR v_child IN EXECUTE format('SELECT id FROM academy.%I WHERE %I = $1 ORDER BY position',
                                      (academy.curriculum_kind_info(k.child_kind)).tbl,
                                      (academy.curriculum_kind_info(k.child_kind)).parent_col) USING p_src
        LOOP
            PERFORM academy.curriculum_copy_tree(k.child_kind, v_child, p_new_id, gen_random_uuid(), '{}');
        END LOOP;
    END IF;
END
$fn$;

-- Copy node p_id and everything under it (rubric, equipment) as the last child of
-- p_new_parent, named "<name> (copy)" if the name is taken there. Returns the copy's id.
CREATE FUNCTION academy.duplicate_curriculum_subtree(p_kind text, p_id uuid, p_new_parent uuid,
                                                     p_new_id uuid DEFAULT NULL)
    RETURNS uuid LANGUAGE plpgsql SET search_path = pg_catalog, academy AS $fn$
DECLARE
    k       record := academy.curriculum_kind_info(p_kind);
    v_id    uuid := coalesce(p_new_id, gen_random_uuid());
    v_name  text := academy.curriculum_node_name(p_kind, p_id);
    v_count integer;
    v_set   jsonb;
    v_n     integer := 1;
    v_try   text;
    v_taken boolean;
BEGIN
    IF v_name IS NULL THEN
        PERFORM academy.curriculum_refuse('not_found', 'curriculum_missing', 'that item no longer exists');
    END IF;
    IF academy.curriculum_kind_of(p_new_parent) IS DISTINCT FROM (SELECT v.pk FROM (VALUES
            ('course', 'program'), ('curriculum', 'course'), ('level', 'curriculum'), ('module', 'level'),
            ('section', 'module'), ('lesson', 'section')) v (k, pk) WHERE v.k = p_kind) THEN
        PERFORM academy.curriculum_refuse('invalid_input', 'curriculum_wrong_kind',
                                          format('a %s cannot be copied there', p_kind));
    END IF;
    PERFORM academy.curriculum_lock_parent(p_new_parent);
    v_try := v_name;
    LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM academy.%I WHERE %I = $1 AND lower(name) = lower($2))',
                       k.tbl, k.parent_col) INTO v_taken USING p_new_parent, v_try;
        EXIT WHEN NOT v_taken;
        v_try := left(v_name, 180) || CASE v_n WHEN 1 THEN ' (copy)' ELSE format(' (copy %s)', v_n) END;
        v_n := v_n + 1;
    END LOOP;
    EXECUTE format('SELECT count(*) FROM academy.%I WHERE %I = $1', k.tbl, k.parent_col)
       INTO v_count USING p_new_parent;
    v_set := jsonb_build_object('name', v_try, 'position', v_count);
    IF p_kind = 'level' THEN
        v_set := v_set || jsonb_build_object('level_number',
            (SELECT coalesce(max(level_number), 0) + 1 FROM academy.levels WHERE curriculum_id = p_new_parent));
    END IF;
    PERFORM academy.curriculum_copy_tree(p_kind, p_id, p_new_parent, v_id, v_set);
    RETURN v_id;
END
$fn$;

-- Undo of "add" and "duplicate": delete a subtree nobody has used yet. Nobody may DELETE
-- tree rows directly, so this runs as the owner and re-checks the caller's scope.
CREATE FUNCTION academy.curriculum_remove_subtree(p_kind text, p_id uuid)
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

-- Save a level's rubric (criteria as [{name, description, stars: [s0, s1, s2, s3]}]).
-- If any student was rated under the current version, a new version is published and
-- the old one stays as it was (past ratings keep pointing at it); otherwise the current
-- version is edited in place. p_expected_version guards against a concurrent edit.
-- Returns the id of the rubric now current.
CREATE FUNCTION academy.save_level_rubric(p_level uuid, p_name text, p_criteria jsonb,
                                          p_expected_version integer)
    RETURNS uuid LANGUAGE plpgsql SET search_path = pg_catalog, academy AS $fn$
DECLARE
    v_cur   record;
    v_id    uuid;
    v_crit  jsonb;
    v_i     integer := 0;
    v_old   uuid[];
    v_base  integer;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM academy.levels WHERE id = p_level) THEN
        PERFORM academy.curriculum_refuse('not_found', 'curriculum_missing', 'that level no longer exists');
    END IF;
    PERFORM academy.curriculum_lock_parent(p_level);
    SELECT id, version INTO v_cur FROM academy.assessment_rubrics WHERE level_id = p_level AND is_current;
    IF coalesce(v_cur.version, 0) <> coalesce(p_expected_version, 0) THEN
        PERFORM academy.curriculum_refuse('conflict_stale', 'curriculum_stale',
                                          'someone else changed this rubric in the meantime');
    END IF;
    IF v_cur.id IS NULL OR EXISTS (SELECT 1 FROM academy.student_progress WHERE rubric_id = v_cur.id) THEN
        UPDATE academy.assessment_rubrics SET is_current = false WHERE id = v_cur.id;
        INSERT INTO academy.assessment_rubrics (level_id, program_id, version, is_current, name, published_at)
        SELECT p_level, l.program_id,
               coalesce((SELECT max(version) FROM academy.assessment_rubrics WHERE level_id = p_level), 0) + 1,
               true, coalesce(nullif(btrim(p_name), ''), 'Assessment'), now()
          FROM academy.levels l WHERE l.id = p_level
        RETURNING id INTO v_id;
    ELSE
        v_id := v_cur.id;
        UPDATE academy.assessment_rubrics SET name = coalesce(nullif(btrim(p_name), ''), name) WHERE id = v_id;
        SELECT array_agg(id ORDER BY position) INTO v_old
          FROM academy.assessment_rubric_criteria WHERE rubric_id = v_id AND is_active;
        -- park the old criteria out of the way, reuse them in order below
        SELECT coalesce(max(position), 0) + 1 INTO v_base FROM academy.assessment_rubric_criteria WHERE rubric_id = v_id;
        UPDATE academy.assessment_rubric_criteria SET position = position + v_base, is_active = false
         WHERE rubric_id = v_id AND is_active;
    END IF;
    FOR v_crit IN SELECT value FROM jsonb_array_elements(coalesce(p_criteria, '[]')) LOOP
        IF v_old IS NOT NULL AND v_i < cardinality(v_old) THEN
            UPDATE academy.assessment_rubric_criteria
               SET name = v_crit ->> 'name', description = v_crit ->> 'description', position = v_i,
                   is_active = true,
                   star_0_descriptor = v_crit -> 'stars' ->> 0, star_1_descriptor = v_crit -> 'stars' ->> 1,
                   star_2_descriptor = v_crit -> 'stars' ->> 2, star_3_descriptor = v_crit -> 'stars' ->> 3
             WHERE id = v_old[v_i + 1];
        ELSE
            INSERT INTO academy.assessment_rubric_criteria (rubric_id, program_id, name, description, position,
                   star_0_descriptor, star_1_descriptor, star_2_descriptor, star_3_descriptor)
            SELECT v_id, r.program_id, v_crit ->> 'name', v_crit ->> 'description', v_i,
                   v_crit -> 'stars' ->> 0, v_crit -> 'stars' ->> 1, v_crit -> 'stars' ->> 2, v_crit -> 'stars' ->> 3
              FROM academy.assessment_rubrics r WHERE r.id = v_id;
        END IF;
        v_i := v_i + 1;
    END LOOP;
    RETURN v_id;
END
$fn$;

REVOKE ALL ON FUNCTION academy.curriculum_kind_info(text), academy.curriculum_refuse(text, text, text),
    academy.curriculum_lock_parent(uuid), academy.curriculum_check_name(text, uuid, uuid, text),
    academy.create_curriculum_node(text, uuid, text, integer, uuid),
    academy.update_curriculum_node(text, uuid, jsonb, integer), academy.curriculum_node_name(text, uuid),
    academy.curriculum_kind_of(uuid), academy.move_curriculum_node(text, uuid, uuid, integer, integer),
    academy.curriculum_is_descendant(text, uuid, text, uuid), academy.curriculum_copy_row(text, uuid, jsonb),
    academy.curriculum_copy_tree(text, uuid, uuid, uuid, jsonb),
    academy.duplicate_curriculum_subtree(text, uuid, uuid, uuid), academy.curriculum_remove_subtree(text, uuid),
    academy.save_level_rubric(uuid, text, jsonb, integer)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION academy.curriculum_kind_info(text), academy.curriculum_refuse(text, text, text),
    academy.curriculum_lock_parent(uuid), academy.curriculum_check_name(text, uuid, uuid, text),
    academy.create_curriculum_node(text, uuid, text, integer, uuid),
    academy.update_curriculum_node(text, uuid, jsonb, integer), academy.curriculum_node_name(text, uuid),
    academy.curriculum_kind_of(uuid), academy.move_curriculum_node(text, uuid, uuid, integer, integer),
    academy.curriculum_is_descendant(text, uuid, text, uuid), academy.curriculum_copy_row(text, uuid, jsonb),
    academy.curriculum_copy_tree(text, uuid, uuid, uuid, jsonb),
    academy.duplicate_curriculum_subtree(text, uuid, uuid, uuid), academy.curriculum_remove_subtree(text, uuid),
    academy.save_level_rubric(uuid, text, jsonb, integer)
    TO academy_super_admin, academy_program_admin;
