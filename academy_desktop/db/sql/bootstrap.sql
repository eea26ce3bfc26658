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

-- Statement statistics for the Database health workspace. Creating pg_stat_statements
-- and granting pg_read_all_stats need a superuser, which migrations (run as
-- academy_owner) are not: so this lives here, not in a revision, and outside the
-- `academy` schema (a downgrade to base empties that schema; this is cluster plumbing).
-- A DBA who is not a superuser skips it, and so does a server without the module; the
-- health screen then falls back to pg_stat_activity. The extension may be created where
-- it is not preloaded: reading it fails until it is, and the screen falls back too.
-- Every step is skipped when already done, so concurrent `db upgrade` runs do not race
-- on catalog rows (CREATE OR REPLACE of an unchanged function still rewrites its row).
DO $monitor$
DECLARE
    -- The most expensive statements of this database (by total time), optionally only
    -- those slower than p_min_mean_ms on average. Texts are
    -- pg_stat_statements' normalised ones (no literals); still for super admins only:
    -- EXECUTE is granted to their group alone, and the body re-checks the caller.
    v_body constant text := $fn$
DECLARE
    v_schema name;
BEGIN
    IF NOT coalesce(pg_has_role(session_user, 'academy_super_admin', 'MEMBER'), false) THEN
        RAISE EXCEPTION 'statement statistics are for super admins' USING ERRCODE = '42501';
    END IF;
    SELECT n.nspname INTO v_schema FROM pg_extension e
      JOIN pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'pg_stat_statements';
    IF v_schema IS NULL THEN
        RAISE EXCEPTION 'pg_stat_statements is not installed' USING ERRCODE = '55000';
    END IF;
    -- one row per statement, not per login role: every person has their own role, so
    -- pg_stat_statements keeps a row for each (user, statement); this call itself is left out
    RETURN QUERY EXECUTE format(
        'SELECT min(s.query), sum(s.calls)::bigint, sum(s.total_exec_time),'
        '       sum(s.total_exec_time) / greatest(sum(s.calls), 1)'
        '  FROM %I.pg_stat_statements s'
        ' WHERE s.dbid = (SELECT d.oid FROM pg_database d'
        '                  WHERE d.datname = current_database())'
        '   AND s.toplevel AND s.query IS NOT NULL'
        '   AND s.query NOT LIKE ''%%academy_monitor.top_statements%%'''
        ' GROUP BY s.queryid'
        ' HAVING sum(s.total_exec_time) / greatest(sum(s.calls), 1) >= $2'
        ' ORDER BY sum(s.total_exec_time) DESC LIMIT $1', v_schema)
        USING least(greatest(coalesce(p_limit, 20), 1), 100), coalesce(p_min_mean_ms, 0);
END
$fn$;
    v_signature constant text := 'academy_monitor.top_statements(integer, double precision)';
BEGIN
    IF NOT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) THEN
        RAISE NOTICE 'academy bootstrap: not a superuser, statement statistics skipped';
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_stat_statements') THEN
        CREATE EXTENSION IF NOT EXISTS pg_stat_statements WITH SCHEMA extensions;
    END IF;
    -- owns the one function below: may read every session's statistics, nothing else
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'academy_monitor') THEN
        CREATE ROLE academy_monitor NOLOGIN;
    END IF;
    IF NOT pg_has_role('academy_monitor', 'pg_read_all_stats', 'MEMBER') THEN
        GRANT pg_read_all_stats TO academy_monitor;
    END IF;
    IF NOT has_schema_privilege('academy_monitor', 'extensions', 'USAGE') THEN
        GRANT USAGE ON SCHEMA extensions TO academy_monitor;
    END IF;
    IF to_regnamespace('academy_monitor') IS NULL THEN
        CREATE SCHEMA academy_monitor;  -- the superuser's; nobody else may create in it
        REVOKE ALL ON SCHEMA academy_monitor FROM PUBLIC;
        GRANT USAGE ON SCHEMA academy_monitor TO academy_super_admin;
    END IF;
    IF (SELECT prosrc FROM pg_proc WHERE oid = to_regprocedure(v_signature))
            IS DISTINCT FROM v_body THEN
        EXECUTE format(
            'CREATE OR REPLACE FUNCTION %s'
            '    RETURNS TABLE (query text, calls bigint, total_ms double precision,'
            '                   mean_ms double precision)'
            '    LANGUAGE plpgsql STABLE SECURITY DEFINER'
            '    SET search_path = pg_catalog, pg_temp AS %L',
            'academy_monitor.top_statements(p_limit integer DEFAULT 20,'
            ' p_min_mean_ms double precision DEFAULT 0)', v_body);
        EXECUTE format('ALTER FUNCTION %s OWNER TO academy_monitor', v_signature);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', v_signature);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO academy_super_admin', v_signature);
    END IF;
END
$monitor$;
