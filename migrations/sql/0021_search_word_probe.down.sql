-- 0021_search_word_probe down: 0019's search_students_at and search_parents_at

-- load pg_trgm first, so its word_similarity_threshold is a known setting for SET below
SELECT extensions.similarity('a', 'a');

-- Students at p_locs matching, best first, at most p_limit. Rank 0 exact (number or full
-- name), 1 prefix (sub 1: last name, sub 2: full name from the first name), 2 contains
-- (sim orders within it); the typo-tolerant rank 4 is search_students_typo, which
-- search_people calls when needed. Internal: called by search_people only.
CREATE OR REPLACE FUNCTION academy.search_students_at(p_q text, p_hi text, p_like text, p_number text,
                                           p_locs uuid[], p_limit int)
    RETURNS academy.search_hit[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_hits academy.search_hit[];
    v_word text;
BEGIN
    SELECT coalesce(array_agg(ROW('student', d.id, d.rank, d.sub, 0, d.k1, d.k2)::academy.search_hit
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
    -- several words: a name containing p_q has a word starting with p_q's second word, so
    -- the word index's (location, word prefix) range yields every candidate (the trigram
    -- GIN took ~5 ms for a full name at 1M students); the LIKE still decides
    v_word := substring(p_q from '\s(\S+)');
    IF char_length(v_word) >= 2 THEN
        RETURN v_hits || ARRAY(
            SELECT ROW('student', c.id, 2, 0, c.sim, c.last_name_search,
                       c.search_name)::academy.search_hit
              FROM (SELECT s.id, extensions.word_similarity(p_q, s.search_name) AS sim,
                           s.last_name_search, s.search_name
                      FROM academy.students s
                     WHERE s.id IN (SELECT wp.person_id FROM academy.search_word_people wp
                                     WHERE wp.location_id = ANY (p_locs) AND wp.kind = 's'
                                       AND wp.word >= v_word
                                       AND wp.word < v_word || U&'\+10FFFF')
                       AND s.location_id = ANY (p_locs) AND s.search_name LIKE p_like
                       AND NOT s.id = ANY (ARRAY(SELECT h.id FROM unnest(v_hits) h))
                    OFFSET 0) c
             ORDER BY c.sim DESC, c.last_name_search, c.search_name, c.id
             LIMIT p_limit - cardinality(v_hits));
    END IF;
    RETURN v_hits || ARRAY(
        SELECT ROW('student', c.id, 2, 0, c.sim, c.last_name_search, c.search_name)::academy.search_hit
          FROM (SELECT s.id, extensions.word_similarity(p_q, s.search_name) AS sim,
                       s.last_name_search, s.search_name
                  FROM academy.students s
                 WHERE ARRAY[s.location_id] && p_locs AND s.search_name LIKE p_like
                   AND NOT s.id = ANY (ARRAY(SELECT h.id FROM unnest(v_hits) h))
                OFFSET 0) c  -- similarity once per row (pulled up: in ROW and ORDER BY)
         ORDER BY c.sim DESC, c.last_name_search, c.search_name, c.id
         LIMIT p_limit - cardinality(v_hits));
END
$fn$;

-- Parents at p_locs (or the one parent p_only) matching by name, email or phone; the same
-- tiers as students (typo-tolerant: search_parents_typo).
CREATE OR REPLACE FUNCTION academy.search_parents_at(p_q text, p_hi text, p_like text, p_phone text,
                                          p_locs uuid[], p_limit int, p_only uuid DEFAULT NULL)
    RETURNS academy.search_hit[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_hits academy.search_hit[];
    -- an email has no spaces: a NULL pattern makes its index scan return at once
    -- (at 1M parents that scan was a third of a full-name search)
    v_email text := CASE WHEN p_q !~ '\s' THEN p_like END;
    v_word  text;
BEGIN
    IF p_only IS NOT NULL THEN
        p_locs := ARRAY(SELECT p.location_id FROM academy.parents p WHERE p.id = p_only);
    END IF;
    SELECT coalesce(array_agg(ROW('parent', d.id, d.rank, d.sub, 0, d.k1, d.k2)::academy.search_hit
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
    -- several words and no phone: the name alone, candidates from the word index (as
    -- for students: an email has no spaces)
    v_word := substring(p_q from '\s(\S+)');
    IF char_length(v_word) >= 2 AND p_phone IS NULL THEN
        RETURN v_hits || ARRAY(
            SELECT ROW('parent', c.id, 2, 0, c.sim, c.last_name_search,
                       c.search_name)::academy.search_hit
              FROM (SELECT p.id, extensions.word_similarity(p_q, p.search_name) AS sim,
                           p.last_name_search, p.search_name
                      FROM academy.parents p
                     WHERE p.id IN (SELECT wp.person_id FROM academy.search_word_people wp
                                     WHERE wp.location_id = ANY (p_locs) AND wp.kind = 'p'
                                       AND wp.word >= v_word
                                       AND wp.word < v_word || U&'\+10FFFF')
                       AND p.location_id = ANY (p_locs) AND p.search_name LIKE p_like
                       AND (p_only IS NULL OR p.id = p_only)
                       AND NOT p.id = ANY (ARRAY(SELECT h.id FROM unnest(v_hits) h))
                    OFFSET 0) c
             ORDER BY c.sim DESC, c.last_name_search, c.search_name, c.id
             LIMIT p_limit - cardinality(v_hits));
    END IF;
    -- contains: name, email, phone digits (exact email/phone rank 0, phone prefix 1)
    v_hits := v_hits || ARRAY(
        SELECT ROW('parent', c.id, c.rank, c.sub, c.sim, c.k1, c.k2)::academy.search_hit
          FROM (SELECT p.id,
                       CASE WHEN lower(p.email::text) = p_q OR p.phone_digits = p_phone THEN 0
                            WHEN p.phone_digits LIKE p_phone || '%' THEN 1 ELSE 2 END AS rank,
                       0 AS sub,
                       extensions.word_similarity(p_q, p.search_name) AS sim,
                       p.last_name_search AS k1, p.search_name AS k2
                  FROM academy.parents p
                 WHERE ((char_length(p_q) >= 3
                         AND (p.search_name LIKE p_like OR lower(p.email::text) LIKE v_email))
                        OR p.phone_digits LIKE '%' || p_phone || '%')
                   AND ARRAY[p.location_id] && p_locs AND (p_only IS NULL OR p.id = p_only)
                   AND NOT p.id = ANY (ARRAY(SELECT h.id FROM unnest(v_hits) h))
                OFFSET 0) c  -- similarity once per row
         ORDER BY c.rank, c.sim DESC, c.k1, c.k2, c.id
         LIMIT p_limit - cardinality(v_hits));
    RETURN v_hits;
END
$fn$;
