-- 0015_students_search down: drop the location-aware trigram indexes; the two search
-- helpers go back to 0011's bodies (verbatim). IF EXISTS: a database that recorded 0015
-- while it was still a placeholder has none of it.
DROP INDEX IF EXISTS academy.students_location_search_trgm_idx;
DROP INDEX IF EXISTS academy.parents_location_search_trgm_idx;

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
