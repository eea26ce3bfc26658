-- 0011_students: the desk's students screens at 100,000 students (issue 5).
--
-- Hot functions run with plan_cache_mode = force_generic_plan: their statements cost more
-- to plan (custom plans, every call) than to run; generic plans keep index use (prefix
-- ranges and trigram conditions take parameters) and prune partitions at run time.
--
-- 1. Search (academy.search_people, replaced): LIKE and trigram operators are not
--    leakproof, so under RLS their indexes go unused; the function is SECURITY DEFINER and
--    applies exactly the caller's students/parents SELECT scope (keep in step with
--    0005_security_policies). Tiers with an early stop: exact + prefix first (per location,
--    index-only scans in name order, no similarity to compute), then contains (3+
--    characters, trigram GIN), then typo-tolerant (4+ characters) only when fewer than
--    10 were found. Static SQL on the hot path (plans cached by PL/pgSQL), dynamic SQL only for the
--    program admin / instructor / parent scopes.
-- 2. Students list: one ordered index per location; the list query walks it per location
--    (plain SQL under RLS: equality on location_id is leakproof).
-- 3. Student view: every panel as one jsonb in one round trip; for the front desk and
--    super admin a SECURITY DEFINER wrapper applies their scope once (see below).

-- prefix search per location, in name order, answered from the index alone
CREATE INDEX students_location_last_name_search_idx ON academy.students
    (location_id, last_name_search COLLATE "C", search_name COLLATE "C", id);
CREATE INDEX students_location_search_name_idx ON academy.students
    (location_id, search_name COLLATE "C", id) INCLUDE (last_name_search);
CREATE INDEX parents_location_last_name_search_idx ON academy.parents
    (location_id, last_name_search COLLATE "C", search_name COLLATE "C", id);
CREATE INDEX parents_location_search_name_idx ON academy.parents
    (location_id, search_name COLLATE "C", id) INCLUDE (last_name_search);
-- the students list per location in its default order (name) and by number
CREATE INDEX students_location_name_order_idx ON academy.students
    (location_id, last_name, first_name, id) INCLUDE (is_active, program_id);
CREATE INDEX students_location_number_idx ON academy.students
    (location_id, student_number, id) INCLUDE (is_active, program_id);

-- One tier of student or parent hits, in the order they rank (see search_people).
-- load pg_trgm first, so its word_similarity_threshold is a known setting for SET below
SELECT extensions.similarity('a', 'a');

CREATE TYPE academy.search_hit AS (kind text, id uuid, match_rank int, sub int, sim real);

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
    SELECT coalesce(array_agg(p.id), '{}') INTO v_contact
      FROM unnest(v_more) h JOIN academy.parents p ON p.id = h.id
     WHERE p.phone_digits LIKE '%' || v_phone || '%'
        OR (char_length(v_q) >= 3 AND lower(p.email::text) LIKE v_like);
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
                   CASE WHEN h.sub = 2 THEN coalesce(s.search_name, p.search_name)
                        ELSE coalesce(s.last_name_search, p.last_name_search) END COLLATE "C",
                   coalesce(s.search_name, p.search_name) COLLATE "C", (h.kind = 'parent'),
                   h.id) AS pos
          FROM unnest(v_hits) AS h
          LEFT JOIN academy.students s ON h.kind = 'student' AND s.id = h.id
          LEFT JOIN academy.parents p ON h.kind = 'parent' AND p.id = h.id
         ORDER BY pos LIMIT v_limit)
    SELECT t.kind, t.id, s.student_number, coalesce(s.first_name, p.first_name),
           coalesce(s.last_name, p.last_name), s.preferred_name, s.date_of_birth,
           coalesce(s.location_id, p.location_id), l.name, pr.name, lev.name,
           p.phone, p.email::text, coalesce(s.is_active, p.is_active), t.match_rank,
           coalesce(fam.names, kids.names)
      FROM top t
      LEFT JOIN academy.students s ON t.kind = 'student' AND s.id = t.id
      LEFT JOIN academy.parents p ON t.kind = 'parent' AND p.id = t.id
      LEFT JOIN academy.locations l ON l.id = coalesce(s.location_id, p.location_id)
      LEFT JOIN academy.programs pr ON pr.id = s.program_id
      -- per row, by index (aggregates joined to top were rescanned per row: generic plan)
      LEFT JOIN LATERAL (  -- the level in the primary program first (shown beside it)
           SELECT lv.name FROM academy.student_enrollments e
             JOIN academy.levels lv ON lv.id = e.level_id
            WHERE e.student_id = s.id AND e.status = 'active'
            ORDER BY (e.program_id = s.program_id) DESC NULLS LAST, e.enrolled_on DESC
            LIMIT 1) lev ON true
      LEFT JOIN LATERAL (
           SELECT string_agg(vp.first_name || ' ' || vp.last_name, ', '
                      ORDER BY rel.is_primary_contact DESC, vp.last_name, vp.first_name) AS names
             FROM academy.student_parent_relationships rel
             JOIN academy.parents vp ON vp.id = rel.parent_id
            WHERE rel.student_id = s.id
              AND (v_kind = 'super_admin'
                   OR (v_kind = 'front_desk' AND vp.location_id = ANY (v_locs))
                   OR (v_kind = 'parent' AND vp.id = v_parent))) fam ON t.kind = 'student'
      LEFT JOIN LATERAL (
           SELECT string_agg(vs.first_name || ' ' || vs.last_name, ', '
                      ORDER BY vs.date_of_birth, vs.first_name) AS names
             FROM academy.student_parent_relationships rel
             JOIN academy.students vs ON vs.id = rel.student_id
            WHERE rel.parent_id = p.id
              AND (v_kind = 'super_admin'
                   OR (v_kind = 'front_desk' AND vs.location_id = ANY (v_locs))
                   OR (v_kind = 'parent' AND vs.id = ANY (v_students)))) kids ON t.kind = 'parent'
     ORDER BY t.pos;
END
$fn$;

-- Students at p_locs matching, best first, at most p_limit. Rank 0 exact (number or full
-- name), 1 prefix (sub 1: last name, sub 2: full name from the first name), 2 contains,
-- 4 typo-tolerant; sim orders within 2 and 4. Internal: called by search_people only.
CREATE FUNCTION academy.search_students_at(p_q text, p_hi text, p_like text, p_number text,
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
        SELECT ROW('student', s.id, 2, 0, extensions.word_similarity(p_q, s.search_name))
                   ::academy.search_hit
          FROM academy.students s
         WHERE s.search_name LIKE p_like AND s.location_id = ANY (p_locs)
           AND NOT s.id = ANY (ARRAY(SELECT h.id FROM unnest(v_hits) h))
         ORDER BY extensions.word_similarity(p_q, s.search_name) DESC, s.last_name_search,
                  s.search_name, s.id
         LIMIT p_limit - cardinality(v_hits));
    -- typo-tolerant, only when the exact/prefix/contains tiers found little (< 10): a
    -- short common query ("march") walks huge trigram posting lists (10-40 ms at 100k)
    -- and a typo finds nothing in the tiers above anyway
    IF cardinality(v_hits) >= least(p_limit, 10) OR char_length(p_q) < 4 THEN
        RETURN v_hits;
    END IF;
    -- candidates from the trigram index first (MATERIALIZED: else the planner filters
    -- the location's whole index with word_similarity, 10x slower)
    RETURN v_hits || ARRAY(
        WITH c AS MATERIALIZED (
            SELECT s.id, s.location_id, s.search_name, s.last_name_search
              FROM academy.students s WHERE p_q OPERATOR(extensions.<%) s.search_name)
        SELECT ROW('student', c.id, 4, 0, extensions.word_similarity(p_q, c.search_name))
                   ::academy.search_hit
          FROM c
         WHERE c.location_id = ANY (p_locs)
           AND NOT c.id = ANY (ARRAY(SELECT h.id FROM unnest(v_hits) h))
         ORDER BY extensions.word_similarity(p_q, c.search_name) DESC, c.last_name_search,
                  c.search_name, c.id
         LIMIT p_limit - cardinality(v_hits));
END
$fn$;

-- Parents at p_locs (or the one parent p_only) matching by name, email or phone; the same
-- tiers as students.
CREATE FUNCTION academy.search_parents_at(p_q text, p_hi text, p_like text, p_phone text,
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
                   AND p.location_id = ANY (p_locs) AND (p_only IS NULL OR p.id = p_only)
                   AND NOT p.id = ANY (ARRAY(SELECT h.id FROM unnest(v_hits) h))) c
         ORDER BY c.rank, c.sim DESC, c.k1, c.k2, c.id
         LIMIT p_limit - cardinality(v_hits));
    IF cardinality(v_hits) >= least(p_limit, 10) OR char_length(p_q) < 4 THEN
        RETURN v_hits;  -- typo-tolerant only when little was found (see students)
    END IF;
    RETURN v_hits || ARRAY(
        WITH c AS MATERIALIZED (
            SELECT p.id, p.location_id, p.search_name, p.last_name_search
              FROM academy.parents p WHERE p_q OPERATOR(extensions.<%) p.search_name)
        SELECT ROW('parent', c.id, 4, 0, extensions.word_similarity(p_q, c.search_name))
                   ::academy.search_hit
          FROM c
         WHERE c.location_id = ANY (p_locs) AND (p_only IS NULL OR c.id = p_only)
           AND NOT c.id = ANY (ARRAY(SELECT h.id FROM unnest(v_hits) h))
         ORDER BY extensions.word_similarity(p_q, c.search_name) DESC, c.last_name_search,
                  c.search_name, c.id
         LIMIT p_limit - cardinality(v_hits));
END
$fn$;

-- Students for scopes that are not locations: program admin (programs, or enrolled in
-- one), instructor and parent (their students). Same ranks as search_students_at.
CREATE FUNCTION academy.search_students_scoped(p_kind text, p_q text, p_like text,
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

REVOKE EXECUTE ON FUNCTION academy.search_students_at(text, text, text, text, uuid[], int),
    academy.search_parents_at(text, text, text, text, uuid[], int, uuid),
    academy.search_students_scoped(text, text, text, text, int, uuid[], uuid[]) FROM PUBLIC;

-- Every panel of the student view in one round trip (jsonb); NULL when the student is not
-- visible. The body is SECURITY INVOKER with explicit scope arguments: called directly (any
-- kind) RLS decides each part, the arguments add nothing (p_all); called by
-- student_panels below (SECURITY DEFINER, front desk and super admin) RLS is off and the
-- arguments are exactly those roles' SELECT policies. Why: under RLS each table of the
-- view re-evaluates my_location_ids()/my_program_ids() (about 20 calls, most of the time
-- measured at 100k students); the wrapper computes them once.
CREATE FUNCTION academy.student_panels_body(p_id uuid, p_today date, p_now timestamptz,
                                            p_since date, p_all boolean, p_locs uuid[],
                                            p_progs uuid[])
    RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY INVOKER
    SET search_path = pg_catalog, academy, pg_temp
    SET plan_cache_mode = force_generic_plan AS $fn$
DECLARE
    v_profile jsonb;
BEGIN
    SELECT jsonb_build_object(
               'id', s.id, 'student_number', s.student_number, 'first_name', s.first_name,
               'last_name', s.last_name, 'preferred_name', s.preferred_name,
               'date_of_birth', s.date_of_birth, 'gender', s.gender,
               'location_id', s.location_id, 'location_name', l.name,
               'program_name', p.name, 'school', s.school, 'medical_notes', s.medical_notes,
               'allergies', s.allergies, 'notes', s.notes, 'joined_on', s.joined_on,
               'is_active', s.is_active, 'row_version', s.row_version,
               'photo', encode(s.photo, 'base64'), 'photo_mime_type', s.photo_mime_type)
      INTO v_profile
      FROM academy.students s
      JOIN academy.locations l ON l.id = s.location_id
      LEFT JOIN academy.programs p ON p.id = s.program_id AND (p_all OR p.id = ANY (p_progs))
     WHERE s.id = p_id AND (p_all OR s.location_id = ANY (p_locs));
    IF v_profile IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN jsonb_build_object(
        'profile', v_profile,
        'family', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'parent_id', pa.id, 'first_name', pa.first_name, 'last_name', pa.last_name,
                       'relationship', r.relationship::text, 'phone', pa.phone,
                       'email', pa.email::text, 'is_primary_contact', r.is_primary_contact,
                       'is_emergency_contact', r.is_emergency_contact, 'can_pickup', r.can_pickup)
                       ORDER BY r.is_primary_contact DESC, pa.last_name, pa.first_name), '[]')
                     FROM academy.student_parent_relationships r
                     JOIN academy.parents pa ON pa.id = r.parent_id
                    WHERE r.student_id = p_id AND (p_all OR pa.location_id = ANY (p_locs))),
        'enrollments', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'program', p.name, 'curriculum', c.name, 'level', lv.name,
                       'status', e.status::text, 'enrolled_on', e.enrolled_on)
                       ORDER BY (e.status = 'active') DESC, e.enrolled_on DESC), '[]')
                     FROM academy.student_enrollments e
                     JOIN academy.programs p ON p.id = e.program_id
                     JOIN academy.curriculums c ON c.id = e.curriculum_id
                     LEFT JOIN academy.levels lv
                       ON lv.id = e.level_id AND (p_all OR lv.program_id = ANY (p_progs))
                    WHERE e.student_id = p_id
                      AND (p_all OR (e.location_id = ANY (p_locs) AND p.id = ANY (p_progs)
                                     AND c.program_id = ANY (p_progs)))),
        'upcoming', (SELECT coalesce(jsonb_agg(u ORDER BY u.starts_at), '[]') FROM (
                     SELECT se.starts_at, coalesce(se.title, p.name) AS title,
                            l.name AS location, b.status::text AS status
                       FROM academy.session_bookings b
                       JOIN academy.sessions se
                         ON se.id = b.session_id AND se.session_date = b.session_date
                       JOIN academy.programs p ON p.id = se.program_id
                       JOIN academy.locations l ON l.id = se.location_id
                      WHERE b.student_id = p_id AND b.session_date >= p_today
                        AND se.starts_at >= p_now
                        AND (p_all OR (se.location_id = ANY (p_locs) AND p.id = ANY (p_progs)))
                      ORDER BY se.starts_at LIMIT 10) u),
        'attendance', (SELECT coalesce(jsonb_agg(a ORDER BY a.day DESC), '[]') FROM (
                     SELECT a.attendance_date AS day, coalesce(se.title, p.name) AS title,
                            a.status::text AS status
                       FROM academy.student_attendance a
                       JOIN academy.sessions se
                         ON se.id = a.session_id AND se.session_date = a.attendance_date
                       JOIN academy.programs p ON p.id = a.program_id
                      WHERE a.student_id = p_id AND a.attendance_date >= p_since
                        AND (p_all OR (a.location_id = ANY (p_locs)
                                       AND se.location_id = ANY (p_locs) AND p.id = ANY (p_progs)))
                      ORDER BY a.attendance_date DESC LIMIT 20) a),
        'progress', (SELECT coalesce(jsonb_agg(g ORDER BY g.level_position, g.position), '[]')
                       FROM (SELECT DISTINCT ON (sp.criterion_id) lv.name AS level,
                                    cr.name AS criterion, sp.stars, sp.assessed_at, cr.position,
                                    lv.position AS level_position
                               FROM academy.student_progress sp
                               JOIN academy.levels lv ON lv.id = sp.level_id
                               JOIN academy.assessment_rubric_criteria cr
                                 ON cr.id = sp.criterion_id
                              WHERE sp.student_id = p_id
                                AND (p_all OR (lv.program_id = ANY (p_progs)
                                               AND cr.program_id = ANY (p_progs)))
                              ORDER BY sp.criterion_id, sp.assessed_at DESC) g),
        'ledger', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'day', f.transaction_date, 'entry_type', f.entry_type::text,
                       'amount', f.amount::text, 'currency', f.currency,
                       'description', coalesce(f.description, f.reason),
                       'reversed_type', v.entry_type::text)
                       ORDER BY f.transaction_date DESC, f.created_at DESC), '[]')
                     FROM academy.student_financial_records f
                     LEFT JOIN academy.student_financial_records v
                       ON v.id = f.reverses_id AND (p_all OR v.location_id = ANY (p_locs))
                    WHERE f.student_id = p_id AND (p_all OR f.location_id = ANY (p_locs))));
END
$fn$;

CREATE FUNCTION academy.student_panels(p_id uuid, p_today date, p_now timestamptz,
                                       p_since date)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_kind text := academy.my_kind();
BEGIN
    -- front desk: the {LOC} / {PROG} / {STU_AT_LOC} policies of 0005 (students, parents,
    -- enrollments, sessions, bookings, attendance, ledger by location; programs and the
    -- curriculum by program); super admin: everything. Other kinds: RLS (call the body).
    IF v_kind = 'super_admin' THEN
        RETURN academy.student_panels_body(p_id, p_today, p_now, p_since, true, NULL, NULL);
    ELSIF v_kind = 'front_desk' THEN
        RETURN academy.student_panels_body(p_id, p_today, p_now, p_since, false,
                                           academy.my_location_ids(), academy.my_program_ids());
    END IF;
    RETURN NULL;
END
$fn$;

REVOKE EXECUTE ON FUNCTION academy.student_panels(uuid, date, timestamptz, date),
    academy.student_panels_body(uuid, date, timestamptz, date, boolean, uuid[], uuid[])
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION academy.student_panels(uuid, date, timestamptz, date),
    academy.student_panels_body(uuid, date, timestamptz, date, boolean, uuid[], uuid[])
    TO academy_super_admin, academy_program_admin, academy_front_desk, academy_instructor,
       academy_parent;
