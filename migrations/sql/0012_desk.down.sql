-- 0012_desk down: back to 0008's take_payment and roster, 0004's ledger trigger, no
-- currency on locations. Payment rows written meanwhile keep no number of their own
-- (their receipt has it).

DROP FUNCTION academy.take_payment(uuid, text, text, text, jsonb, text);
CREATE FUNCTION academy.take_payment(p_client_request_id uuid, p_payer text, p_method text,
                                     p_reference text, p_allocations jsonb, p_currency text DEFAULT 'USD')
    RETURNS TABLE (receipt_number bigint, receipt_id uuid, total numeric, credit_amount numeric, outcome text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
#variable_conflict use_column
DECLARE
    v_elem     jsonb;
    v_student  uuid;
    v_loc      uuid;
    v_location uuid;
    v_ids      uuid[] := '{}';
    v_amounts  numeric[] := '{}';
    v_dues     numeric[] := '{}';
    v_total    numeric := 0;
    v_credit   numeric := 0;
    v_hash     text;
    v_rec      academy.payment_receipts;
    v_number   bigint;
    v_day      date;
    v_pay      numeric;
    v_first    boolean := true;
    i          integer;
BEGIN
    IF academy.my_kind() IS NULL OR academy.my_kind() NOT IN ('super_admin', 'front_desk') THEN
        PERFORM academy.desk_refuse('permission_denied', 'Only the front desk takes payments.');
    END IF;
    IF p_client_request_id IS NULL THEN
        PERFORM academy.desk_refuse('invalid_input', 'A payment needs a request id.');
    END IF;
    IF p_payer IS NULL OR btrim(p_payer) = '' OR char_length(p_payer) > 200 THEN
        PERFORM academy.desk_refuse('invalid_input', 'Enter who is paying (up to 200 characters).');
    END IF;
    IF p_method IS NULL OR p_method NOT IN ('cash', 'card', 'bank_transfer', 'cheque', 'other') THEN
        PERFORM academy.desk_refuse('invalid_input', format('"%s" is not a payment method.', left(coalesce(p_method, ''), 20)));
    END IF;
    PERFORM academy.desk_check_reference(p_reference);
    IF p_currency IS NULL OR p_currency !~ '^[A-Z]{3}$' THEN
        PERFORM academy.desk_refuse('invalid_input', 'The currency must be a 3-letter ISO code.');
    END IF;
    IF p_allocations IS NULL OR jsonb_typeof(p_allocations) <> 'array'
       OR jsonb_array_length(p_allocations) NOT BETWEEN 1 AND 20 THEN
        PERFORM academy.desk_refuse('invalid_input', 'A payment is for 1 to 20 students.');
    END IF;
    FOR v_elem IN SELECT e FROM jsonb_array_elements(p_allocations) e LOOP
        BEGIN
            v_student := (v_elem ->> 'student_id')::uuid;
        EXCEPTION WHEN invalid_text_representation THEN
            v_student := NULL;
        END;
        IF v_student IS NULL THEN
            PERFORM academy.desk_refuse('invalid_input', 'Each share of a payment needs a student.');
        END IF;
        IF v_student = ANY (v_ids) THEN
            PERFORM academy.desk_refuse('invalid_input', 'A student appears twice in this payment.');
        END IF;
        SELECT s.location_id INTO v_loc FROM academy.students s WHERE s.id = v_student;
        IF v_loc IS NULL OR NOT academy.desk_may_use_location(v_loc) THEN
            PERFORM academy.desk_refuse('permission_denied', 'That student is not at your locations.');
        END IF;
        IF v_location IS NOT NULL AND v_loc <> v_location THEN
            PERFORM academy.desk_refuse('invalid_input', 'One payment covers students of one location.');
        END IF;
        v_location := v_loc;
        v_ids := v_ids || v_student;
        v_amounts := v_amounts || academy.parse_amount(
            CASE jsonb_typeof(v_elem -> 'amount') WHEN 'number' THEN (v_elem -> 'amount')::text
                                                  WHEN 'string' THEN v_elem ->> 'amount' END);
    END LOOP;
    SELECT sum(a) INTO v_total FROM unnest(v_amounts) a;
    IF v_total > academy.desk_max_amount() THEN
        PERFORM academy.desk_refuse('invalid_input', format('The total is larger than %s; please check it.', academy.desk_max_amount()));
    END IF;
    SELECT md5(concat_ws('|', p_method, coalesce(p_reference, ''), p_currency, btrim(p_payer),
                         string_agg(x.id::text || '=' || round(x.amt, 2)::text, ',' ORDER BY x.id)))
      INTO v_hash FROM unnest(v_ids, v_amounts) x (id, amt);
    -- concurrent payments for the same children queue here (dues are read after)
    PERFORM pg_advisory_xact_lock(hashtextextended(x::text, 8008)) FROM unnest(v_ids) x ORDER BY x;
    SELECT * INTO v_rec FROM academy.payment_receipts r WHERE r.id = p_client_request_id;
    IF NOT FOUND THEN
        FOR i IN 1 .. cardinality(v_ids) LOOP
            SELECT greatest(coalesce(sum(b.balance), 0), 0) INTO v_pay
              FROM academy.student_balances(ARRAY[v_ids[i]]) b WHERE b.currency = p_currency;
            v_dues := v_dues || v_pay;
            v_credit := v_credit + greatest(v_amounts[i] - v_pay, 0);
        END LOOP;
        v_number := nextval('academy.receipt_number_seq');
        INSERT INTO academy.payment_receipts AS r (id, receipt_number, location_id, payer, method, reference, total,
                                                    credit_amount, currency, request_hash)
        VALUES (p_client_request_id, v_number, v_location, btrim(p_payer), p_method::academy.payment_method,
                nullif(btrim(p_reference), ''), v_total, v_credit, p_currency, v_hash)
        ON CONFLICT (id) DO NOTHING;
        IF NOT FOUND THEN
            SELECT * INTO v_rec FROM academy.payment_receipts r WHERE r.id = p_client_request_id;
        END IF;
    END IF;
    IF v_rec.id IS NOT NULL THEN  -- a replay
        IF v_rec.request_hash <> v_hash THEN
            PERFORM academy.desk_refuse('invalid_input', format(
                'This payment was already recorded as receipt %s with a different amount; nothing was charged again.',
                v_rec.receipt_number));
        END IF;
        RETURN QUERY SELECT v_rec.receipt_number, v_rec.id, v_rec.total, v_rec.credit_amount, 'already_recorded'::text;
        RETURN;
    END IF;
    v_day := academy.location_today(v_location);
    FOR i IN 1 .. cardinality(v_ids) LOOP
        v_pay := least(v_amounts[i], v_dues[i]);
        IF v_pay > 0 THEN
            INSERT INTO academy.student_financial_records (student_id, location_id, entry_type, amount, currency,
                method, reference, description, family_payment_id, client_request_id, transaction_date)
            VALUES (v_ids[i], v_location, 'payment', v_pay, p_currency, p_method::academy.payment_method,
                    nullif(btrim(p_reference), ''), format('Receipt %s', v_number), p_client_request_id,
                    CASE WHEN v_first THEN p_client_request_id END, v_day);
            v_first := false;
        END IF;
        IF v_amounts[i] > v_pay THEN
            INSERT INTO academy.student_financial_records (student_id, location_id, entry_type, amount, currency,
                method, reference, description, reason, family_payment_id, transaction_date)
            VALUES (v_ids[i], v_location, 'credit', v_amounts[i] - v_pay, p_currency, p_method::academy.payment_method,
                    nullif(btrim(p_reference), ''), format('Receipt %s', v_number), 'Overpayment kept as credit',
                    p_client_request_id, v_day);
        END IF;
    END LOOP;
    RETURN QUERY SELECT v_number, p_client_request_id, v_total, v_credit, 'recorded'::text;
END
$fn$;
GRANT EXECUTE ON FUNCTION academy.take_payment(uuid, text, text, text, jsonb, text)
    TO academy_super_admin, academy_front_desk;

CREATE OR REPLACE FUNCTION academy.prepare_ledger_entry() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
    IF NEW.location_id IS NULL THEN
        SELECT s.location_id INTO NEW.location_id FROM academy.students s WHERE s.id = NEW.student_id;
    END IF;
    IF NEW.entry_type IN ('payment', 'refund') THEN
        NEW.receipt_number := nextval('academy.receipt_number_seq');
    ELSE
        NEW.receipt_number := NULL;
    END IF;
    NEW.created_by := session_user;
    NEW.created_at := now();
    RETURN NEW;
END
$fn$;

DROP FUNCTION academy.currency_decimals(text);
ALTER TABLE academy.locations DROP COLUMN currency;

DROP INDEX academy.student_financial_records_balance_idx;

CREATE OR REPLACE FUNCTION academy.desk_roster(p_session_ids uuid[], p_day date)
    RETURNS TABLE (session_id uuid, student_id uuid, student_number text, first_name text,
                   last_name text, preferred_name text, status text, medical text,
                   balance numeric, can_pickup boolean, family uuid[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, academy AS $fn$
#variable_conflict use_column
DECLARE  -- plpgsql, not sql: the plan is cached per connection (planning cost ~15 ms)
    v_kind       text := academy.my_kind();
    v_locs       uuid[] := academy.my_location_ids();
    v_instructor uuid := academy.my_instructor_id();
BEGIN
    RETURN QUERY
    WITH sess AS (
        SELECT s.id FROM academy.sessions s
         WHERE s.id = ANY (p_session_ids) AND s.session_date = p_day
           AND ((v_kind IN ('super_admin', 'front_desk') AND s.location_id = ANY (v_locs))
                OR s.instructor_id = v_instructor)
    ), kids AS (
        SELECT b.session_id, b.student_id FROM academy.session_bookings b
         WHERE b.session_date = p_day AND b.session_id IN (SELECT sess.id FROM sess)
           AND b.status <> 'cancelled'
    ), owed AS (  -- voids look up their target only (a join per row costs 10x)
        SELECT f.student_id,
               sum(CASE WHEN f.entry_type IN ('charge', 'refund', 'adjustment') THEN f.amount
                        WHEN f.entry_type IN ('payment', 'credit') THEN -f.amount
                        ELSE (SELECT academy.ledger_sign('void', t.entry_type) * f.amount
                                FROM academy.student_financial_records t WHERE t.id = f.reverses_id)
                   END) AS balance
          FROM academy.student_financial_records f
         WHERE f.student_id IN (SELECT k.student_id FROM kids k)
         GROUP BY f.student_id
    ), fam AS (
        SELECT r.student_id, bool_or(r.can_pickup) AS can_pickup,
               array_agg(r.parent_id ORDER BY r.parent_id) AS parents
          FROM academy.student_parent_relationships r
         WHERE r.student_id IN (SELECT k.student_id FROM kids k)
         GROUP BY r.student_id
    )
    SELECT k.session_id, st.id, st.student_number, st.first_name, st.last_name, st.preferred_name,
           a.status::text,
           nullif(concat_ws(' · ', nullif(btrim(st.medical_notes), ''), nullif(btrim(st.allergies), '')), ''),
           coalesce(o.balance, 0), coalesce(fa.can_pickup, false), coalesce(fa.parents, '{}')
      FROM kids k
      JOIN academy.students st ON st.id = k.student_id
      LEFT JOIN owed o ON o.student_id = k.student_id
      LEFT JOIN fam fa ON fa.student_id = k.student_id
      LEFT JOIN academy.student_attendance a
             ON a.session_id = k.session_id AND a.student_id = k.student_id AND a.attendance_date = p_day
     ORDER BY st.last_name, st.first_name, st.id;
END
$fn$;
