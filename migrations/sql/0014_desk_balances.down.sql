-- 0014_desk_balances down: the roster and a family's balance sum the ledger again (0012's
-- roster, 0008's student_balances); the balance and family-flag tables, their triggers and
-- helpers go.

CREATE OR REPLACE FUNCTION academy.desk_roster(p_session_ids uuid[], p_day date)
    RETURNS TABLE (session_id uuid, student_id uuid, student_number text, first_name text,
                   last_name text, preferred_name text, status text, medical text,
                   balance numeric, can_pickup boolean, family uuid[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
#variable_conflict use_column
DECLARE  -- plpgsql, not sql: the plan is cached per connection
    v_kind       text := academy.my_kind();
    v_locs       uuid[] := academy.my_location_ids();
    v_instructor uuid := academy.my_instructor_id();
BEGIN
    RETURN QUERY
    SELECT b.session_id, st.id, st.student_number, st.first_name, st.last_name, st.preferred_name,
           a.status::text,
           nullif(concat_ws(' · ', nullif(btrim(st.medical_notes), ''), nullif(btrim(st.allergies), '')), ''),
           coalesce(o.balance, 0), coalesce(fa.can_pickup, false), coalesce(fa.parents, '{}')
      FROM academy.sessions s
      JOIN academy.session_bookings b
        ON b.session_id = s.id AND b.session_date = p_day AND b.status <> 'cancelled'
      JOIN academy.students st ON st.id = b.student_id
      LEFT JOIN academy.student_attendance a
             ON a.session_id = b.session_id AND a.student_id = b.student_id AND a.attendance_date = p_day
      LEFT JOIN LATERAL (  -- voids look up their target only (a join per row costs 10x)
            SELECT sum(CASE WHEN f.entry_type IN ('charge', 'refund', 'adjustment') THEN f.amount
                            WHEN f.entry_type IN ('payment', 'credit') THEN -f.amount
                            ELSE (SELECT academy.ledger_sign('void', t.entry_type) * f.amount
                                    FROM academy.student_financial_records t WHERE t.id = f.reverses_id)
                       END) AS balance
              FROM academy.student_financial_records f
             WHERE f.student_id = b.student_id) o ON true
      LEFT JOIN LATERAL (
            SELECT bool_or(r.can_pickup) AS can_pickup, array_agg(r.parent_id ORDER BY r.parent_id) AS parents
              FROM academy.student_parent_relationships r
             WHERE r.student_id = b.student_id) fa ON true
     WHERE s.id = ANY (p_session_ids) AND s.session_date = p_day
       AND ((v_kind IN ('super_admin', 'front_desk') AND s.location_id = ANY (v_locs))
            OR s.instructor_id = v_instructor)
     ORDER BY st.last_name, st.first_name, st.id;
END
$fn$;

CREATE OR REPLACE FUNCTION academy.student_balances(p_student_ids uuid[])
    RETURNS TABLE (student_id uuid, currency text, balance numeric, last_payment_at timestamptz)
    LANGUAGE sql STABLE SET search_path = pg_catalog, academy AS $fn$
    SELECT f.student_id, f.currency::text,
           sum(academy.ledger_sign(f.entry_type, t.entry_type) * f.amount),
           max(f.created_at) FILTER (WHERE f.entry_type = 'payment')
      FROM academy.student_financial_records f
      LEFT JOIN academy.student_financial_records t ON f.entry_type = 'void' AND t.id = f.reverses_id
     WHERE f.student_id = ANY (p_student_ids)
     GROUP BY f.student_id, f.currency
$fn$;

DROP TRIGGER student_parent_relationships_family_flags_truncate ON academy.student_parent_relationships;
DROP TRIGGER student_parent_relationships_family_flags ON academy.student_parent_relationships;
DROP FUNCTION academy.sync_family_flags();
DROP FUNCTION academy.recount_family_flags(uuid[]);
DROP TABLE academy.student_family_flags;
DROP TRIGGER student_financial_records_balance_truncate ON academy.student_financial_records;
DROP TRIGGER student_financial_records_balance ON academy.student_financial_records;
DROP FUNCTION academy.apply_ledger_balance();
DROP FUNCTION academy.rebuild_student_balances();
DROP FUNCTION academy.recount_student_balances(uuid[]);
DROP TABLE academy.student_ledger_balances;
