-- 0002_curriculum: the program tree (courses > curriculums > levels > modules > sections >
-- lessons), versioned assessment rubrics with their criteria, and the equipment library.
--
-- Every tree node carries a denormalised program_id so row-level security can say
-- "rows of my programs" with one indexed equality. It is kept by triggers: a BEFORE
-- trigger copies it from the parent row, and an AFTER trigger pushes a change down to
-- every child table whose program_id is kept that way.
-- Sibling order is a DEFERRABLE INITIALLY DEFERRED unique (parent, position) so a
-- drag-and-drop reorder can swap positions inside one transaction.

-- BEFORE INSERT OR UPDATE: NEW.program_id := parent.program_id.
-- TG_ARGV[0] = parent table (in academy), TG_ARGV[1] = this table's FK column to it.
CREATE FUNCTION academy.set_program_id_from_parent() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    v_parent_id uuid := (to_jsonb(NEW) ->> TG_ARGV[1])::uuid;
    v_program   uuid;
BEGIN
    IF v_parent_id IS NULL THEN
        NEW.program_id := NULL;
        RETURN NEW;
    END IF;
    EXECUTE format('SELECT program_id FROM academy.%I WHERE id = $1', TG_ARGV[0])
       INTO v_program USING v_parent_id;
    -- a missing parent is left to the foreign key to report
    NEW.program_id := coalesce(v_program, NEW.program_id);
    RETURN NEW;
END
$fn$;

-- AFTER UPDATE of program_id: re-derive program_id in every child table whose
-- set_program_id_from_parent trigger points at this table (the children's BEFORE
-- trigger does the copy, and their own AFTER trigger continues down the tree).
CREATE FUNCTION academy.cascade_program_id() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    v_child record;
BEGIN
    FOR v_child IN
        SELECT c.relname AS child_table,
               split_part(encode(t.tgargs, 'escape'), '\000', 2) AS fk_column
          FROM pg_trigger t
          JOIN pg_class c ON c.oid = t.tgrelid
         WHERE t.tgfoid = 'academy.set_program_id_from_parent()'::regprocedure
           AND NOT t.tgisinternal
           AND c.relnamespace = 'academy'::regnamespace
           AND split_part(encode(t.tgargs, 'escape'), '\000', 1) = TG_TABLE_NAME
    LOOP
        EXECUTE format('UPDATE academy.%I SET program_id = $1 WHERE %I = $2 AND program_id IS DISTINCT FROM $1',
                       v_child.child_table, v_child.fk_column)
          USING NEW.program_id, NEW.id;
    END LOOP;
    RETURN NULL;
END
$fn$;

CREATE TABLE academy.courses (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    program_id  uuid NOT NULL CONSTRAINT courses_program_id_fkey REFERENCES academy.programs (id),
    name        text NOT NULL CONSTRAINT courses_name_length
                CHECK (char_length(name) BETWEEN 1 AND 200 AND btrim(name) <> ''),
    description text CONSTRAINT courses_description_length CHECK (char_length(description) <= 4000),
    position    integer NOT NULL DEFAULT 0 CONSTRAINT courses_position_check CHECK (position >= 0),
    is_active   boolean NOT NULL DEFAULT true,
    row_version integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT courses_program_id_position_key UNIQUE (program_id, position) DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE academy.curriculums (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    course_id   uuid NOT NULL CONSTRAINT curriculums_course_id_fkey REFERENCES academy.courses (id),
    program_id  uuid NOT NULL CONSTRAINT curriculums_program_id_fkey REFERENCES academy.programs (id),
    name        text NOT NULL CONSTRAINT curriculums_name_length
                CHECK (char_length(name) BETWEEN 1 AND 200 AND btrim(name) <> ''),
    description text CONSTRAINT curriculums_description_length CHECK (char_length(description) <= 4000),
    min_age     smallint CONSTRAINT curriculums_min_age_check CHECK (min_age BETWEEN 0 AND 120),
    max_age     smallint CONSTRAINT curriculums_max_age_check CHECK (max_age BETWEEN 0 AND 120),
    position    integer NOT NULL DEFAULT 0 CONSTRAINT curriculums_position_check CHECK (position >= 0),
    is_active   boolean NOT NULL DEFAULT true,
    row_version integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', academy.normalize_search(name)), 'A')
        || setweight(to_tsvector('simple', academy.normalize_search(coalesce(description, ''))), 'B')
    ) STORED,
    CONSTRAINT curriculums_age_range_check CHECK (min_age IS NULL OR max_age IS NULL OR max_age >= min_age),
    CONSTRAINT curriculums_course_id_position_key UNIQUE (course_id, position) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX curriculums_program_id_idx ON academy.curriculums (program_id);
CREATE INDEX curriculums_search_document_idx ON academy.curriculums USING gin (search_document);

CREATE TABLE academy.levels (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    curriculum_id uuid NOT NULL CONSTRAINT levels_curriculum_id_fkey REFERENCES academy.curriculums (id),
    program_id    uuid NOT NULL CONSTRAINT levels_program_id_fkey REFERENCES academy.programs (id),
    level_number  integer NOT NULL CONSTRAINT levels_level_number_check CHECK (level_number BETWEEN 1 AND 99),
    name          text NOT NULL CONSTRAINT levels_name_length
                  CHECK (char_length(name) BETWEEN 1 AND 200 AND btrim(name) <> ''),
    description   text CONSTRAINT levels_description_length CHECK (char_length(description) <= 4000),
    position      integer NOT NULL DEFAULT 0 CONSTRAINT levels_position_check CHECK (position >= 0),
    is_active     boolean NOT NULL DEFAULT true,
    row_version   integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT levels_curriculum_id_position_key UNIQUE (curriculum_id, position) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT levels_curriculum_id_level_number_key UNIQUE (curriculum_id, level_number) DEFERRABLE INITIALLY DEFERRED,
    -- target of composite FKs that prove a level belongs to a curriculum
    CONSTRAINT levels_id_curriculum_id_key UNIQUE (id, curriculum_id)
);
CREATE INDEX levels_program_id_idx ON academy.levels (program_id);

CREATE TABLE academy.modules (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    level_id    uuid NOT NULL CONSTRAINT modules_level_id_fkey REFERENCES academy.levels (id),
    program_id  uuid NOT NULL CONSTRAINT modules_program_id_fkey REFERENCES academy.programs (id),
    name        text NOT NULL CONSTRAINT modules_name_length
                CHECK (char_length(name) BETWEEN 1 AND 200 AND btrim(name) <> ''),
    description text CONSTRAINT modules_description_length CHECK (char_length(description) <= 4000),
    position    integer NOT NULL DEFAULT 0 CONSTRAINT modules_position_check CHECK (position >= 0),
    is_active   boolean NOT NULL DEFAULT true,
    row_version integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT modules_level_id_position_key UNIQUE (level_id, position) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX modules_program_id_idx ON academy.modules (program_id);

CREATE TABLE academy.sections (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    module_id   uuid NOT NULL CONSTRAINT sections_module_id_fkey REFERENCES academy.modules (id),
    program_id  uuid NOT NULL CONSTRAINT sections_program_id_fkey REFERENCES academy.programs (id),
    name        text NOT NULL CONSTRAINT sections_name_length
                CHECK (char_length(name) BETWEEN 1 AND 200 AND btrim(name) <> ''),
    description text CONSTRAINT sections_description_length CHECK (char_length(description) <= 4000),
    position    integer NOT NULL DEFAULT 0 CONSTRAINT sections_position_check CHECK (position >= 0),
    is_active   boolean NOT NULL DEFAULT true,
    row_version integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sections_module_id_position_key UNIQUE (module_id, position) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX sections_program_id_idx ON academy.sections (program_id);

CREATE TABLE academy.lessons (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    section_id       uuid NOT NULL CONSTRAINT lessons_section_id_fkey REFERENCES academy.sections (id),
    program_id       uuid NOT NULL CONSTRAINT lessons_program_id_fkey REFERENCES academy.programs (id),
    name             text NOT NULL CONSTRAINT lessons_name_length
                     CHECK (char_length(name) BETWEEN 1 AND 200 AND btrim(name) <> ''),
    description      text CONSTRAINT lessons_description_length CHECK (char_length(description) <= 4000),
    objectives       text CONSTRAINT lessons_objectives_length CHECK (char_length(objectives) <= 4000),
    content          text CONSTRAINT lessons_content_length CHECK (char_length(content) <= 100000),
    duration_minutes integer CONSTRAINT lessons_duration_minutes_check CHECK (duration_minutes BETWEEN 1 AND 600),
    position         integer NOT NULL DEFAULT 0 CONSTRAINT lessons_position_check CHECK (position >= 0),
    is_active        boolean NOT NULL DEFAULT true,
    row_version      integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    search_document  tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', academy.normalize_search(name)), 'A')
        || setweight(to_tsvector('simple', academy.normalize_search(coalesce(objectives, ''))), 'B')
        || setweight(to_tsvector('simple', academy.normalize_search(
               coalesce(description, '') || ' ' || coalesce(content, ''))), 'C')
    ) STORED,
    CONSTRAINT lessons_section_id_position_key UNIQUE (section_id, position) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX lessons_program_id_idx ON academy.lessons (program_id);
CREATE INDEX lessons_search_document_idx ON academy.lessons USING gin (search_document);

-- Rubrics are versioned per level: a rating always points at the version it was made
-- under; editing criteria that have ratings means publishing a new version.
CREATE TABLE academy.assessment_rubrics (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    level_id    uuid NOT NULL CONSTRAINT assessment_rubrics_level_id_fkey REFERENCES academy.levels (id),
    program_id  uuid NOT NULL CONSTRAINT assessment_rubrics_program_id_fkey REFERENCES academy.programs (id),
    version     integer NOT NULL DEFAULT 1 CONSTRAINT assessment_rubrics_version_check CHECK (version >= 1),
    is_current  boolean NOT NULL DEFAULT false,
    name        text NOT NULL CONSTRAINT assessment_rubrics_name_length
                CHECK (char_length(name) BETWEEN 1 AND 200 AND btrim(name) <> ''),
    description text CONSTRAINT assessment_rubrics_description_length CHECK (char_length(description) <= 4000),
    published_at timestamptz,
    created_by  text NOT NULL DEFAULT session_user,
    is_active   boolean NOT NULL DEFAULT true,
    row_version integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT assessment_rubrics_level_id_version_key UNIQUE (level_id, version),
    CONSTRAINT assessment_rubrics_id_level_id_key UNIQUE (id, level_id)
);
CREATE INDEX assessment_rubrics_program_id_idx ON academy.assessment_rubrics (program_id);
-- the 1:1 of the spec: one current rubric per level
CREATE UNIQUE INDEX assessment_rubrics_one_current_key ON academy.assessment_rubrics (level_id) WHERE is_current;

CREATE TABLE academy.assessment_rubric_criteria (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    rubric_id        uuid NOT NULL CONSTRAINT assessment_rubric_criteria_rubric_id_fkey
                     REFERENCES academy.assessment_rubrics (id) ON DELETE CASCADE,
    program_id       uuid NOT NULL CONSTRAINT assessment_rubric_criteria_program_id_fkey REFERENCES academy.programs (id),
    name             text NOT NULL CONSTRAINT assessment_rubric_criteria_name_length
                     CHECK (char_length(name) BETWEEN 1 AND 200 AND btrim(name) <> ''),
    description      text CONSTRAINT assessment_rubric_criteria_description_length CHECK (char_length(description) <= 4000),
    star_0_descriptor text CONSTRAINT assessment_rubric_criteria_star_0_descriptor_length CHECK (char_length(star_0_descriptor) <= 1000),
    star_1_descriptor text CONSTRAINT assessment_rubric_criteria_star_1_descriptor_length CHECK (char_length(star_1_descriptor) <= 1000),
    star_2_descriptor text CONSTRAINT assessment_rubric_criteria_star_2_descriptor_length CHECK (char_length(star_2_descriptor) <= 1000),
    star_3_descriptor text CONSTRAINT assessment_rubric_criteria_star_3_descriptor_length CHECK (char_length(star_3_descriptor) <= 1000),
    position         integer NOT NULL DEFAULT 0 CONSTRAINT assessment_rubric_criteria_position_check CHECK (position >= 0),
    is_active        boolean NOT NULL DEFAULT true,
    row_version      integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT assessment_rubric_criteria_rubric_id_position_key UNIQUE (rubric_id, position) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT assessment_rubric_criteria_id_rubric_id_key UNIQUE (id, rubric_id)
);
CREATE INDEX assessment_rubric_criteria_program_id_idx ON academy.assessment_rubric_criteria (program_id);

-- Equipment library (seeded with common items) and what each level needs.
CREATE TABLE academy.equipment_items (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        extensions.citext NOT NULL CONSTRAINT equipment_items_name_key UNIQUE
                CONSTRAINT equipment_items_name_length
                CHECK (char_length(name::text) BETWEEN 1 AND 200 AND btrim(name::text) <> ''),
    category    text NOT NULL DEFAULT 'other' CONSTRAINT equipment_items_category_check
                CHECK (category IN ('safety', 'training', 'teaching_aid', 'apparel', 'facility', 'other')),
    description text CONSTRAINT equipment_items_description_length CHECK (char_length(description) <= 4000),
    unit        text NOT NULL DEFAULT 'each' CONSTRAINT equipment_items_unit_length CHECK (char_length(unit) BETWEEN 1 AND 30),
    is_active   boolean NOT NULL DEFAULT true,
    row_version integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE academy.equipment_requirements (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    level_id          uuid NOT NULL CONSTRAINT equipment_requirements_level_id_fkey
                      REFERENCES academy.levels (id) ON DELETE CASCADE,
    program_id        uuid NOT NULL CONSTRAINT equipment_requirements_program_id_fkey REFERENCES academy.programs (id),
    equipment_item_id uuid NOT NULL CONSTRAINT equipment_requirements_equipment_item_id_fkey
                      REFERENCES academy.equipment_items (id),
    quantity          integer NOT NULL DEFAULT 1 CONSTRAINT equipment_requirements_quantity_check CHECK (quantity > 0),
    per_student       boolean NOT NULL DEFAULT true,
    is_required       boolean NOT NULL DEFAULT true,
    notes             text CONSTRAINT equipment_requirements_notes_length CHECK (char_length(notes) <= 4000),
    row_version       integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT equipment_requirements_level_id_equipment_item_id_key UNIQUE (level_id, equipment_item_id)
);
CREATE INDEX equipment_requirements_equipment_item_id_idx ON academy.equipment_requirements (equipment_item_id);
CREATE INDEX equipment_requirements_program_id_idx ON academy.equipment_requirements (program_id);

-- program_id derivation (child table, parent table, FK column) and its cascade
DO $do$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM (VALUES
        ('curriculums', 'courses', 'course_id'),
        ('levels', 'curriculums', 'curriculum_id'),
        ('modules', 'levels', 'level_id'),
        ('sections', 'modules', 'module_id'),
        ('lessons', 'sections', 'section_id'),
        ('assessment_rubrics', 'levels', 'level_id'),
        ('assessment_rubric_criteria', 'assessment_rubrics', 'rubric_id'),
        ('equipment_requirements', 'levels', 'level_id')) AS v (child, parent, fk)
    LOOP
        EXECUTE format(
            'CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON academy.%I '
            'FOR EACH ROW EXECUTE FUNCTION academy.set_program_id_from_parent(%L, %L)',
            r.child || '_set_program_id', r.child, r.parent, r.fk);
    END LOOP;
    FOREACH r.child IN ARRAY ARRAY['courses', 'curriculums', 'levels', 'modules', 'sections',
                                   'assessment_rubrics']
    LOOP
        EXECUTE format(
            'CREATE TRIGGER %I AFTER UPDATE ON academy.%I FOR EACH ROW '
            'WHEN (OLD.program_id IS DISTINCT FROM NEW.program_id) '
            'EXECUTE FUNCTION academy.cascade_program_id()',
            r.child || '_cascade_program_id', r.child);
    END LOOP;
    FOREACH r.child IN ARRAY ARRAY['courses', 'curriculums', 'levels', 'modules', 'sections',
                                   'lessons', 'assessment_rubrics', 'assessment_rubric_criteria',
                                   'equipment_items', 'equipment_requirements']
    LOOP
        EXECUTE format(
            'CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON academy.%I '
            'FOR EACH ROW EXECUTE FUNCTION academy.touch_updated_at(''row_version'')',
            r.child || '_touch', r.child);
    END LOOP;
END
$do$;
