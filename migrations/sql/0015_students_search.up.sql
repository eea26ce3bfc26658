-- 0015_students_search: search per keystroke within its budget at 100,000 students (issue 5).
--
-- 0011's contains and typo-tolerant tiers read the global trigram indexes and filtered the
-- caller's locations afterwards: a rare five-letter name ("masia") or a short common one
-- ("war") fetched ~1,000-1,700 heap rows of every location to keep the ~60 of the desk's
-- (server p95 15 ms, up to 28 ms). Here the location is a key of the same GIN index as
-- the trigrams: ARRAY[location_id] with the core array_ops (no btree_gin needed: it is not
-- in the embedded server's extensions schema), so one GIN scan intersects the location's
-- posting list with the trigrams' and only the caller's candidates reach the heap
-- (masia: typo tier 1.4 ms instead of ~10; war: contains 0.3 ms instead of ~4-20 cold).
-- `ARRAY[location_id] && p_locs` is the same test as `location_id = ANY (p_locs)`
-- (location_id is NOT NULL); plans checked under force_generic_plan (the functions run
-- inside search_people, which forces it). A super admin passes every location: the same
-- work as 0011's global scan. fastupdate off: a pending list would be scanned by every
-- search. Scope and ranking are unchanged (same WHERE and ORDER BY otherwise).
-- Re-runnable (IF NOT EXISTS, OR REPLACE): the shared benchmark database got it by hand.

CREATE INDEX IF NOT EXISTS students_location_search_trgm_idx ON academy.students
    USING gin ((ARRAY[location_id]), search_name extensions.gin_trgm_ops)
    WITH (fastupdate = off);
CREATE INDEX IF NOT EXISTS parents_location_search_trgm_idx ON academy.parents
    USING gin ((ARRAY[location_id]), search_name extensions.gin_trgm_ops,
               lower(email::text) extensions.gin_trgm_ops, phone_digits extensions.gin_trgm_ops)
    WITH (fastupdate = off);

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
         WHERE ARRAY[s.location_id] && p_locs AND s.search_name LIKE p_like
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
    -- candidates of the caller's locations only (location and trigrams in one GIN scan)
    RETURN v_hits || ARRAY(
        SELECT ROW('student', s.id, 4, 0, extensions.word_similarity(p_q, s.search_name))
                   ::academy.search_hit
          FROM academy.students s
         WHERE ARRAY[s.location_id] && p_locs AND p_q OPERATOR(extensions.<%) s.search_name
           AND NOT s.id = ANY (ARRAY(SELECT h.id FROM unnest(v_hits) h))
         ORDER BY extensions.word_similarity(p_q, s.search_name) DESC, s.last_name_search,
                  s.search_name, s.id
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
                   AND NOT p.id = ANY (ARRAY(SELECT h.id FROM unnest(v_hits) h))) c
         ORDER BY c.rank, c.sim DESC, c.k1, c.k2, c.id
         LIMIT p_limit - cardinality(v_hits));
    IF cardinality(v_hits) >= least(p_limit, 10) OR char_length(p_q) < 4 THEN
        RETURN v_hits;  -- typo-tolerant only when little was found (see students)
    END IF;
    RETURN v_hits || ARRAY(
        SELECT ROW('parent', p.id, 4, 0, extensions.word_similarity(p_q, p.search_name))
                   ::academy.search_hit
          FROM academy.parents p
         WHERE ARRAY[p.location_id] && p_locs AND p_q OPERATOR(extensions.<%) p.search_name
           AND (p_only IS NULL OR p.id = p_only)
           AND NOT p.id = ANY (ARRAY(SELECT h.id FROM unnest(v_hits) h))
         ORDER BY extensions.word_similarity(p_q, p.search_name) DESC, p.last_name_search,
                  p.search_name, p.id
         LIMIT p_limit - cardinality(v_hits));
END
$fn$;
