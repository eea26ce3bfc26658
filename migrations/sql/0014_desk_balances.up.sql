-- 0014_desk_balances: a per-student balance row kept by trigger from the append-only
-- ledger, so the desk's roster and a family's balance read one row per child instead of
-- summing every ledger entry (the ledger was ~40 % of the roster's time at 100k students);
-- also the roster's pickup/family flags pre-aggregated per student (another ~20 %) and
-- today's attendance read once per roster call.
--
-- Exactness: the ledger only grows (INSERT). UPDATE, DELETE and TRUNCATE are refused by
-- forbid_modification for everyone but the owner in explicit maintenance mode; when the
-- owner does that, the trigger recounts the students concerned from the ledger. What no
-- trigger sees (a COPY under session_replication_role = replica, as the demo seed does,
-- or triggers disabled by hand) must be followed by academy.rebuild_student_balances();
-- this revision's upgrade runs it once for the rows already there.

------------------------------------------------------------------------------------------
-- The table: one row per student, location and currency (the ledger's own scope keys)
------------------------------------------------------------------------------------------

-- Keyed like the ledger's scope (a desk sees ledger rows of its locations, a parent those
-- of their children), so every role's sum over this table equals its sum over the ledger
-- under RLS. A student normally has one row (their location, its currency).
CREATE TABLE academy.student_ledger_balances (
    student_id      uuid NOT NULL CONSTRAINT student_ledger_balances_student_id_fkey
                    REFERENCES academy.students (id),
    location_id     uuid NOT NULL CONSTRAINT student_ledger_balances_location_id_fkey
                    REFERENCES academy.locations (id),
    currency        char(3) NOT NULL,
    balance         numeric NOT NULL,  -- positive = owes, negative = in credit
    last_payment_at timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT student_ledger_balances_pkey PRIMARY KEY (student_id, location_id, currency)
);
-- the desk's policy filters on location_id
CREATE INDEX student_ledger_balances_location_id_idx ON academy.student_ledger_balances (location_id);
-- updated in place all day: leave room on the page for HOT updates
ALTER TABLE academy.student_ledger_balances SET (fillfactor = 80);

ALTER TABLE academy.student_ledger_balances ENABLE ROW LEVEL SECURITY;
-- reads only, with the ledger's scope; nobody writes it but the trigger (owner)
CREATE POLICY academy_super_admin_select ON academy.student_ledger_balances AS PERMISSIVE
    FOR SELECT TO academy_super_admin USING ((SELECT academy.is_super_admin()));
CREATE POLICY academy_front_desk_select ON academy.student_ledger_balances AS PERMISSIVE
    FOR SELECT TO academy_front_desk
    USING (location_id = ANY ((SELECT academy.my_location_ids())::uuid[]));
CREATE POLICY academy_parent_select ON academy.student_ledger_balances AS PERMISSIVE
    FOR SELECT TO academy_parent
    USING (student_id = ANY ((SELECT academy.my_student_ids())::uuid[]));
REVOKE ALL ON academy.student_ledger_balances FROM PUBLIC;
GRANT SELECT ON academy.student_ledger_balances TO academy_super_admin, academy_front_desk, academy_parent;

------------------------------------------------------------------------------------------
-- Keeping it: the ledger's trigger, a recount and a full rebuild
------------------------------------------------------------------------------------------

-- Recount some students' rows from the ledger (maintenance paths only: the ledger's
-- UPDATE/DELETE in maintenance mode). Owner only.
CREATE FUNCTION academy.recount_student_balances(p_student_ids uuid[]) RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
    DELETE FROM academy.student_ledger_balances b WHERE b.student_id = ANY (p_student_ids);
    INSERT INTO academy.student_ledger_balances (student_id, location_id, currency, balance, last_payment_at)
    SELECT f.student_id, f.location_id, f.currency,
           sum(academy.ledger_sign(f.entry_type, t.entry_type) * f.amount),
           max(f.created_at) FILTER (WHERE f.entry_type = 'payment')
      FROM academy.student_financial_records f
      LEFT JOIN academy.student_financial_records t ON f.entry_type = 'void' AND t.id = f.reverses_id
     WHERE f.student_id = ANY (p_student_ids)
     GROUP BY f.student_id, f.location_id, f.currency;
$fn$;

-- Every row from the ledger again, exactly (and the family flags below from the
-- relationships): after a bulk load with triggers off (the demo seed) or surgery by
-- hand. Blocks ledger writers while it runs. Owner only. Returns the number of balance rows.
CREATE FUNCTION academy.rebuild_student_balances() RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
DECLARE
    v_rows bigint;
BEGIN
    LOCK TABLE academy.student_financial_records IN SHARE MODE;
    LOCK TABLE academy.student_ledger_balances IN EXCLUSIVE MODE;
    DELETE FROM academy.student_ledger_balances;
    INSERT INTO academy.student_ledger_balances (student_id, location_id, currency, balance, last_payment_at)
    SELECT f.student_id, f.location_id, f.currency,
           sum(academy.ledger_sign(f.entry_type, t.entry_type) * f.amount),
           max(f.created_at) FILTER (WHERE f.entry_type = 'payment')
      FROM academy.student_financial_records f
      LEFT JOIN academy.student_financial_records t ON f.entry_type = 'void' AND t.id = f.reverses_id
     GROUP BY f.student_id, f.location_id, f.currency;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    -- and the roster's per-student pickup/family flags (relationships are bulk loaded too)
    LOCK TABLE academy.student_parent_relationships IN SHARE MODE;
    DELETE FROM academy.student_family_flags;
    INSERT INTO academy.student_family_flags (student_id, parent_ids, can_pickup)
    SELECT r.student_id, array_agg(r.parent_id ORDER BY r.parent_id), bool_or(r.can_pickup)
      FROM academy.student_parent_relationships r
     GROUP BY r.student_id;
    RETURN v_rows;
END
$fn$;

-- After each ledger row: add its signed amount to its (student, location, currency) row.
-- INSERT .. ON CONFLICT DO UPDATE locks that row until commit, so two desks paying for
-- the same child at once queue there and the second adds to the first's committed sum.
-- SECURITY DEFINER: the caller has no write grant on the table (and must not have one).
CREATE FUNCTION academy.apply_ledger_balance() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
DECLARE
    v_target academy.ledger_entry_type;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.entry_type = 'void' THEN  -- a void undoes its target: its sign depends on it
            SELECT t.entry_type INTO v_target FROM academy.student_financial_records t WHERE t.id = NEW.reverses_id;
        END IF;
        INSERT INTO academy.student_ledger_balances AS b (student_id, location_id, currency, balance, last_payment_at)
        VALUES (NEW.student_id, NEW.location_id, NEW.currency,
                academy.ledger_sign(NEW.entry_type, v_target) * NEW.amount,
                CASE WHEN NEW.entry_type = 'payment' THEN NEW.created_at END)
        ON CONFLICT (student_id, location_id, currency) DO UPDATE
           SET balance = b.balance + EXCLUDED.balance,
               last_payment_at = greatest(b.last_payment_at, EXCLUDED.last_payment_at),
               updated_at = now();
    ELSIF TG_OP = 'TRUNCATE' THEN
        DELETE FROM academy.student_ledger_balances;
    ELSE  -- UPDATE / DELETE: only the owner in maintenance mode gets here; recount exactly
        PERFORM academy.recount_student_balances(
            CASE WHEN TG_OP = 'UPDATE' THEN ARRAY[OLD.student_id, NEW.student_id] ELSE ARRAY[OLD.student_id] END);
    END IF;
    RETURN NULL;
END
$fn$;

CREATE TRIGGER student_financial_records_balance AFTER INSERT OR UPDATE OR DELETE
    ON academy.student_financial_records FOR EACH ROW EXECUTE FUNCTION academy.apply_ledger_balance();
CREATE TRIGGER student_financial_records_balance_truncate AFTER TRUNCATE
    ON academy.student_financial_records FOR EACH STATEMENT EXECUTE FUNCTION academy.apply_ledger_balance();

REVOKE ALL ON FUNCTION academy.recount_student_balances(uuid[]), academy.rebuild_student_balances(),
    academy.apply_ledger_balance() FROM PUBLIC;

------------------------------------------------------------------------------------------
-- Pickup and family per student, pre-aggregated for the roster
------------------------------------------------------------------------------------------

-- The roster's "no authorised pickup" alert and the parents that find a child's siblings,
-- one row per student with at least one parent: a primary-key read instead of an
-- aggregate over the student's relationships per booked child (~20 % of the roster).
-- Kept exactly by the trigger below from student_parent_relationships; no FK to
-- students, so a student's deletion cascading to their relationships can drop the row.
CREATE TABLE academy.student_family_flags (
    student_id uuid NOT NULL CONSTRAINT student_family_flags_pkey PRIMARY KEY,
    parent_ids uuid[] NOT NULL,  -- sorted
    can_pickup boolean NOT NULL,  -- some parent may collect the child
    updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE academy.student_family_flags ENABLE ROW LEVEL SECURITY;
-- read by the SECURITY DEFINER roster; super admins may look, nobody writes it directly
CREATE POLICY academy_super_admin_select ON academy.student_family_flags AS PERMISSIVE
    FOR SELECT TO academy_super_admin USING ((SELECT academy.is_super_admin()));
REVOKE ALL ON academy.student_family_flags FROM PUBLIC;
GRANT SELECT ON academy.student_family_flags TO academy_super_admin;

-- Recount some students' rows. Each student's row is locked first (an upsert), so two
-- transactions changing one child's parents at once queue, and the recount that follows
-- (a new statement: a new snapshot under READ COMMITTED) sees the other's committed rows;
-- under REPEATABLE READ the second gets a serialization failure instead of a stale row.
CREATE FUNCTION academy.recount_family_flags(p_student_ids uuid[]) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
BEGIN
    INSERT INTO academy.student_family_flags AS g (student_id, parent_ids, can_pickup)
    SELECT DISTINCT x, '{}'::uuid[], false FROM unnest(p_student_ids) x WHERE x IS NOT NULL ORDER BY x
    ON CONFLICT (student_id) DO UPDATE SET updated_at = now();
    UPDATE academy.student_family_flags g
       SET parent_ids = r.parents, can_pickup = r.can_pickup, updated_at = now()
      FROM (SELECT r.student_id, array_agg(r.parent_id ORDER BY r.parent_id) AS parents,
                   bool_or(r.can_pickup) AS can_pickup
              FROM academy.student_parent_relationships r
             WHERE r.student_id = ANY (p_student_ids)
             GROUP BY r.student_id) r
     WHERE g.student_id = r.student_id;
    DELETE FROM academy.student_family_flags g
     WHERE g.student_id = ANY (p_student_ids)
       AND NOT EXISTS (SELECT 1 FROM academy.student_parent_relationships r WHERE r.student_id = g.student_id);
END
$fn$;

CREATE FUNCTION academy.sync_family_flags() RETURNS trigger
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM academy.student_family_flags;
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM academy.recount_family_flags(ARRAY[NEW.student_id]);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM academy.recount_family_flags(ARRAY[OLD.student_id]);
    ELSIF (OLD.student_id, OLD.parent_id, OLD.can_pickup) IS DISTINCT FROM (NEW.student_id, NEW.parent_id, NEW.can_pickup) THEN
        PERFORM academy.recount_family_flags(ARRAY[OLD.student_id, NEW.student_id]);
    END IF;
    RETURN NULL;
END
$fn$;

CREATE TRIGGER student_parent_relationships_family_flags AFTER INSERT OR UPDATE OR DELETE
    ON academy.student_parent_relationships FOR EACH ROW EXECUTE FUNCTION academy.sync_family_flags();
CREATE TRIGGER student_parent_relationships_family_flags_truncate AFTER TRUNCATE
    ON academy.student_parent_relationships FOR EACH STATEMENT EXECUTE FUNCTION academy.sync_family_flags();
REVOKE ALL ON FUNCTION academy.recount_family_flags(uuid[]), academy.sync_family_flags() FROM PUBLIC;

-- the ledger and relationship rows already there
SELECT academy.rebuild_student_balances();

------------------------------------------------------------------------------------------
-- Readers: a family's balances and the desk's roster read the table
------------------------------------------------------------------------------------------

-- Same answer as 0008's (an invoker function: RLS on the table gives each role exactly
-- the rows its ledger scope gives), one index lookup per student instead of their entries.
CREATE OR REPLACE FUNCTION academy.student_balances(p_student_ids uuid[])
    RETURNS TABLE (student_id uuid, currency text, balance numeric, last_payment_at timestamptz)
    LANGUAGE sql STABLE SET search_path = pg_catalog, academy AS $fn$
    SELECT b.student_id, b.currency::text, sum(b.balance), max(b.last_payment_at)
      FROM academy.student_ledger_balances b
     WHERE b.student_id = ANY (p_student_ids)
     GROUP BY b.student_id, b.currency
$fn$;

-- 0012's roster with each child's balance read from student_ledger_balances (one index
-- lookup instead of ~20 entries each), pickup/family from student_family_flags (one
-- primary-key read, no aggregate), and today's attendance read once for all the
-- sessions (one index range per session into a map, instead of one probe per child into
-- a partitioned table: ~5 µs each at rush hour). Same scope rule and the same rows.
CREATE OR REPLACE FUNCTION academy.desk_roster(p_session_ids uuid[], p_day date)
    RETURNS TABLE (session_id uuid, student_id uuid, student_number text, first_name text,
                   last_name text, preferred_name text, status text, medical text,
                   balance numeric, can_pickup boolean, family uuid[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
#variable_conflict use_column
DECLARE  -- plpgsql, not sql: the plans are cached per connection
    v_kind       text := academy.my_kind();
    v_locs       uuid[] := academy.my_location_ids();
    v_instructor uuid := academy.my_instructor_id();
    v_ids        uuid[];
    v_attendance jsonb;
BEGIN
    SELECT array_agg(s.id) INTO v_ids
      FROM academy.sessions s
     WHERE s.id = ANY (p_session_ids) AND s.session_date = p_day
       AND ((v_kind IN ('super_admin', 'front_desk') AND s.location_id = ANY (v_locs))
            OR s.instructor_id = v_instructor);
    IF v_ids IS NULL THEN
        RETURN;
    END IF;
    SELECT jsonb_object_agg(a.session_id::text || a.student_id::text, a.status) INTO v_attendance
      FROM academy.student_attendance a
     WHERE a.session_id = ANY (v_ids) AND a.attendance_date = p_day;
    RETURN QUERY
    SELECT b.session_id, st.id, st.student_number, st.first_name, st.last_name, st.preferred_name,
           v_attendance ->> (b.session_id::text || b.student_id::text),
           nullif(concat_ws(' · ', nullif(btrim(st.medical_notes), ''), nullif(btrim(st.allergies), '')), ''),
           coalesce((SELECT sum(o.balance) FROM academy.student_ledger_balances o
                      WHERE o.student_id = b.student_id), 0),
           coalesce(fa.can_pickup, false), coalesce(fa.parent_ids, '{}')
      FROM academy.session_bookings b
      JOIN academy.students st ON st.id = b.student_id
      LEFT JOIN academy.student_family_flags fa ON fa.student_id = b.student_id
     WHERE b.session_id = ANY (v_ids) AND b.session_date = p_day AND b.status <> 'cancelled'
     ORDER BY st.last_name, st.first_name, st.id;
END
$fn$;
