-- 0019_search_tiers, part 2 of 2 (part 1: 0019_search_tiers_words.up.sql, the word
-- index): the typo-tolerant tier through a word index, and run less often
-- (issue 5: search per keystroke, 3+ characters, p95 <= 5 ms at 100,000 students and
-- <= 15 ms at 1,000,000).
--
-- 0015's typo-tolerant tier asked the location-aware trigram GIN for word similarity to
-- the whole query: no trigram posting list can be skipped, and the lists span every
-- location, so its cost grows with the whole table (~1-1.5 ms per table at 100k, ~20 ms
-- at 1M: most of a full-name typo's 35 ms). Now:
-- * each query word is corrected against `search_words`, the dictionary of every word of
--   a student's or parent's search_name (a few thousand rows): its six nearest words;
-- * candidates come from `search_word_people` (location, kind, word -> person; kept by
--   trigger) for those words: people holding a near word of every query word, or when
--   none of that table does, of any; their number, not the table's size, is the cost;
-- * kept and ordered by 0015's rule: word_similarity(q, search_name) >= the threshold,
--   best first. So the rows found are 0015's minus names that match none of the query's
--   words closely (rare: measured on the benchmark's typos, as many queries find their
--   person as before, ranked better: "yoshitae vans" puts Yoshita Evans first).
-- * the tier runs only when students and parents together found fewer than 10 (0015 ran
--   it per table: "blake", 3 students and 9 parents, paid two scans).
-- The contains tier of a query of several words takes its candidates from the same word
-- index (names holding a word that starts with the query's second word), not the GIN.
-- The hits also carry their sort keys, so ranking them reads no row twice.
-- A regular expression of the near words through the trigram GIN was tried: no faster at
-- 100k, and 9 ms p50 / 28 ms p95 at 1M, against 2-3 / 8-13 ms through the word index.

-- The hits carry their sort keys (last_name_search, search_name): search_people ranked
-- them by probing each hit's row again (~100 index probes for a 3-letter query, a third of
-- its decoration). Every function that builds hits is replaced below.

-- load pg_trgm first, so its word_similarity_threshold is a known setting for SET below
SELECT extensions.similarity('a', 'a');

ALTER TYPE academy.search_hit ADD ATTRIBUTE k1 text, ADD ATTRIBUTE k2 text;

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
        SELECT coalesce(array_agg(ROW('student', x.id, x.rank, x.sub, x.sim, x.lns, x.k2)::academy.search_hit
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
                       s.search_name COLLATE "C" AS k2, s.last_name_search AS lns
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


-- The typo-tolerant tier (rank 4, best similarity first) for students at p_locs: names
-- holding near words (p_words: the dictionary's, numbered by query word in p_nums) of at
-- least p_need query words, whose word similarity to p_q reaches the threshold
-- search_people sets; not in p_seen, at most p_limit. Candidates come from search_word_people by (location, word): their number,
-- not the table's size, is the cost. Internal: called by search_people only.
CREATE FUNCTION academy.search_students_typo(p_q text, p_locs uuid[], p_limit int,
                                             p_seen academy.search_hit[], p_words text[],
                                             p_nums int[], p_need int)
    RETURNS academy.search_hit[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_seen uuid[] := ARRAY(SELECT h.id FROM unnest(p_seen) h);
BEGIN
    RETURN ARRAY(
        SELECT ROW('student', c.id, 4, 0, c.sim, c.last_name_search,
                   c.search_name)::academy.search_hit
          FROM (SELECT s.id, extensions.word_similarity(p_q, s.search_name) AS sim,
                       s.last_name_search, s.search_name
                  FROM academy.students s
                 WHERE s.id IN (SELECT wp.person_id
                                  FROM unnest(p_words, p_nums) AS v (word, n)
                                 CROSS JOIN LATERAL (
                                       SELECT wp.person_id FROM academy.search_word_people wp
                                        WHERE wp.location_id = ANY (p_locs) AND wp.kind = 's'
                                          AND wp.word = v.word) wp
                                 GROUP BY wp.person_id HAVING count(DISTINCT v.n) >= p_need)
                   AND s.location_id = ANY (p_locs) AND NOT s.id = ANY (v_seen)
                OFFSET 0) c  -- similarity once per row (pulled up: in ROW and ORDER BY)
         WHERE c.sim >= current_setting('pg_trgm.word_similarity_threshold')::real
         ORDER BY c.sim DESC, c.last_name_search, c.search_name, c.id
         LIMIT p_limit);
END
$fn$;

-- The same for parents at p_locs (or the one parent p_only).
CREATE FUNCTION academy.search_parents_typo(p_q text, p_locs uuid[], p_limit int,
                                            p_seen academy.search_hit[], p_words text[],
                                            p_nums int[], p_need int, p_only uuid DEFAULT NULL)
    RETURNS academy.search_hit[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_seen uuid[] := ARRAY(SELECT h.id FROM unnest(p_seen) h);
BEGIN
    IF p_only IS NOT NULL THEN
        p_locs := ARRAY(SELECT p.location_id FROM academy.parents p WHERE p.id = p_only);
    END IF;
    RETURN ARRAY(
        SELECT ROW('parent', c.id, 4, 0, c.sim, c.last_name_search,
                   c.search_name)::academy.search_hit
          FROM (SELECT p.id, extensions.word_similarity(p_q, p.search_name) AS sim,
                       p.last_name_search, p.search_name
                  FROM academy.parents p
                 WHERE p.id IN (SELECT wp.person_id
                                  FROM unnest(p_words, p_nums) AS v (word, n)
                                 CROSS JOIN LATERAL (
                                       SELECT wp.person_id FROM academy.search_word_people wp
                                        WHERE wp.location_id = ANY (p_locs) AND wp.kind = 'p'
                                          AND wp.word = v.word) wp
                                 GROUP BY wp.person_id HAVING count(DISTINCT v.n) >= p_need)
                   AND p.location_id = ANY (p_locs) AND (p_only IS NULL OR p.id = p_only)
                   AND NOT p.id = ANY (v_seen)
                OFFSET 0) c
         WHERE c.sim >= current_setting('pg_trgm.word_similarity_threshold')::real
         ORDER BY c.sim DESC, c.last_name_search, c.search_name, c.id
         LIMIT p_limit);
END
$fn$;
REVOKE EXECUTE ON FUNCTION
    academy.search_students_typo(text, uuid[], int, academy.search_hit[], text[], int[], int),
    academy.search_parents_typo(text, uuid[], int, academy.search_hit[], text[], int[], int,
                                uuid)
    FROM PUBLIC;

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
    v_words    text[];
    v_nums     int[];
    v_need     int;
    v_typo     academy.search_hit[];
    v_ptypo    academy.search_hit[];
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
        -- typo-tolerant only when students and parents together found little (< 10): a
        -- short common query ("march") walks huge trigram posting lists, and a typo
        -- finds nothing in the tiers above anyway
        IF cardinality(v_hits) + cardinality(v_more) < least(v_limit, 10)
           AND char_length(v_q) >= 4 THEN
            SELECT t.words, t.nums INTO v_words, v_nums FROM academy.search_typo_words(v_q) t;
            v_need := (SELECT count(DISTINCT n) FROM unnest(v_nums) AS n);
            -- names near every corrected word; when no name of that table is, near any
            v_typo := academy.search_students_typo(v_q, v_locs, v_limit - cardinality(v_hits),
                                                   v_hits, v_words, v_nums, v_need);
            IF cardinality(v_typo) = 0 AND v_need > 1 THEN
                v_typo := academy.search_students_typo(v_q, v_locs,
                              v_limit - cardinality(v_hits), v_hits, v_words, v_nums, 1);
            END IF;
            v_ptypo := academy.search_parents_typo(v_q, v_locs, v_limit - cardinality(v_more),
                                                   v_more, v_words, v_nums, v_need);
            IF cardinality(v_ptypo) = 0 AND v_need > 1 THEN
                v_ptypo := academy.search_parents_typo(v_q, v_locs,
                               v_limit - cardinality(v_more), v_more, v_words, v_nums, 1);
            END IF;
            v_hits := v_hits || v_typo;
            v_more := v_more || v_ptypo;
        END IF;
    ELSE  -- their students' scope is not a set of locations (typo tier inside)
        v_hits := academy.search_students_scoped(v_kind, v_q, v_like, v_number, v_limit,
                                                 academy.my_program_ids(), v_students);
        IF v_kind = 'parent' THEN
            v_more := academy.search_parents_at(v_q, v_hi, v_like, v_phone, NULL, v_limit,
                                                v_parent);
            IF cardinality(v_hits) + cardinality(v_more) < least(v_limit, 10)
               AND char_length(v_q) >= 4 THEN
                SELECT t.words, t.nums INTO v_words, v_nums
                  FROM academy.search_typo_words(v_q) t;
                v_more := v_more || academy.search_parents_typo(
                              v_q, NULL, v_limit - cardinality(v_more), v_more, v_words,
                              v_nums, 1, v_parent);  -- their own record: any near word
            END IF;
        END IF;
    END IF;
    -- the children of a parent found by phone or email (rank 3), in the caller's scope;
    -- by email only for a query that looks like one ('@' or '.'): a name's three letters
    -- inside some parent's address ("don" in macdonald@...) brought that family's
    -- children into a name search (a fifth of a 3-letter search's time)
    IF v_phone IS NOT NULL OR (char_length(v_q) >= 3 AND v_q ~ '[@.]') THEN
        SELECT coalesce(array_agg(p.id), '{}') INTO v_contact
          FROM unnest(v_more) h JOIN academy.parents p ON p.id = h.id
         WHERE p.phone_digits LIKE '%' || v_phone || '%'
            OR (char_length(v_q) >= 3 AND v_q ~ '[@.]' AND lower(p.email::text) LIKE v_like);
    END IF;
    v_found := ARRAY(SELECT h.id FROM unnest(v_hits) h);
    IF cardinality(v_contact) > 0 THEN
        v_hits := v_hits || ARRAY(
            SELECT DISTINCT ROW('student', rel.student_id, 3, 0, 0, s.last_name_search,
                                s.search_name)::academy.search_hit
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
                   CASE WHEN h.sub = 2 THEN h.k2 ELSE h.k1 END COLLATE "C",
                   h.k2 COLLATE "C", (h.kind = 'parent'), h.id) AS pos
          FROM unnest(v_hits) AS h  -- the hits carry their sort keys: no probe per hit
         ORDER BY pos LIMIT v_limit)
    SELECT t.kind, t.id, s.student_number, coalesce(s.first_name, p.first_name),
           coalesce(s.last_name, p.last_name), s.preferred_name, s.date_of_birth,
           coalesce(s.location_id, p.location_id), l.name, pr.name, lev.name,
           p.phone, p.email::text, coalesce(s.is_active, p.is_active), t.match_rank,
           coalesce(fam.names, kids.names)
      FROM top t
      -- the columns shown, not s.* / p.* (whole wide rows were copied for each of 50)
      LEFT JOIN LATERAL (SELECT s.id, s.student_number, s.first_name, s.last_name,
                                s.preferred_name, s.date_of_birth, s.location_id, s.is_active,
                                s.program_id
                           FROM academy.students s
                          WHERE t.kind = 'student' AND s.id = t.id LIMIT 1) s ON true
      LEFT JOIN LATERAL (SELECT p.id, p.first_name, p.last_name, p.location_id, p.phone,
                                p.email, p.is_active
                           FROM academy.parents p
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

