-- 0018_students_page: one page of the students list through a scoped SECURITY DEFINER
-- function for the front desk and the super admin (issue 5: a page <= 10 ms).
--
-- Why: under RLS every decorated row ran policy subplans (family through
-- student_parent_relationships + parents, level through enrollments + levels) and the
-- whole statement was planned on every call. Same pattern as student_panels (0011): the
-- body is SECURITY INVOKER with explicit scope arguments; called directly (any kind) RLS
-- decides every table and the arguments add nothing (p_all); called by students_page
-- (SECURITY DEFINER, front desk and super admin) RLS is off and the arguments are exactly
-- those roles' SELECT policies of 0005: students, parents, enrollments and locations by
-- location; programs and levels by program. The decoration is static SQL (plan cached per
-- session); the page's ids come from dynamic SQL (the sort key picks the ORDER BY, from
-- the fixed table below only) planned per call with its arguments known.

CREATE FUNCTION academy.students_page_body(p_sort text, p_desc boolean, p_location_id uuid,
                                           p_program_id uuid, p_level_id uuid,
                                           p_active boolean, p_offset int, p_limit int,
                                           p_all boolean, p_locs uuid[], p_progs uuid[])
    RETURNS TABLE (pos int, id uuid, student_number text, first_name text, last_name text,
                   preferred_name text, date_of_birth date, location_name text,
                   program_name text, level_name text, family text, is_active boolean)
    LANGUAGE plpgsql STABLE SECURITY INVOKER
    SET search_path = pg_catalog, academy, pg_temp
    SET plan_cache_mode = force_generic_plan AS $fn$
DECLARE
    v_dir    text := CASE WHEN p_desc THEN 'desc' ELSE 'asc' END;
    v_offset int := greatest(coalesce(p_offset, 0), 0);
    v_limit  int := greatest(coalesce(p_limit, 100), 0);
    v_inner  text;
    v_merged text;
    v_places jsonb;  -- the visible locations in play: id -> name
    v_levels jsonb;  -- the visible levels: id -> name
    v_ids    uuid[];
    v_one    boolean;
    v_families text[];
    v_where  text;
    v_sql    text;
    -- a student's program name as the caller may see it (sorts by program)
    v_program text := '(SELECT p.name FROM academy.programs p'
                      ' WHERE p.id = s.program_id AND ($5 OR p.id = ANY ($6)))';
BEGIN
    -- per sort key: the order inside one location (walked on an index per location for
    -- name, number and birth) and the order of the merged page (location name first);
    -- inside one location both orders are the same
    SELECT replace(replace(o.inner_order, '{d}', v_dir), '{p}', v_program),
           replace(o.merged, '{d}', v_dir)
      INTO v_inner, v_merged
      FROM (VALUES
        ('name', 's.last_name {d}, s.first_name {d}, s.id {d}',
                 'x.last_name {d}, x.first_name {d}, x.id {d}'),
        ('number', 's.student_number {d}, s.id {d}', 'x.student_number {d}, x.id {d}'),
        ('birth', 's.date_of_birth {d} nulls last, s.last_name {d}, s.id {d}',
                  'x.date_of_birth {d} nulls last, x.last_name {d}, x.id {d}'),
        ('location', 's.last_name, s.first_name, s.id',
                     'x.location_name {d}, x.last_name, x.first_name, x.id'),
        ('program', '{p} {d} nulls last, s.last_name, s.first_name, s.id',
                    'x.program_name {d} nulls last, x.last_name, x.first_name, x.id'))
           AS o (key, inner_order, merged)
     WHERE o.key = p_sort;
    IF v_inner IS NULL THEN
        RAISE EXCEPTION 'unknown sort key %', p_sort USING ERRCODE = '22023';
    END IF;
    SELECT jsonb_object_agg(l.id, l.name) INTO v_places
      FROM academy.locations l
     WHERE (p_location_id IS NULL OR l.id = p_location_id)
       AND (p_all OR l.id = ANY (p_locs));
    IF v_places IS NULL THEN
        RETURN;
    END IF;
    v_one := (SELECT count(*) = 1 FROM jsonb_object_keys(v_places));
    -- (a small table: looked up in memory per row, not scanned per row)
    SELECT coalesce(jsonb_object_agg(lv.id, lv.name), '{}') INTO v_levels
      FROM academy.levels lv WHERE p_all OR lv.program_id = ANY (p_progs);
    -- the page's ids: each location's first (offset + limit) rows in order, merged
    -- (equality on location_id walks an index per location); one location: its page
    -- straight off the index (merging one location sorted a deep page's 1,100 rows again,
    -- and the simpler statement plans in half the time)
    v_where := $w$
                    WHERE s.location_id = %s
                      AND ($2 IS NULL OR s.program_id = $2)
                      AND ($4 IS NULL OR s.is_active = $4)
                      AND ($3 IS NULL OR EXISTS (
                           SELECT 1 FROM academy.student_enrollments e
                            WHERE e.student_id = s.id AND e.level_id = $3
                              AND e.status = 'active'
                              AND ($5 OR e.location_id = ANY ($9))))
                    ORDER BY %s$w$;
    IF v_one THEN
        v_sql := format($q$
            SELECT ARRAY(SELECT s.id FROM academy.students s %s OFFSET $7 LIMIT $8)$q$,
            format(v_where, '$1[1]', v_inner));
    ELSE
        v_sql := format($q$
            SELECT coalesce(array_agg(pg.id ORDER BY pg.pos), '{}') FROM (
                SELECT x.id, row_number() OVER (ORDER BY %s) AS pos
                  FROM academy.locations l
                 CROSS JOIN LATERAL (
                       SELECT s.id, s.last_name, s.first_name, s.student_number,
                              s.date_of_birth, l.name AS location_name,
                              %s AS program_name
                         FROM academy.students s %s LIMIT $7 + $8) x
                 WHERE l.id = ANY ($1)
                 ORDER BY pos OFFSET $7 LIMIT $8) pg$q$,
            v_merged, v_program, format(v_where, 'l.id', v_inner));
    END IF;
    EXECUTE v_sql INTO v_ids
      USING ARRAY(SELECT k::uuid FROM jsonb_object_keys(v_places) k), p_program_id,
            p_level_id, p_active, p_all, p_progs, v_offset, v_limit, p_locs;
    -- the family names (parents the caller may see); none for a kind without the grants
    -- (an instructor or program admin: the query used to fail for them)
    IF has_table_privilege('academy.parents', 'SELECT')
       AND has_table_privilege('academy.student_parent_relationships', 'SELECT') THEN
        v_families := ARRAY(
            SELECT (SELECT string_agg(pa.first_name || ' ' || pa.last_name, ', '
                               ORDER BY r.is_primary_contact DESC, pa.last_name,
                                        pa.first_name, pa.id)
                      FROM academy.student_parent_relationships r
                      JOIN academy.parents pa ON pa.id = r.parent_id
                     WHERE r.student_id = u.id AND (p_all OR pa.location_id = ANY (p_locs)))
              FROM unnest(v_ids) WITH ORDINALITY AS u (id, pos)
             ORDER BY u.pos);
    END IF;
    -- only the page's rows decorated, per row by index
    RETURN QUERY
    SELECT u.pos::int, s.id, s.student_number, s.first_name, s.last_name, s.preferred_name,
           s.date_of_birth, v_places ->> s.location_id::text, p.name, lev.name,
           v_families[u.pos::int], s.is_active
      FROM unnest(v_ids) WITH ORDINALITY AS u (id, pos)
      JOIN academy.students s ON s.id = u.id
      LEFT JOIN academy.programs p
        ON p.id = s.program_id AND (p_all OR p.id = ANY (p_progs))
      LEFT JOIN LATERAL (  -- the level in the primary program first (shown beside it)
           SELECT v_levels ->> e.level_id::text AS name
             FROM academy.student_enrollments e
            WHERE e.student_id = s.id AND e.status = 'active'
              AND (p_all OR e.location_id = ANY (p_locs))
              AND v_levels ? e.level_id::text
            ORDER BY (e.program_id = s.program_id) DESC NULLS LAST, e.enrolled_on DESC, e.id
            LIMIT 1) lev ON true
     ORDER BY u.pos;
END
$fn$;

-- The front desk's and the super admin's page (RLS off, their policies as arguments,
-- computed once); nothing for anyone else: they call the body under RLS.
CREATE FUNCTION academy.students_page(p_sort text, p_desc boolean, p_location_id uuid,
                                      p_program_id uuid, p_level_id uuid, p_active boolean,
                                      p_offset int, p_limit int)
    RETURNS TABLE (pos int, id uuid, student_number text, first_name text, last_name text,
                   preferred_name text, date_of_birth date, location_name text,
                   program_name text, level_name text, family text, is_active boolean)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_kind text := academy.my_kind();
BEGIN
    IF v_kind = 'super_admin' THEN
        RETURN QUERY SELECT * FROM academy.students_page_body(
            p_sort, p_desc, p_location_id, p_program_id, p_level_id, p_active, p_offset,
            p_limit, true, NULL, NULL);
    ELSIF v_kind = 'front_desk' THEN
        RETURN QUERY SELECT * FROM academy.students_page_body(
            p_sort, p_desc, p_location_id, p_program_id, p_level_id, p_active, p_offset,
            p_limit, false, academy.my_location_ids(), academy.my_program_ids());
    END IF;
END
$fn$;

REVOKE EXECUTE ON FUNCTION
    academy.students_page(text, boolean, uuid, uuid, uuid, boolean, int, int),
    academy.students_page_body(text, boolean, uuid, uuid, uuid, boolean, int, int, boolean,
                               uuid[], uuid[])
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    academy.students_page(text, boolean, uuid, uuid, uuid, boolean, int, int),
    academy.students_page_body(text, boolean, uuid, uuid, uuid, boolean, int, int, boolean,
                               uuid[], uuid[])
    TO academy_super_admin, academy_program_admin, academy_front_desk, academy_instructor,
       academy_parent;
