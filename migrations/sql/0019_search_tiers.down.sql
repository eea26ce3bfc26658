-- 0019_search_tiers down: search_people and its two helpers go back to 0015's bodies
-- (verbatim), search_students_scoped to 0011's; the typo functions, the dictionary, the
-- word index and the hits' sort keys go.
-- load pg_trgm first, so its word_similarity_threshold is a known setting for SET below
SELECT extensions.similarity('a', 'a');

ALTER TYPE academy.search_hit DROP ATTRIBUTE k1, DROP ATTRIBUTE k2;

-- Students for scopes that are not locations: program admin (programs, or enrolled in
-- one), instructor and parent (their students). Same ranks as search_students_at.
CREATE OR REPLACE FUNCTION academy.search_students_scoped(p_kind text, p_q text, p_like text,
                                               p_number text, p_limit int, p_progs uuid[],
                                               p_students uuid[])
    RETURNS academy.search_hit[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, academy, pg_temp
    SET pg_trgm.word_similarity_threshold = 0.5 AS $fn$
DECLARE
    v_scope text;
    v_hits  academy.search_hit[];
BEGIN
    -- the students SELECT policy of the caller's kind, as a fixed fragment (no input in it)
    v_scope := CASE p_kind
        WHEN 'program_admin' THEN '(s.program_id = ANY ($5) OR EXISTS (SELECT 1 FROM '
            'academy.student_enrollments e WHERE e.student_id = s.id AND e.program_id = ANY ($5)))'
        WHEN 'instructor' THEN 's.id = ANY ($6)'
        WHEN 'parent' THEN 's.id = ANY ($6)'
        ELSE 'false' END;
    EXECUTE format($q$
        SELECT coalesce(array_agg(ROW('student', x.id, x.rank, x.sub, x.sim)::academy.search_hit
                                  ORDER BY x.rank, x.sub, x.sim DESC, x.k1, x.k2, x.id), '{}')
          FROM (SELECT s.id,
                       CASE WHEN s.student_number = $3 OR s.search_name = $1 THEN 0
                            WHEN starts_with(s.last_name_search, $1)
                                 OR starts_with(s.search_name, $1) THEN 1
                            WHEN char_length($1) >= 3 AND s.search_name LIKE $2 THEN 2
                            ELSE 4 END AS rank,
                       CASE WHEN starts_with(s.last_name_search, $1) THEN 1
                            WHEN starts_with(s.search_name, $1) THEN 2 ELSE 0 END AS sub,
                       CASE WHEN starts_with(s.search_name, $1)
                                 OR starts_with(s.last_name_search, $1) THEN 0
                            ELSE extensions.word_similarity($1, s.search_name) END AS sim,
                       CASE WHEN NOT starts_with(s.last_name_search, $1)
                                 AND starts_with(s.search_name, $1) THEN s.search_name
                            ELSE s.last_name_search END COLLATE "C" AS k1,
                       s.search_name COLLATE "C" AS k2
                  FROM academy.students s
                 WHERE (s.student_number = $3
                        OR starts_with(s.search_name, $1)
                        OR starts_with(s.last_name_search, $1)
                        OR (char_length($1) >= 3 AND s.search_name LIKE $2)
                        OR (char_length($1) >= 4 AND $1 OPERATOR(extensions.<%%) s.search_name))
                   AND %s
                 ORDER BY 2, 3, 4 DESC, 5, 6, 1
                 LIMIT $4) x $q$, v_scope)
        INTO v_hits
        USING p_q, p_like, p_number, p_limit, p_progs, p_students;
    RETURN v_hits;
END
$fn$;


-- Students at p_locs matching, best first, at most p_limit. Rank 0 exact (number or full
-- name), 1 prefix (sub 1: last name, sub 2: full name from the first name), 2 contains,
-- 4 typo-tolerant; sim orders within 2 and 4. Internal: called by search_people only.
CREATE OR REPLACE FUNCTION academy.search_students_at(p_q text, p_hi text, p_like text, p_number text,
                                           p_locs uuid[], p_limit int)
    RETURNS academy.search_hit[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_hits academy.search_hit[];
BEGIN
    SELECT coalesce(array_agg(ROW('student', d.id, d.rank, d.sub, 0)::academy.search_hit
                              ORDER BY d.rank, d.sub, CASE WHEN d.sub = 2 THEN d.k2 ELSE d.k1 END,
                                       d.k2, d.id), '{}') INTO v_hits
      FROM (SELECT DISTINCT ON (x.id) x.* FROM (
              SELECT s.id, 0 AS rank, 0 AS sub, s.last_name_search COLLATE "C" AS k1,
                     s.search_name COLLATE "C" AS k2
                FROM academy.students s
               WHERE s.student_number = p_number AND s.location_id = ANY (p_locs)
              UNION ALL
              SELECT y.* FROM unnest(p_locs) AS loc (id) CROSS JOIN LATERAL (
                  (SELECT s.id, CASE WHEN s.search_name = p_q THEN 0 ELSE 1 END, 1,
                          s.last_name_search COLLATE "C", s.search_name COLLATE "C"
                     FROM academy.students s
                    WHERE s.location_id = loc.id
                      AND s.last_name_search COLLATE "C" >= p_q
                      AND s.last_name_search COLLATE "C" < p_hi
                    ORDER BY s.last_name_search COLLATE "C", s.search_name COLLATE "C", s.id
                    LIMIT p_limit)
                  UNION ALL
                  (SELECT s.id, CASE WHEN s.search_name = p_q THEN 0 ELSE 1 END, 2,
                          s.last_name_search COLLATE "C", s.search_name COLLATE "C"
                     FROM academy.students s
                    WHERE s.location_id = loc.id
                      AND s.search_name COLLATE "C" >= p_q AND s.search_name COLLATE "C" < p_hi
                    ORDER BY s.search_name COLLATE "C", s.id
                    LIMIT p_limit)) y) x
             ORDER BY x.id, x.rank, x.sub) d;
    v_hits := v_hits[1:p_limit];
    IF cardinality(v_hits) >= p_limit OR char_length(p_q) < 3 THEN
        RETURN v_hits;
    END IF;
    v_hits := v_hits || ARRAY(
        SELECT ROW('student', c.id, 2, 0, c.sim)::academy.search_hit
          FROM (SELECT s.id, extensions.word_similarity(p_q, s.search_name) AS sim,
                       s.last_name_search, s.search_name
                  FROM academy.students s
                 WHERE ARRAY[s.location_id] && p_locs AND s.search_name LIKE p_like
                   AND NOT s.id = ANY (ARRAY(SELECT h.id FROM unnest(v_hits) h))
                OFFSET 0) c  -- similarity once per row (pulled up: in ROW and ORDER BY)
         ORDER BY c.sim DESC, c.last_name_search, c.search_name, c.id
         LIMIT p_limit - cardinality(v_hits));
    -- typo-tolerant, only when the exact/prefix/contains tiers found little (< 10): a
    -- short common query ("march") walks huge trigram posting lists (10-40 ms at 100k)
    -- and a typo finds nothing in the tiers above anyway
    IF cardinality(v_hits) >= least(p_limit, 10) OR char_length(p_q) < 4 THEN
        RETURN v_hits;
    END IF;
    -- candidates of the caller's locations only (location and trigrams in one GIN scan)
    RETURN v_hits || ARRAY(
        SELECT ROW('student', c.id, 4, 0, c.sim)::academy.search_hit
          FROM (SELECT s.id, extensions.word_similarity(p_q, s.search_name) AS sim,
                       s.last_name_search, s.search_name
                  FROM academy.students s
                 WHERE ARRAY[s.location_id] && p_locs AND p_q OPERATOR(extensions.<%) s.search_name
                   AND NOT s.id = ANY (ARRAY(SELECT h.id FROM unnest(v_hits) h))
                OFFSET 0) c  -- similarity once per row (pulled up: in ROW and ORDER BY)
         ORDER BY c.sim DESC, c.last_name_search, c.search_name, c.id
         LIMIT p_limit - cardinality(v_hits));
END
$fn$;

-- Parents at p_locs (or the one parent p_only) matching by name, email or phone; the same
-- tiers as students.
CREATE OR REPLACE FUNCTION academy.search_parents_at(p_q text, p_hi text, p_like text, p_phone text,
                                          p_locs uuid[], p_limit int, p_only uuid DEFAULT NULL)
    RETURNS academy.search_hit[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_hits academy.search_hit[];
BEGIN
    IF p_only IS NOT NULL THEN
        p_locs := ARRAY(SELECT p.location_id FROM academy.parents p WHERE p.id = p_only);
    END IF;
    SELECT coalesce(array_agg(ROW('parent', d.id, d.rank, d.sub, 0)::academy.search_hit
                              ORDER BY d.rank, d.sub, CASE WHEN d.sub = 2 THEN d.k2 ELSE d.k1 END,
                                       d.k2, d.id), '{}') INTO v_hits
      FROM (SELECT DISTINCT ON (y.id) y.* FROM unnest(p_locs) AS loc (id) CROSS JOIN LATERAL (
              (SELECT p.id, CASE WHEN p.search_name = p_q THEN 0 ELSE 1 END AS rank, 1 AS sub,
                      p.last_name_search COLLATE "C" AS k1, p.search_name COLLATE "C" AS k2
                 FROM academy.parents p
                WHERE p.location_id = loc.id
                  AND p.last_name_search COLLATE "C" >= p_q AND p.last_name_search COLLATE "C" < p_hi
                  AND (p_only IS NULL OR p.id = p_only)
                ORDER BY p.last_name_search COLLATE "C", p.search_name COLLATE "C", p.id
                LIMIT p_limit)
              UNION ALL
              (SELECT p.id, CASE WHEN p.search_name = p_q THEN 0 ELSE 1 END, 2,
                      p.last_name_search COLLATE "C", p.search_name COLLATE "C"
                 FROM academy.parents p
                WHERE p.location_id = loc.id
                  AND p.search_name COLLATE "C" >= p_q AND p.search_name COLLATE "C" < p_hi
                  AND (p_only IS NULL OR p.id = p_only)
                ORDER BY p.search_name COLLATE "C", p.id
                LIMIT p_limit)) y
             ORDER BY y.id, y.rank, y.sub) d;
    v_hits := v_hits[1:p_limit];
    IF cardinality(v_hits) >= p_limit OR (char_length(p_q) < 3 AND p_phone IS NULL) THEN
        RETURN v_hits;
    END IF;
    -- contains: name, email, phone digits (exact email/phone rank 0, phone prefix 1)
    v_hits := v_hits || ARRAY(
        SELECT ROW('parent', c.id, c.rank, c.sub, c.sim)::academy.search_hit
          FROM (SELECT p.id,
                       CASE WHEN lower(p.email::text) = p_q OR p.phone_digits = p_phone THEN 0
                            WHEN p.phone_digits LIKE p_phone || '%' THEN 1 ELSE 2 END AS rank,
                       0 AS sub,
                       extensions.word_similarity(p_q, p.search_name) AS sim,
                       p.last_name_search AS k1, p.search_name AS k2
                  FROM academy.parents p
                 WHERE ((char_length(p_q) >= 3
                         AND (p.search_name LIKE p_like OR lower(p.email::text) LIKE p_like))
                        OR p.phone_digits LIKE '%' || p_phone || '%')
                   AND ARRAY[p.location_id] && p_locs AND (p_only IS NULL OR p.id = p_only)
                   AND NOT p.id = ANY (ARRAY(SELECT h.id FROM unnest(v_hits) h))
                OFFSET 0) c  -- similarity once per row
         ORDER BY c.rank, c.sim DESC, c.k1, c.k2, c.id
         LIMIT p_limit - cardinality(v_hits));
    IF cardinality(v_hits) >= least(p_limit, 10) OR char_length(p_q) < 4 THEN
        RETURN v_hits;  -- typo-tolerant only when little was found (see students)
    END IF;
    RETURN v_hits || ARRAY(
        SELECT ROW('parent', c.id, 4, 0, c.sim)::academy.search_hit
          FROM (SELECT p.id, extensions.word_similarity(p_q, p.search_name) AS sim,
                       p.last_name_search, p.search_name
                  FROM academy.parents p
                 WHERE ARRAY[p.location_id] && p_locs AND p_q OPERATOR(extensions.<%) p.search_name
                   AND (p_only IS NULL OR p.id = p_only)
                   AND NOT p.id = ANY (ARRAY(SELECT h.id FROM unnest(v_hits) h))
                OFFSET 0) c  -- similarity once per row (pulled up: in ROW and ORDER BY)
         ORDER BY c.sim DESC, c.last_name_search, c.search_name, c.id
         LIMIT p_limit - cardinality(v_hits));
END
$fn$;

CREATE OR REPLACE FUNCTION academy.search_people(p_query text, p_limit int DEFAULT 50)
    RETURNS TABLE (kind text, id uuid, student_number text, first_name text, last_name text,
                   preferred_name text, date_of_birth date, location_id uuid, location_name text,
                   program_name text, level_name text, phone text, email text,
                   is_active boolean, match_rank int, family text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, academy, pg_temp
    SET pg_trgm.word_similarity_threshold = 0.5
    SET plan_cache_mode = force_generic_plan AS $fn$
DECLARE
    v_kind     text := academy.my_kind();
    v_q        text := academy.normalize_search(btrim(coalesce(p_query, '')));
    v_number   text := upper(btrim(coalesce(p_query, '')));
    v_digits   text := regexp_replace(coalesce(p_query, ''), '[^0-9]', '', 'g');
    v_hi       text;
    v_like     text;
    v_phone    text;
    v_locs     uuid[];
    v_students uuid[];
    v_parent   uuid;
    v_limit    int := greatest(1, least(coalesce(p_limit, 50), 200));
    v_hits     academy.search_hit[] := '{}';
    v_more     academy.search_hit[];
    v_found    uuid[];
    v_contact  uuid[] := '{}';
BEGIN
    IF v_kind IS NULL OR v_q = '' OR char_length(v_q) > 200 THEN
        RETURN;
    END IF;
    v_hi := v_q || U&'\+10FFFF';  -- every string with prefix v_q sorts (C) below this
    v_like := '%' || replace(replace(replace(v_q, '\', '\\'), '%', '\%'), '_', '\_') || '%';
    -- a phone search: only digits and phone punctuation, at least 4 digits
    v_phone := CASE WHEN char_length(v_digits) >= 4
                         AND btrim(p_query) ~ '^[0-9+()./ -]+$' THEN v_digits END;
    v_students := CASE WHEN v_kind IN ('instructor', 'parent') THEN academy.my_student_ids() END;
    v_parent := CASE WHEN v_kind = 'parent' THEN academy.my_parent_id() END;
    IF v_kind IN ('super_admin', 'front_desk') THEN
        -- their students and parents scope is a set of locations (super admin: all)
        v_locs := CASE WHEN v_kind = 'super_admin'
                       THEN (SELECT array_agg(l.id) FROM academy.locations l)
                       ELSE academy.my_location_ids() END;
        v_hits := academy.search_students_at(v_q, v_hi, v_like, v_number, v_locs, v_limit);
        v_more := academy.search_parents_at(v_q, v_hi, v_like, v_phone, v_locs, v_limit);
    ELSE
        v_hits := academy.search_students_scoped(v_kind, v_q, v_like, v_number, v_limit,
                                                 academy.my_program_ids(), v_students);
        v_more := CASE WHEN v_kind = 'parent' THEN academy.search_parents_at(
                           v_q, v_hi, v_like, v_phone, NULL, v_limit, v_parent) END;
    END IF;
    -- the children of a parent found by phone or email (rank 3), in the caller's scope
    IF v_phone IS NOT NULL OR char_length(v_q) >= 3 THEN  -- else none can match
        SELECT coalesce(array_agg(p.id), '{}') INTO v_contact
          FROM unnest(v_more) h JOIN academy.parents p ON p.id = h.id
         WHERE p.phone_digits LIKE '%' || v_phone || '%'
            OR (char_length(v_q) >= 3 AND lower(p.email::text) LIKE v_like);
    END IF;
    v_found := ARRAY(SELECT h.id FROM unnest(v_hits) h);
    IF cardinality(v_contact) > 0 THEN
        v_hits := v_hits || ARRAY(
            SELECT DISTINCT ROW('student', rel.student_id, 3, 0, 0)::academy.search_hit
              FROM academy.student_parent_relationships rel
              JOIN academy.students s ON s.id = rel.student_id
             WHERE rel.parent_id = ANY (v_contact) AND NOT s.id = ANY (v_found)
               AND (v_kind = 'super_admin'
                    OR (v_kind = 'front_desk' AND s.location_id = ANY (v_locs))
                    OR (v_kind = 'parent' AND s.id = ANY (v_students))));
    END IF;
    v_hits := v_hits || coalesce(v_more, '{}');
    -- the best v_limit hits first, then only those decorated
    RETURN QUERY
    WITH top AS (
        SELECT h.kind, h.id, h.match_rank,
               row_number() OVER (ORDER BY h.match_rank, h.sub, h.sim DESC,
                   CASE WHEN h.sub = 2 THEN k.search_name ELSE k.last_name_search END
                       COLLATE "C",
                   k.search_name COLLATE "C", (h.kind = 'parent'), h.id) AS pos
          FROM unnest(v_hits) AS h
          -- one probe per hit, of its own table: LIMIT keeps each branch a subplan whose
          -- kind test gates the index scan (joined, both tables were probed for every hit)
          LEFT JOIN LATERAL (
               (SELECT s.search_name, s.last_name_search FROM academy.students s
                 WHERE h.kind = 'student' AND s.id = h.id LIMIT 1)
               UNION ALL
               (SELECT p.search_name, p.last_name_search FROM academy.parents p
                 WHERE h.kind = 'parent' AND p.id = h.id LIMIT 1)) k ON true
         ORDER BY pos LIMIT v_limit)
    SELECT t.kind, t.id, s.student_number, coalesce(s.first_name, p.first_name),
           coalesce(s.last_name, p.last_name), s.preferred_name, s.date_of_birth,
           coalesce(s.location_id, p.location_id), l.name, pr.name, lev.name,
           p.phone, p.email::text, coalesce(s.is_active, p.is_active), t.match_rank,
           coalesce(fam.names, kids.names)
      FROM top t
      LEFT JOIN LATERAL (SELECT s.* FROM academy.students s
                          WHERE t.kind = 'student' AND s.id = t.id LIMIT 1) s ON true
      LEFT JOIN LATERAL (SELECT p.* FROM academy.parents p
                          WHERE t.kind = 'parent' AND p.id = t.id LIMIT 1) p ON true
      LEFT JOIN academy.locations l ON l.id = coalesce(s.location_id, p.location_id)
      LEFT JOIN academy.programs pr ON pr.id = s.program_id
      -- per row, by index (aggregates joined to top were rescanned per row: generic plan)
      LEFT JOIN LATERAL (  -- the level in the primary program first (shown beside it)
           SELECT (SELECT lv.name FROM academy.levels lv WHERE lv.id = e.level_id) AS name
             FROM academy.student_enrollments e  -- level by key for the one row kept
            WHERE e.student_id = s.id AND e.status = 'active' AND e.level_id IS NOT NULL
            ORDER BY (e.program_id = s.program_id) DESC NULLS LAST, e.enrolled_on DESC
            LIMIT 1) lev ON true
      LEFT JOIN LATERAL (
           SELECT string_agg(vp.first_name || ' ' || vp.last_name, ', '
                      ORDER BY rel.is_primary_contact DESC, vp.last_name, vp.first_name) AS names
             FROM academy.student_parent_relationships rel
             JOIN academy.parents vp ON vp.id = rel.parent_id
            WHERE t.kind = 'student' AND rel.student_id = s.id  -- gates the scans per row
              AND (v_kind = 'super_admin'
                   OR (v_kind = 'front_desk' AND vp.location_id = ANY (v_locs))
                   OR (v_kind = 'parent' AND vp.id = v_parent))) fam ON t.kind = 'student'
      LEFT JOIN LATERAL (
           SELECT string_agg(vs.first_name || ' ' || vs.last_name, ', '
                      ORDER BY vs.date_of_birth, vs.first_name) AS names
             FROM academy.student_parent_relationships rel
             JOIN academy.students vs ON vs.id = rel.student_id
            WHERE t.kind = 'parent' AND rel.parent_id = p.id
              AND (v_kind = 'super_admin'
                   OR (v_kind = 'front_desk' AND vs.location_id = ANY (v_locs))
                   OR (v_kind = 'parent' AND vs.id = ANY (v_students)))) kids ON t.kind = 'parent'
     ORDER BY t.pos;
END
$fn$;


DROP FUNCTION academy.search_students_typo(text, uuid[], int, academy.search_hit[], text[], int[],
                                           int);
DROP FUNCTION academy.search_parents_typo(text, uuid[], int, academy.search_hit[], text[], int[],
                                          int, uuid);
DROP FUNCTION academy.search_typo_words(text);
DROP TRIGGER students_search_words ON academy.students;
DROP TRIGGER parents_search_words ON academy.parents;
DROP FUNCTION academy.rebuild_search_words();
DROP FUNCTION academy.search_words_keep();
DROP FUNCTION academy.search_name_words(text);
DROP TABLE academy.search_word_people;
DROP TABLE academy.search_words;
