-- 0001_core: shared functions, people and access (users, auth), locations, programs,
-- students, parents and families. Runs as academy_owner with
-- search_path = academy, extensions; every object is schema-qualified anyway.
--
-- Constraint naming (the app maps SQLSTATE + constraint name to a message):
--   <table>_<column>_length  text too long / blank      <table>_<column>_check  other rule
--   <table>_<columns>_key    unique                      <table>_<column>_fkey   foreign key
--   <table>_<what>_excl      exclusion

------------------------------------------------------------------------------------------
-- Shared functions
------------------------------------------------------------------------------------------

-- updated_at (and row_version, when the trigger is created with argument 'row_version')
-- are kept by the database, never by the client. Extra arguments name columns whose
-- change alone does not bump row_version (sessions.booked_count is kept by a trigger and
-- must not make an admin's open edit of the session look stale).
CREATE FUNCTION academy.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.updated_at := NEW.created_at;
        IF TG_NARGS > 0 AND TG_ARGV[0] = 'row_version' THEN
            NEW.row_version := 1;
        END IF;
        RETURN NEW;
    END IF;
    NEW.created_at := OLD.created_at;
    NEW.updated_at := now();
    IF TG_NARGS > 0 AND TG_ARGV[0] = 'row_version' THEN
        IF TG_NARGS > 1
           AND (to_jsonb(NEW) - TG_ARGV[1:TG_NARGS - 1] - 'updated_at' - 'row_version')
             = (to_jsonb(OLD) - TG_ARGV[1:TG_NARGS - 1] - 'updated_at' - 'row_version') THEN
            NEW.row_version := OLD.row_version;
        ELSE
            NEW.row_version := OLD.row_version + 1;
        END IF;
    END IF;
    RETURN NEW;
END
$fn$;

-- Append-only tables (ledger, audit logs): no UPDATE/DELETE/TRUNCATE, except by the
-- owner doing explicit maintenance (SET LOCAL academy.maintenance = 'on'). Checking the
-- GUC as well as current_user matters: SECURITY DEFINER functions also run as the owner.
CREATE FUNCTION academy.forbid_modification() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
    IF current_user = 'academy_owner'
       AND coalesce(current_setting('academy.maintenance', true), '') = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION '% rows are append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'post a correcting entry instead';
END
$fn$;

-- Search normalisation shared by generated columns, indexes and queries.
CREATE FUNCTION academy.normalize_search(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN lower(extensions.unaccent('extensions.unaccent'::regdictionary, $1));

-- True when PostgreSQL knows the time zone name. Declared IMMUTABLE so CHECKs may use
-- it (the zone database changes only with a server upgrade).
CREATE FUNCTION academy.is_valid_timezone(p_zone text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
    PERFORM now() AT TIME ZONE p_zone;
    RETURN true;
EXCEPTION WHEN invalid_parameter_value THEN
    RETURN false;
END
$fn$;

------------------------------------------------------------------------------------------
-- Monthly range partitions
------------------------------------------------------------------------------------------

-- Renames a partition's indexes (and so their unique/PK constraints) to
-- <parent index name><suffix>, suffix = the partition name minus its table's name
-- (_yYYYYmMM or _default). A unique violation raised in a partition then names
-- "session_bookings_session_id_student_id_key_y2026m11", which the app maps by prefix,
-- instead of PostgreSQL's truncated automatic name. Idempotent.
CREATE FUNCTION academy.name_partition_indexes(p_partition regclass)
    RETURNS int LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    v_suffix  text;
    v_index   record;
    v_target  text;
    v_renamed int := 0;
BEGIN
    SELECT substr(c.relname, char_length(p.relname) + 1) INTO v_suffix
      FROM pg_class c
      JOIN pg_inherits i ON i.inhrelid = c.oid
      JOIN pg_class p ON p.oid = i.inhparent
     WHERE c.oid = p_partition AND c.relnamespace = 'academy'::regnamespace
       AND left(c.relname, char_length(p.relname)) = p.relname;
    IF v_suffix IS NULL THEN
        RETURN 0;
    END IF;
    FOR v_index IN
        SELECT ci.relname AS child_name, pi.relname AS parent_name
          FROM pg_index x
          JOIN pg_class ci ON ci.oid = x.indexrelid
          JOIN pg_inherits ii ON ii.inhrelid = x.indexrelid
          JOIN pg_class pi ON pi.oid = ii.inhparent
         WHERE x.indrelid = p_partition
    LOOP
        v_target := left(v_index.parent_name, 63 - char_length(v_suffix)) || v_suffix;
        IF v_target <> v_index.child_name
           AND to_regclass(format('academy.%I', v_target)) IS NULL THEN
            EXECUTE format('ALTER INDEX academy.%I RENAME TO %I', v_index.child_name, v_target);
            v_renamed := v_renamed + 1;
        END IF;
    END LOOP;
    RETURN v_renamed;
END
$fn$;
REVOKE EXECUTE ON FUNCTION academy.name_partition_indexes(regclass) FROM PUBLIC;

-- Creates <table>_yYYYYmMM partitions for p_months months from p_from's month.
-- Idempotent; never moves rows: a month whose rows already sit in the DEFAULT partition
-- is skipped with a WARNING (an operator moves them deliberately), and a month that
-- overlaps a differently named partition makes CREATE fail. Runs as the owner (SECURITY
-- DEFINER) so partitions are always owned by academy_owner; bounds in UTC.
CREATE FUNCTION academy.ensure_monthly_partitions(p_table regclass, p_from date, p_months int)
    RETURNS int LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC' AS $fn$
DECLARE
    v_schema   name;
    v_table    name;
    v_key      name;
    v_default  regclass;
    v_start    date;
    v_end      date;
    v_name     text;
    v_existing regclass;
    v_busy     boolean;
    v_created  int := 0;
BEGIN
    IF p_months IS NULL OR p_months < 0 OR p_months > 240 THEN
        RAISE EXCEPTION 'p_months must be between 0 and 240' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT n.nspname, c.relname, a.attname
      INTO v_schema, v_table, v_key
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_partitioned_table p ON p.partrelid = c.oid
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0]
     WHERE c.oid = p_table AND p.partstrat = 'r' AND p.partnatts = 1;
    IF v_table IS NULL OR v_schema <> 'academy' THEN
        RAISE EXCEPTION '% is not a single-column range-partitioned academy table', p_table
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT i.inhrelid::regclass INTO v_default
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = p_table AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';

    FOR i IN 0 .. p_months - 1 LOOP
        v_start := (date_trunc('month', p_from) + make_interval(months => i))::date;
        v_end := (v_start + interval '1 month')::date;
        v_name := format('%s_y%sm%s', v_table, to_char(v_start, 'YYYY'), to_char(v_start, 'MM'));
        v_existing := to_regclass(format('%I.%I', v_schema, v_name));
        IF v_existing IS NOT NULL THEN
            IF NOT EXISTS (SELECT 1 FROM pg_inherits
                            WHERE inhrelid = v_existing AND inhparent = p_table) THEN
                RAISE EXCEPTION '% exists but is not a partition of %', v_name, p_table
                    USING ERRCODE = 'duplicate_table';
            END IF;
            CONTINUE;
        END IF;
        IF v_default IS NOT NULL THEN
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %I >= $1 AND %I < $2)',
                           v_default, v_key, v_key)
               INTO v_busy USING v_start, v_end;
            IF v_busy THEN
                RAISE WARNING 'not creating %: rows of that month are in the default partition %',
                    v_name, v_default;
                CONTINUE;
            END IF;
        END IF;
        EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)',
                       v_schema, v_name, p_table, v_start, v_end);
        PERFORM academy.name_partition_indexes(format('%I.%I', v_schema, v_name)::regclass);
        v_created := v_created + 1;
    END LOOP;
    RETURN v_created;
END
$fn$;
REVOKE EXECUTE ON FUNCTION academy.ensure_monthly_partitions(regclass, date, int) FROM PUBLIC;

-- Every range-partitioned academy table: a DEFAULT partition, then months from 12 back
-- to p_months_ahead ahead of the current month, then partition index names. Returns the
-- number of partitions made. Run it from a monthly job (and after adding an index to a
-- partitioned table).
CREATE FUNCTION academy.maintain_partitions(p_months_ahead int DEFAULT 3)
    RETURNS int LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp SET TimeZone = 'UTC' AS $fn$
DECLARE
    v_table   regclass;
    v_created int := 0;
    v_from    date := (date_trunc('month', current_date) - interval '12 months')::date;
BEGIN
    FOR v_table IN
        SELECT c.oid::regclass
          FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_partitioned_table p ON p.partrelid = c.oid
         WHERE n.nspname = 'academy' AND p.partstrat = 'r' AND NOT c.relispartition
         ORDER BY c.relname
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class d ON d.oid = i.inhrelid
                        WHERE i.inhparent = v_table
                          AND pg_get_expr(d.relpartbound, d.oid) = 'DEFAULT') THEN
            EXECUTE format('CREATE TABLE %s PARTITION OF %s DEFAULT',
                           v_table::text || '_default', v_table);
            v_created := v_created + 1;
        END IF;
        v_created := v_created
            + academy.ensure_monthly_partitions(v_table, v_from, 12 + 1 + p_months_ahead);
        -- indexes added to the parent after its partitions were made get their names now
        PERFORM academy.name_partition_indexes(i.inhrelid::regclass)
           FROM pg_inherits i WHERE i.inhparent = v_table;
    END LOOP;
    RETURN v_created;
END
$fn$;
REVOKE EXECUTE ON FUNCTION academy.maintain_partitions(int) FROM PUBLIC;

------------------------------------------------------------------------------------------
-- Enumerations
------------------------------------------------------------------------------------------

CREATE TYPE academy.user_kind AS ENUM ('super_admin', 'program_admin', 'front_desk', 'instructor');
CREATE TYPE academy.relationship_kind AS ENUM
    ('mother', 'father', 'guardian', 'grandparent', 'stepparent', 'sibling', 'other');

------------------------------------------------------------------------------------------
-- Locations and programs
------------------------------------------------------------------------------------------

CREATE TABLE academy.locations (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code          text NOT NULL CONSTRAINT locations_code_key UNIQUE
                  CONSTRAINT locations_code_check CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
    name          text NOT NULL CONSTRAINT locations_name_key UNIQUE
                  CONSTRAINT locations_name_length CHECK (char_length(name) BETWEEN 1 AND 200 AND btrim(name) <> ''),
    address_line1 text CONSTRAINT locations_address_line1_length CHECK (char_length(address_line1) <= 200),
    address_line2 text CONSTRAINT locations_address_line2_length CHECK (char_length(address_line2) <= 200),
    city          text CONSTRAINT locations_city_length CHECK (char_length(city) <= 100),
    region        text CONSTRAINT locations_region_length CHECK (char_length(region) <= 100),
    postal_code   text CONSTRAINT locations_postal_code_length CHECK (char_length(postal_code) <= 20),
    country_code  char(2) CONSTRAINT locations_country_code_check CHECK (country_code ~ '^[A-Z]{2}$'),
    timezone      text NOT NULL DEFAULT 'UTC'
                  CONSTRAINT locations_timezone_check CHECK (academy.is_valid_timezone(timezone)),
    phone         text CONSTRAINT locations_phone_check CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    email         extensions.citext CONSTRAINT locations_email_check
                  CHECK (char_length(email::text) <= 254 AND email::text ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    facilities    text CONSTRAINT locations_facilities_length CHECK (char_length(facilities) <= 4000),
    notes         text CONSTRAINT locations_notes_length CHECK (char_length(notes) <= 4000),
    is_active     boolean NOT NULL DEFAULT true,
    row_version   integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE academy.programs (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code        text NOT NULL CONSTRAINT programs_code_key UNIQUE
                CONSTRAINT programs_code_check CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$'),
    name        text NOT NULL CONSTRAINT programs_name_key UNIQUE
                CONSTRAINT programs_name_length CHECK (char_length(name) BETWEEN 1 AND 200 AND btrim(name) <> ''),
    description text CONSTRAINT programs_description_length CHECK (char_length(description) <= 4000),
    color       text CONSTRAINT programs_color_check CHECK (color ~ '^#[0-9a-fA-F]{6}$'),
    is_active   boolean NOT NULL DEFAULT true,
    row_version integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', academy.normalize_search(name)), 'A')
        || setweight(to_tsvector('simple', academy.normalize_search(coalesce(description, ''))), 'B')
    ) STORED
);
CREATE INDEX programs_search_document_idx ON academy.programs USING gin (search_document);

CREATE TABLE academy.location_programs (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    location_id uuid NOT NULL CONSTRAINT location_programs_location_id_fkey
                REFERENCES academy.locations (id) ON DELETE CASCADE,
    program_id  uuid NOT NULL CONSTRAINT location_programs_program_id_fkey
                REFERENCES academy.programs (id) ON DELETE CASCADE,
    starts_on   date,
    ends_on     date,
    is_active   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT location_programs_location_id_program_id_key UNIQUE (location_id, program_id),
    CONSTRAINT location_programs_dates_check CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX location_programs_program_id_idx ON academy.location_programs (program_id);

------------------------------------------------------------------------------------------
-- Staff accounts and authentication
------------------------------------------------------------------------------------------

CREATE TABLE academy.users (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    role_name            text NOT NULL CONSTRAINT users_role_name_key UNIQUE
                         CONSTRAINT users_role_name_check CHECK (role_name ~ '^[a-z][a-z0-9_]{2,62}$'),
    kind                 academy.user_kind NOT NULL,
    full_name            text NOT NULL CONSTRAINT users_full_name_length
                         CHECK (char_length(full_name) BETWEEN 1 AND 200 AND btrim(full_name) <> ''),
    email                extensions.citext CONSTRAINT users_email_key UNIQUE
                         CONSTRAINT users_email_check
                         CHECK (char_length(email::text) <= 254 AND email::text ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    phone                text CONSTRAINT users_phone_check CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    preferred_language   text NOT NULL DEFAULT 'en'
                         CONSTRAINT users_preferred_language_check CHECK (preferred_language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
    is_active            boolean NOT NULL DEFAULT true,
    must_change_password boolean NOT NULL DEFAULT true,
    failed_login_count   integer NOT NULL DEFAULT 0
                         CONSTRAINT users_failed_login_count_check CHECK (failed_login_count >= 0),
    locked_until         timestamptz,
    last_login_at        timestamptz,
    password_changed_at  timestamptz,
    deactivated_at       timestamptz,
    notes                text CONSTRAINT users_notes_length CHECK (char_length(notes) <= 4000),
    created_by           text NOT NULL DEFAULT session_user,
    row_version          integer NOT NULL DEFAULT 1,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_kind_idx ON academy.users (kind) WHERE is_active;

CREATE TABLE academy.user_location_assignments (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL CONSTRAINT user_location_assignments_user_id_fkey
                REFERENCES academy.users (id) ON DELETE CASCADE,
    location_id uuid NOT NULL CONSTRAINT user_location_assignments_location_id_fkey
                REFERENCES academy.locations (id) ON DELETE CASCADE,
    created_by  text NOT NULL DEFAULT session_user,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT user_location_assignments_user_id_location_id_key UNIQUE (user_id, location_id)
);
CREATE INDEX user_location_assignments_location_id_idx ON academy.user_location_assignments (location_id);

CREATE TABLE academy.user_program_assignments (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL CONSTRAINT user_program_assignments_user_id_fkey
                REFERENCES academy.users (id) ON DELETE CASCADE,
    program_id  uuid NOT NULL CONSTRAINT user_program_assignments_program_id_fkey
                REFERENCES academy.programs (id) ON DELETE CASCADE,
    created_by  text NOT NULL DEFAULT session_user,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT user_program_assignments_user_id_program_id_key UNIQUE (user_id, program_id)
);
CREATE INDEX user_program_assignments_program_id_idx ON academy.user_program_assignments (program_id);

-- Parents before password_reset_tokens and students (FKs point at them).
CREATE TABLE academy.parents (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    role_name          text CONSTRAINT parents_role_name_key UNIQUE
                       CONSTRAINT parents_role_name_check CHECK (role_name ~ '^[a-z][a-z0-9_]{2,62}$'),
    first_name         text NOT NULL CONSTRAINT parents_first_name_length
                       CHECK (char_length(first_name) BETWEEN 1 AND 200 AND btrim(first_name) <> ''),
    last_name          text NOT NULL CONSTRAINT parents_last_name_length
                       CHECK (char_length(last_name) BETWEEN 1 AND 200 AND btrim(last_name) <> ''),
    email              extensions.citext CONSTRAINT parents_email_check
                       CHECK (char_length(email::text) <= 254 AND email::text ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    phone              text CONSTRAINT parents_phone_check CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    alternate_phone    text CONSTRAINT parents_alternate_phone_check CHECK (alternate_phone ~ '^\+[1-9][0-9]{6,14}$'),
    address_line1      text CONSTRAINT parents_address_line1_length CHECK (char_length(address_line1) <= 200),
    address_line2      text CONSTRAINT parents_address_line2_length CHECK (char_length(address_line2) <= 200),
    city               text CONSTRAINT parents_city_length CHECK (char_length(city) <= 100),
    region             text CONSTRAINT parents_region_length CHECK (char_length(region) <= 100),
    postal_code        text CONSTRAINT parents_postal_code_length CHECK (char_length(postal_code) <= 20),
    country_code       char(2) CONSTRAINT parents_country_code_check CHECK (country_code ~ '^[A-Z]{2}$'),
    location_id        uuid NOT NULL CONSTRAINT parents_location_id_fkey REFERENCES academy.locations (id),
    preferred_language text NOT NULL DEFAULT 'en'
                       CONSTRAINT parents_preferred_language_check CHECK (preferred_language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
    notes              text CONSTRAINT parents_notes_length CHECK (char_length(notes) <= 4000),
    is_active          boolean NOT NULL DEFAULT true,
    row_version        integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    phone_digits       text GENERATED ALWAYS AS (regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g')) STORED,
    search_name        text GENERATED ALWAYS AS (academy.normalize_search(first_name || ' ' || last_name)) STORED,
    last_name_search   text GENERATED ALWAYS AS (academy.normalize_search(last_name)) STORED,
    search_document    tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', academy.normalize_search(first_name || ' ' || last_name)), 'A')
        || setweight(to_tsvector('simple', coalesce(email::text, '')), 'B')
        || setweight(to_tsvector('simple', regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g')), 'B')
    ) STORED
);
CREATE INDEX parents_email_phone_location_idx ON academy.parents (email, phone, location_id);
CREATE INDEX parents_location_id_idx ON academy.parents (location_id);
CREATE INDEX parents_phone_digits_idx ON academy.parents (phone_digits text_pattern_ops);
CREATE INDEX parents_search_name_trgm_idx ON academy.parents USING gin (search_name extensions.gin_trgm_ops);
CREATE INDEX parents_last_name_search_idx ON academy.parents (last_name_search text_pattern_ops);
CREATE INDEX parents_search_document_idx ON academy.parents USING gin (search_document);

CREATE TABLE academy.password_reset_tokens (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid CONSTRAINT password_reset_tokens_user_id_fkey
                REFERENCES academy.users (id) ON DELETE CASCADE,
    parent_id   uuid CONSTRAINT password_reset_tokens_parent_id_fkey
                REFERENCES academy.parents (id) ON DELETE CASCADE,
    -- SHA-256 of the one-time code; the code itself is never stored
    token_hash  bytea NOT NULL CONSTRAINT password_reset_tokens_token_hash_key UNIQUE
                CONSTRAINT password_reset_tokens_token_hash_check CHECK (octet_length(token_hash) = 32),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    attempts    integer NOT NULL DEFAULT 0
                CONSTRAINT password_reset_tokens_attempts_check CHECK (attempts BETWEEN 0 AND 100),
    created_by  text NOT NULL DEFAULT session_user,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT password_reset_tokens_owner_check CHECK (num_nonnulls(user_id, parent_id) = 1),
    CONSTRAINT password_reset_tokens_expires_at_check CHECK (expires_at > created_at)
);
CREATE INDEX password_reset_tokens_user_id_idx ON academy.password_reset_tokens (user_id);
CREATE INDEX password_reset_tokens_parent_id_idx ON academy.password_reset_tokens (parent_id);

-- Audit rows must outlive the accounts they mention: no FKs, role_name kept as text.
CREATE TABLE academy.auth_audit_log (
    id               uuid NOT NULL DEFAULT gen_random_uuid(),
    created_at       timestamptz NOT NULL DEFAULT now(),
    event            text NOT NULL CONSTRAINT auth_audit_log_event_check CHECK (event IN (
                         'login_success', 'login_failure', 'logout', 'password_change',
                         'password_reset_issued', 'password_reset_used', 'password_reset_failed',
                         'account_created', 'account_disabled', 'account_enabled',
                         'account_locked', 'account_unlocked', 'role_changed',
                         'assignment_changed', 'session_terminated')),
    role_name        text CONSTRAINT auth_audit_log_role_name_length CHECK (char_length(role_name) <= 63),
    user_id          uuid,
    parent_id        uuid,
    actor_role_name  text NOT NULL DEFAULT session_user,
    client_addr      inet DEFAULT inet_client_addr(),
    application_name text DEFAULT current_setting('application_name', true)
                     CONSTRAINT auth_audit_log_application_name_length CHECK (char_length(application_name) <= 200),
    details          jsonb NOT NULL DEFAULT '{}'
                     CONSTRAINT auth_audit_log_details_check CHECK (jsonb_typeof(details) = 'object' AND pg_column_size(details) <= 8192),
    CONSTRAINT auth_audit_log_pkey PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE TABLE academy.auth_audit_log_default PARTITION OF academy.auth_audit_log DEFAULT;
CREATE INDEX auth_audit_log_role_name_idx ON academy.auth_audit_log (role_name, created_at);
CREATE INDEX auth_audit_log_user_id_idx ON academy.auth_audit_log (user_id, created_at);
CREATE INDEX auth_audit_log_created_at_idx ON academy.auth_audit_log (created_at);
CREATE TRIGGER auth_audit_log_append_only BEFORE UPDATE OR DELETE ON academy.auth_audit_log
    FOR EACH ROW EXECUTE FUNCTION academy.forbid_modification();

-- Data-modification audit (written by 0005_security's triggers). Append-only as well.
CREATE TABLE academy.data_audit_log (
    id              uuid NOT NULL DEFAULT gen_random_uuid(),
    created_at      timestamptz NOT NULL DEFAULT now(),
    table_name      text NOT NULL CONSTRAINT data_audit_log_table_name_length CHECK (char_length(table_name) <= 63),
    row_id          uuid,
    operation       text NOT NULL CONSTRAINT data_audit_log_operation_check
                    CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')),
    role_name       text NOT NULL DEFAULT session_user,
    changed_columns text[],
    old_data        jsonb,
    new_data        jsonb,
    transaction_id  bigint NOT NULL DEFAULT txid_current(),
    CONSTRAINT data_audit_log_pkey PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE TABLE academy.data_audit_log_default PARTITION OF academy.data_audit_log DEFAULT;
CREATE INDEX data_audit_log_row_idx ON academy.data_audit_log (table_name, row_id, created_at);
CREATE INDEX data_audit_log_role_name_idx ON academy.data_audit_log (role_name, created_at);
CREATE TRIGGER data_audit_log_append_only BEFORE UPDATE OR DELETE ON academy.data_audit_log
    FOR EACH ROW EXECUTE FUNCTION academy.forbid_modification();

------------------------------------------------------------------------------------------
-- Students and families
------------------------------------------------------------------------------------------

CREATE SEQUENCE academy.student_number_seq;

CREATE TABLE academy.students (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    student_number   text NOT NULL DEFAULT ('S' || lpad(nextval('academy.student_number_seq')::text, 7, '0'))
                     CONSTRAINT students_student_number_key UNIQUE
                     CONSTRAINT students_student_number_check CHECK (student_number ~ '^[A-Z0-9][A-Z0-9-]{0,31}$'),
    first_name       text NOT NULL CONSTRAINT students_first_name_length
                     CHECK (char_length(first_name) BETWEEN 1 AND 200 AND btrim(first_name) <> ''),
    last_name        text NOT NULL CONSTRAINT students_last_name_length
                     CHECK (char_length(last_name) BETWEEN 1 AND 200 AND btrim(last_name) <> ''),
    preferred_name   text CONSTRAINT students_preferred_name_length
                     CHECK (char_length(preferred_name) BETWEEN 1 AND 200 AND btrim(preferred_name) <> ''),
    date_of_birth    date CONSTRAINT students_date_of_birth_check CHECK (date_of_birth >= DATE '1900-01-01'),
    gender           text CONSTRAINT students_gender_check
                     CHECK (gender IN ('female', 'male', 'non_binary', 'undisclosed')),
    location_id      uuid NOT NULL CONSTRAINT students_location_id_fkey REFERENCES academy.locations (id),
    program_id       uuid CONSTRAINT students_program_id_fkey REFERENCES academy.programs (id),
    school           text CONSTRAINT students_school_length CHECK (char_length(school) <= 200),
    medical_notes    text CONSTRAINT students_medical_notes_length CHECK (char_length(medical_notes) <= 4000),
    allergies        text CONSTRAINT students_allergies_length CHECK (char_length(allergies) <= 2000),
    notes            text CONSTRAINT students_notes_length CHECK (char_length(notes) <= 4000),
    photo            bytea CONSTRAINT students_photo_check CHECK (octet_length(photo) <= 2097152),
    photo_mime_type  text CONSTRAINT students_photo_mime_type_check CHECK (photo_mime_type IN ('image/jpeg', 'image/png', 'image/webp')),
    joined_on        date NOT NULL DEFAULT current_date,
    is_active        boolean NOT NULL DEFAULT true,
    row_version      integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    search_name      text GENERATED ALWAYS AS (academy.normalize_search(
                         first_name || ' ' || coalesce(preferred_name || ' ', '') || last_name)) STORED,
    last_name_search text GENERATED ALWAYS AS (academy.normalize_search(last_name)) STORED,
    search_document  tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', academy.normalize_search(
            first_name || ' ' || coalesce(preferred_name || ' ', '') || last_name)), 'A')
        || setweight(to_tsvector('simple', lower(student_number)), 'A')
    ) STORED
);
ALTER SEQUENCE academy.student_number_seq OWNED BY academy.students.student_number;
CREATE INDEX students_location_program_last_name_idx ON academy.students (location_id, program_id, last_name);
CREATE INDEX students_program_id_idx ON academy.students (program_id);
CREATE INDEX students_search_name_trgm_idx ON academy.students USING gin (search_name extensions.gin_trgm_ops);
CREATE INDEX students_last_name_search_idx ON academy.students (last_name_search text_pattern_ops);
CREATE INDEX students_search_document_idx ON academy.students USING gin (search_document);

CREATE TABLE academy.student_parent_relationships (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    student_id           uuid NOT NULL CONSTRAINT student_parent_relationships_student_id_fkey
                         REFERENCES academy.students (id) ON DELETE CASCADE,
    parent_id            uuid NOT NULL CONSTRAINT student_parent_relationships_parent_id_fkey
                         REFERENCES academy.parents (id) ON DELETE CASCADE,
    relationship         academy.relationship_kind NOT NULL,
    is_primary_contact   boolean NOT NULL DEFAULT false,
    is_emergency_contact boolean NOT NULL DEFAULT false,
    can_pickup           boolean NOT NULL DEFAULT true,
    receives_invoices    boolean NOT NULL DEFAULT false,
    notes                text CONSTRAINT student_parent_relationships_notes_length CHECK (char_length(notes) <= 4000),
    row_version          integer NOT NULL DEFAULT 1,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT student_parent_relationships_student_id_parent_id_key UNIQUE (student_id, parent_id)
);
CREATE INDEX student_parent_relationships_parent_id_idx ON academy.student_parent_relationships (parent_id);
-- at most one primary contact per student
CREATE UNIQUE INDEX student_parent_relationships_one_primary_key
    ON academy.student_parent_relationships (student_id) WHERE is_primary_contact;

------------------------------------------------------------------------------------------
-- updated_at / row_version triggers
------------------------------------------------------------------------------------------

DO $do$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['locations', 'programs', 'location_programs', 'users',
                             'user_location_assignments', 'user_program_assignments',
                             'parents', 'students', 'student_parent_relationships']
    LOOP
        EXECUTE format(
            'CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON academy.%I '
            'FOR EACH ROW EXECUTE FUNCTION academy.touch_updated_at(%s)',
            t || '_touch', t,
            CASE WHEN EXISTS (SELECT 1 FROM pg_attribute
                               WHERE attrelid = format('academy.%I', t)::regclass
                                 AND attname = 'row_version' AND NOT attisdropped)
                 THEN '''row_version''' ELSE '' END);
    END LOOP;
END
$do$;

SELECT academy.maintain_partitions(3);
