-- 0019_search_tiers, part 1 of 2: the dictionary of name words and the word index
-- that search's typo-tolerant and several-word contains tiers read (the why is in
-- part 2's header, 0019_search_tiers_search.up.sql).

-- load pg_trgm first: search_typo_words uses its operators and settings
SELECT extensions.similarity('a', 'a');

-- The dictionary and the word index (see the header): not granted to anyone, a deny-all
-- policy each; only the SECURITY DEFINER search functions and the trigger touch them.
CREATE TABLE academy.search_words (
    word text PRIMARY KEY CHECK (char_length(word) BETWEEN 2 AND 200)
);
CREATE INDEX search_words_trgm_idx ON academy.search_words
    USING gin (word extensions.gin_trgm_ops);
CREATE TABLE academy.search_word_people (
    location_id uuid NOT NULL,
    kind        "char" NOT NULL CHECK (kind IN ('s', 'p')),  -- student, parent
    word        text COLLATE "C" NOT NULL,  -- C: a word-prefix range walks the key
    person_id   uuid NOT NULL,
    PRIMARY KEY (location_id, kind, word, person_id)
);
ALTER TABLE academy.search_words ENABLE ROW LEVEL SECURITY;
ALTER TABLE academy.search_word_people ENABLE ROW LEVEL SECURITY;
CREATE POLICY search_words_none ON academy.search_words USING (false);
CREATE POLICY search_word_people_none ON academy.search_word_people USING (false);
REVOKE ALL ON academy.search_words, academy.search_word_people FROM PUBLIC;

-- The words of one normalized name, as the dictionary and the query split them.
CREATE FUNCTION academy.search_name_words(p_name text) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    SET search_path = pg_catalog, pg_temp AS $fn$
    SELECT DISTINCT w FROM regexp_split_to_table(p_name, '\s+') AS w
     WHERE char_length(w) BETWEEN 2 AND 200
$fn$;

-- Keeps both in step with students and parents: a person's old words out, the new in
-- (name or location changed, or the row deleted). Runs as the owner: no login may write
-- them. New dictionary words in one order, so two desks adding the same ones wait for
-- each other instead of deadlocking.
CREATE FUNCTION academy.search_words_keep() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, academy, pg_temp AS $fn$
DECLARE
    v_kind "char" := CASE TG_TABLE_NAME WHEN 'students' THEN 's' ELSE 'p' END;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.search_name IS NOT DISTINCT FROM OLD.search_name
       AND NEW.location_id = OLD.location_id THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM academy.search_word_people wp
         WHERE wp.location_id = OLD.location_id AND wp.kind = v_kind AND wp.person_id = OLD.id
           AND wp.word = ANY (ARRAY(SELECT academy.search_name_words(OLD.search_name)));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO academy.search_words (word)
        SELECT w FROM academy.search_name_words(NEW.search_name) AS w ORDER BY w
            ON CONFLICT (word) DO NOTHING;
        INSERT INTO academy.search_word_people (location_id, kind, word, person_id)
        SELECT NEW.location_id, v_kind, w, NEW.id
          FROM academy.search_name_words(NEW.search_name) AS w
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$fn$;
REVOKE EXECUTE ON FUNCTION academy.search_words_keep() FROM PUBLIC;
CREATE TRIGGER students_search_words
    AFTER INSERT OR DELETE OR UPDATE OF first_name, preferred_name, last_name, location_id
    ON academy.students FOR EACH ROW EXECUTE FUNCTION academy.search_words_keep();
CREATE TRIGGER parents_search_words
    AFTER INSERT OR DELETE OR UPDATE OF first_name, last_name, location_id
    ON academy.parents FOR EACH ROW EXECUTE FUNCTION academy.search_words_keep();

-- Both rebuilt from the people: after a load that skipped triggers (the seed's COPY) and
-- here for the rows already there. Owner only.
CREATE FUNCTION academy.rebuild_search_words() RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, academy, pg_temp AS $fn$
BEGIN
    TRUNCATE academy.search_word_people;
    INSERT INTO academy.search_word_people (location_id, kind, word, person_id)
    SELECT s.location_id, 's', w, s.id
      FROM academy.students s CROSS JOIN LATERAL academy.search_name_words(s.search_name) w
    UNION ALL
    SELECT p.location_id, 'p', w, p.id
      FROM academy.parents p CROSS JOIN LATERAL academy.search_name_words(p.search_name) w;
    INSERT INTO academy.search_words (word)
    SELECT DISTINCT wp.word FROM academy.search_word_people wp ORDER BY 1
        ON CONFLICT (word) DO NOTHING;
    RETURN (SELECT count(*) FROM academy.search_words);
END
$fn$;
REVOKE EXECUTE ON FUNCTION academy.rebuild_search_words() FROM PUBLIC;
SELECT academy.rebuild_search_words();

-- Each of the query's three longest words of 3+ characters (numbered 1..3) with its six
-- nearest dictionary words (word similarity, so a half-typed last word finds its whole
-- word). Internal: called by search_people (which sets the similarity threshold).
CREATE FUNCTION academy.search_typo_words(p_q text, OUT words text[], OUT nums int[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, academy, pg_temp
    -- a few thousand short rows look cheap to scan, but word similarity on each costs
    -- ~10 ms; the trigram index answers in ~0.1 ms
    SET enable_seqscan = off AS $fn$
BEGIN
    SELECT coalesce(array_agg(v.word ORDER BY q.n, v.word), '{}'),
           coalesce(array_agg(q.n ORDER BY q.n, v.word), '{}')
      INTO words, nums
      FROM (SELECT x.w, row_number() OVER (ORDER BY char_length(x.w) DESC, x.w)::int AS n
              FROM academy.search_name_words(p_q) AS x (w)
             WHERE char_length(x.w) >= 3
             ORDER BY 2 LIMIT 3) q
     CROSS JOIN LATERAL (
           SELECT d.word FROM academy.search_words d
            WHERE q.w OPERATOR(extensions.<%) d.word
            ORDER BY extensions.word_similarity(q.w, d.word) DESC,
                     extensions.similarity(q.w, d.word) DESC, d.word
            LIMIT 6) v;
END
$fn$;
REVOKE EXECUTE ON FUNCTION academy.search_typo_words(text) FROM PUBLIC;
