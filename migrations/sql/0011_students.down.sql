-- 0011_students down: drop what 0011 added; search_people goes back to 0006's body.
DROP FUNCTION academy.student_panels(uuid, date, timestamptz, date);
DROP FUNCTION academy.student_panels_body(uuid, date, timestamptz, date, boolean, uuid[], uuid[]);
DROP FUNCTION academy.search_people(text, int);
DROP FUNCTION academy.search_students_at(text, text, text, text, uuid[], int);
DROP FUNCTION academy.search_parents_at(text, text, text, text, uuid[], int, uuid);
DROP FUNCTION academy.search_students_scoped(text, text, text, text, int, uuid[], uuid[]);
DROP TYPE academy.search_hit;
DROP INDEX academy.students_location_last_name_search_idx;
DROP INDEX academy.students_location_search_name_idx;
DROP INDEX academy.parents_location_last_name_search_idx;
DROP INDEX academy.parents_location_search_name_idx;
DROP INDEX academy.students_location_name_order_idx;
DROP INDEX academy.students_location_number_idx;

-- 0006_students.up.sql, verbatim
-- load pg_trgm first, so its word_similarity_threshold is a known setting for SET below
SELECT extensions.similarity('a', 'a');

CREATE FUNCTION academy.search_people(p_query text, p_limit int DEFAULT 50)
    RETURNS TABLE (kind text, id uuid, student_number text, first_name text, last_name text,
                   preferred_name text, date_of_birth date, location_id uuid, location_name text,
                   program_name text, level_name text, phone text, email text,
                   is_active boolean, match_rank int, family text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, academy, pg_temp
    SET pg_trgm.word_similarity_threshold = 0.5 AS $fn$
DECLARE
    v_kind     text := academy.my_kind();
    v_q        text := academy.normalize_search(btrim(coalesce(p_query, '')));
    v_digits   text := regexp_replace(coalesce(p_query, ''), '[^0-9]', '', 'g');
    v_pattern  text;
    v_phone    text;
    v_locs     uuid[];
    v_progs    uuid[];
    v_students uuid[];
    v_parent   uuid;
    v_scope    text;
    v_limit    int := greatest(1, least(coalesce(p_limit, 50), 200));
    v_kinds    text[] := '{}';
    v_ids      uuid[] := '{}';
    v_ranks    int[] := '{}';
    v_sims     real[] := '{}';
    v_contact  uuid[] := '{}';
    r          record;
BEGIN
    IF v_kind IS NULL OR v_q = '' OR char_length(v_q) > 200 THEN
        RETURN;
    END IF;
    v_pattern := replace(replace(replace(v_q, '\', '\\'), '%', '\%'), '_', '\_');
    -- a phone search: only digits and phone punctuation, at least 4 digits
    v_phone := CASE WHEN char_length(v_digits) >= 4
                         AND btrim(p_query) ~ '^[0-9+()./ -]+$' THEN v_digits END;
    v_locs := CASE WHEN v_kind = 'front_desk' THEN academy.my_location_ids() END;
    v_progs := CASE WHEN v_kind = 'program_admin' THEN academy.my_program_ids() END;
    v_students := CASE WHEN v_kind IN ('instructor', 'parent') THEN academy.my_student_ids() END;
    v_parent := CASE WHEN v_kind = 'parent' THEN academy.my_parent_id() END;
    -- the students RLS scope of the caller's kind, as a fixed SQL fragment (no input in it)
    v_scope := CASE v_kind
        WHEN 'super_admin' THEN 'true'
        WHEN 'front_desk' THEN 's.location_id = ANY ($5)'
        WHEN 'program_admin' THEN '(s.program_id = ANY ($6) OR EXISTS (SELECT 1 FROM '
            'academy.student_enrollments e WHERE e.student_id = s.id AND e.program_id = ANY ($6)))'
        ELSE 's.id = ANY ($7)' END;
    -- Small statements run through EXECUTE (custom plans: LIKE prefixes and trigrams use
    -- their indexes with the actual values; one big statement cost more to plan than to run).
    FOR r IN EXECUTE format($q$
        SELECT s.id,
               CASE WHEN s.student_number = $3 OR s.search_name = $1 THEN 0
                    WHEN s.search_name LIKE $2 || '%%' OR s.last_name_search LIKE $2 || '%%' THEN 1
                    WHEN char_length($1) >= 3 AND s.search_name LIKE '%%' || $2 || '%%' THEN 2
                    ELSE 4 END AS rank,
               extensions.word_similarity($1, s.search_name) AS sim
          FROM academy.students s
         WHERE (s.student_number = $3
                OR s.search_name LIKE $2 || '%%'
                OR s.last_name_search LIKE $2 || '%%'
                OR (char_length($1) >= 3 AND s.search_name LIKE '%%' || $2 || '%%')
                OR (char_length($1) >= 4 AND $1 OPERATOR(extensions.<%%) s.search_name))
           AND %s
         ORDER BY 2, 3 DESC, s.last_name, s.first_name, s.id
         LIMIT $4 $q$, v_scope)
        USING v_q, v_pattern, upper(btrim(p_query)), v_limit, v_locs, v_progs, v_students
    LOOP
        v_kinds := v_kinds || 'student'::text; v_ids := v_ids || r.id;
        v_ranks := v_ranks || r.rank; v_sims := v_sims || r.sim::real;
    END LOOP;
    IF v_kind IN ('super_admin', 'front_desk', 'parent') THEN
        FOR r IN EXECUTE format($q$
            SELECT p.id,
                   CASE WHEN p.search_name = $1 OR lower(p.email::text) = $1
                             OR ($3::text IS NOT NULL AND p.phone_digits = $3) THEN 0
                        WHEN p.search_name LIKE $2 || '%%' OR p.last_name_search LIKE $2 || '%%'
                             OR ($3::text IS NOT NULL AND p.phone_digits LIKE $3 || '%%') THEN 1
                        WHEN char_length($1) >= 3 AND (p.search_name LIKE '%%' || $2 || '%%'
                             OR lower(p.email::text) LIKE '%%' || $2 || '%%') THEN 2
                        WHEN $3::text IS NOT NULL AND p.phone_digits LIKE '%%' || $3 || '%%' THEN 2
                        ELSE 4 END AS rank,
                   extensions.word_similarity($1, p.search_name) AS sim,
                   (($3::text IS NOT NULL AND p.phone_digits LIKE '%%' || $3 || '%%')
                    OR (char_length($1) >= 3 AND lower(p.email::text) LIKE '%%' || $2 || '%%'))
                       AS by_contact
              FROM academy.parents p
             WHERE (p.search_name LIKE $2 || '%%'
                    OR p.last_name_search LIKE $2 || '%%'
                    OR (char_length($1) >= 3 AND p.search_name LIKE '%%' || $2 || '%%')
                    OR (char_length($1) >= 3 AND lower(p.email::text) LIKE '%%' || $2 || '%%')
                    OR ($3::text IS NOT NULL AND p.phone_digits LIKE '%%' || $3 || '%%')
                    OR (char_length($1) >= 4 AND $1 OPERATOR(extensions.<%%) p.search_name))
               AND %s
             ORDER BY 2, 3 DESC, p.last_name, p.first_name, p.id
             LIMIT $4 $q$,
            CASE v_kind WHEN 'super_admin' THEN 'true' WHEN 'front_desk' THEN 'p.location_id = ANY ($5)'
                        ELSE 'p.id = $6' END)
            USING v_q, v_pattern, v_phone, v_limit, v_locs, v_parent
        LOOP
            v_kinds := v_kinds || 'parent'::text; v_ids := v_ids || r.id;
            v_ranks := v_ranks || r.rank; v_sims := v_sims || r.sim::real;
            IF r.by_contact THEN
                v_contact := v_contact || r.id;
            END IF;
        END LOOP;
        -- the children of a parent found by phone or email, in the caller's scope
        IF cardinality(v_contact) > 0 THEN
            FOR r IN
                SELECT DISTINCT rel.student_id AS id FROM academy.student_parent_relationships rel
                  JOIN academy.students s ON s.id = rel.student_id
                 WHERE rel.parent_id = ANY (v_contact) AND NOT s.id = ANY (v_ids)
                   AND (v_kind = 'super_admin'
                        OR (v_kind = 'front_desk' AND s.location_id = ANY (v_locs))
                        OR (v_kind = 'parent' AND s.id = ANY (v_students)))
            LOOP
                v_kinds := v_kinds || 'student'::text; v_ids := v_ids || r.id;
                v_ranks := v_ranks || 3; v_sims := v_sims || 0::real;
            END LOOP;
        END IF;
    END IF;
    RETURN QUERY
    SELECT h.kind, h.id, s.student_number, coalesce(s.first_name, p.first_name),
           coalesce(s.last_name, p.last_name), s.preferred_name, s.date_of_birth,
           coalesce(s.location_id, p.location_id), l.name, pr.name,
           (SELECT lv.name FROM academy.student_enrollments e
              JOIN academy.levels lv ON lv.id = e.level_id
             WHERE e.student_id = s.id AND e.status = 'active'
             ORDER BY e.enrolled_on DESC LIMIT 1),
           p.phone, p.email::text, coalesce(s.is_active, p.is_active), h.match_rank,
           CASE WHEN h.kind = 'student' THEN
                (SELECT string_agg(vp.first_name || ' ' || vp.last_name, ', '
                                   ORDER BY rel.is_primary_contact DESC, vp.last_name, vp.first_name)
                   FROM academy.student_parent_relationships rel
                   JOIN academy.parents vp ON vp.id = rel.parent_id
                  WHERE rel.student_id = s.id
                    AND (v_kind = 'super_admin'
                         OR (v_kind = 'front_desk' AND vp.location_id = ANY (v_locs))
                         OR (v_kind = 'parent' AND vp.id = v_parent)))
           ELSE
                (SELECT string_agg(vs.first_name || ' ' || vs.last_name, ', '
                                   ORDER BY vs.date_of_birth, vs.first_name)
                   FROM academy.student_parent_relationships rel
                   JOIN academy.students vs ON vs.id = rel.student_id
                  WHERE rel.parent_id = p.id
                    AND (v_kind = 'super_admin'
                         OR (v_kind = 'front_desk' AND vs.location_id = ANY (v_locs))
                         OR (v_kind = 'parent' AND vs.id = ANY (v_students))))
           END
      FROM unnest(v_kinds, v_ids, v_ranks, v_sims) AS h (kind, id, match_rank, sim)
      LEFT JOIN academy.students s ON h.kind = 'student' AND s.id = h.id
      LEFT JOIN academy.parents p ON h.kind = 'parent' AND p.id = h.id
      LEFT JOIN academy.locations l ON l.id = coalesce(s.location_id, p.location_id)
      LEFT JOIN academy.programs pr ON pr.id = s.program_id
     ORDER BY h.match_rank, h.sim DESC, (h.kind = 'parent'),
              coalesce(s.last_name, p.last_name), coalesce(s.first_name, p.first_name), h.id
     LIMIT v_limit;
END
$fn$;

REVOKE EXECUTE ON FUNCTION academy.search_people(text, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION academy.search_people(text, int)
    TO academy_super_admin, academy_program_admin, academy_front_desk, academy_instructor,
       academy_parent;
