-- Cluster-level prerequisites the versioned migrations rely on. Runs as a superuser
-- (or a DBA with CREATEROLE + CREATE on the database) before Alembic, and is
-- idempotent so every `db upgrade` may run it again.
DO $bootstrap$
DECLARE
    group_name text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'academy_owner') THEN
        CREATE ROLE academy_owner NOLOGIN CREATEROLE;
    END IF;
    FOREACH group_name IN ARRAY ARRAY['academy_super_admin', 'academy_program_admin',
                                      'academy_front_desk', 'academy_instructor',
                                      'academy_parent']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = group_name) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', group_name);
        END IF;
        -- the owner's SECURITY DEFINER account functions grant these groups to people
        EXECUTE format('GRANT %I TO academy_owner WITH ADMIN OPTION', group_name);
    END LOOP;
END
$bootstrap$;

-- ending a disabled person's open sessions needs the signal role
GRANT pg_signal_backend TO academy_owner;

CREATE SCHEMA IF NOT EXISTS extensions;
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA extensions;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA extensions;
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA extensions;
CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA extensions;
-- no pgcrypto: the embedded server is built without it; gen_random_uuid() and sha256() are core
GRANT USAGE ON SCHEMA extensions TO academy_owner, academy_super_admin, academy_program_admin,
    academy_front_desk, academy_instructor, academy_parent;

CREATE SCHEMA IF NOT EXISTS academy AUTHORIZATION academy_owner;
