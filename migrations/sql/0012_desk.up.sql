-- 0012_desk: the desk's rush-hour reads made cheap and plan-stable, the location's
-- currency on every ledger row, and one receipt number per payment.

------------------------------------------------------------------------------------------
-- Rosters: one index lookup per booked child, whatever plan plpgsql caches
------------------------------------------------------------------------------------------

-- 0008's version joined whole-CTE aggregates (balances, families) to the bookings. After
-- five calls plpgsql switches to a generic plan, which estimated ~20 children and
-- rescanned the balance CTE once per child (EXPLAIN ANALYZE at 800 children: 320k rows
-- removed by the join filter, ~100 ms). LATERAL lookups keyed by the child are linear in
-- the roster under any plan. Same scope rule as before: the caller's locations (desk,
-- super admin) or the sessions they teach (instructor), applied once.
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

-- A child's balance reads only the ledger index (append-only rows stay all-visible).
CREATE INDEX student_financial_records_balance_idx ON academy.student_financial_records (student_id)
    INCLUDE (entry_type, amount, currency, reverses_id);

------------------------------------------------------------------------------------------
-- Currency per location: the ledger rows carry it
------------------------------------------------------------------------------------------

-- The currency a location charges and takes money in (ISO 4217). Ledger rows and
-- receipts already carry a currency; it now comes from here instead of a fixed 'USD'.
ALTER TABLE academy.locations ADD COLUMN currency char(3) NOT NULL DEFAULT 'USD'
    CONSTRAINT locations_currency_check CHECK (currency ~ '^[A-Z]{3}$');

-- Minor units of a currency, for amounts the desk may take (the ledger stores at most
-- 2 decimals, so 3-decimal currencies are taken to the cent). Mirrors
-- academy_desktop.domain.money.currency_decimals.
CREATE FUNCTION academy.currency_decimals(p_currency text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN p_currency IN ('BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG',
                                    'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF') THEN 0
                ELSE 2 END;
GRANT EXECUTE ON FUNCTION academy.currency_decimals(text)
    TO academy_super_admin, academy_program_admin, academy_front_desk, academy_instructor, academy_parent;

------------------------------------------------------------------------------------------
-- One receipt number per payment
------------------------------------------------------------------------------------------

-- 0004 gave every payment row its own number, so a payment split across three children
-- used four (the receipt's and one per row). A payment row that belongs to a receipt
-- (family_payment_id = payment_receipts.id) now carries none: the receipt's number is
-- the payment's only number. Refunds keep their own (a refund slip), and a payment
-- posted without a receipt (imports, the demo seed) still gets one.
-- Also: an entry written with currency NULL gets its location's, and a new
-- (non-reversing) entry in another currency than its location's is refused, so a
-- charge at a EUR location is never silently USD. The column keeps its 'USD' default:
-- the demo seed COPYs rows with triggers off and relies on it.
CREATE OR REPLACE FUNCTION academy.prepare_ledger_entry() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    v_currency text;
BEGIN
    IF NEW.location_id IS NULL THEN
        SELECT s.location_id INTO NEW.location_id FROM academy.students s WHERE s.id = NEW.student_id;
    END IF;
    SELECT l.currency INTO v_currency FROM academy.locations l WHERE l.id = NEW.location_id;
    NEW.currency := coalesce(NEW.currency, v_currency, 'USD');
    -- a malformed code is left to the CHECK constraint; reversals keep their target's
    IF NEW.reverses_id IS NULL AND NEW.currency ~ '^[A-Z]{3}$' AND NEW.currency <> v_currency THEN
        RAISE EXCEPTION 'academy:invalid_input'
            USING DETAIL = format('This location keeps its accounts in %s, not %s.', v_currency, NEW.currency);
    END IF;
    IF NEW.entry_type = 'refund'
       OR (NEW.entry_type = 'payment'
           AND NOT EXISTS (SELECT 1 FROM academy.payment_receipts r WHERE r.id = NEW.family_payment_id)) THEN
        NEW.receipt_number := nextval('academy.receipt_number_seq');
    ELSE
        NEW.receipt_number := NULL;
    END IF;
    NEW.created_by := session_user;
    NEW.created_at := now();
    RETURN NEW;
END
$fn$;

------------------------------------------------------------------------------------------
-- take_payment: the location's currency, no mixing, one number
------------------------------------------------------------------------------------------

-- Dropped and created again (the currency parameter's default changes from 'USD' to
-- NULL = "the location's"); replays of payments taken under 0008 still match, since
-- the request hash uses the currency actually recorded.
DROP FUNCTION academy.take_payment(uuid, text, text, text, jsonb, text);

-- One payment: one receipt (one number from receipt_number_seq), one ledger row per child
-- (capped at what the child owes) and a credit row for any overpayment, all in this
-- transaction, in the students' location's currency. Replaying p_client_request_id
-- returns the same receipt; reusing it with other amounts is refused. p_allocations:
-- [{"student_id": "...", "amount": "12.50", "currency": "EUR" (optional)}, ...];
-- p_currency and the shares' currencies, when given, must all be the location's.
CREATE FUNCTION academy.take_payment(p_client_request_id uuid, p_payer text, p_method text,
                                     p_reference text, p_allocations jsonb, p_currency text DEFAULT NULL)
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
    v_currency text;
    v_share    text;
    v_shares   text[] := '{}';
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
    IF p_currency IS NOT NULL AND p_currency !~ '^[A-Z]{3}$' THEN
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
        v_share := v_elem ->> 'currency';
        IF v_share IS NOT NULL AND v_share !~ '^[A-Z]{3}$' THEN
            PERFORM academy.desk_refuse('invalid_input', 'The currency must be a 3-letter ISO code.');
        END IF;
        v_shares := v_shares || v_share;
        v_ids := v_ids || v_student;
        v_amounts := v_amounts || academy.parse_amount(
            CASE jsonb_typeof(v_elem -> 'amount') WHEN 'number' THEN (v_elem -> 'amount')::text
                                                  WHEN 'string' THEN v_elem ->> 'amount' END);
    END LOOP;
    -- the ledger is in the location's currency; a split payment never mixes currencies
    SELECT l.currency INTO v_currency FROM academy.locations l WHERE l.id = v_location;
    IF (SELECT count(DISTINCT c) FROM unnest(v_shares || p_currency) c) > 1 THEN
        PERFORM academy.desk_refuse('invalid_input', format(
            'One payment is in one currency (not %s); take a separate payment for each.',
            (SELECT string_agg(DISTINCT c, ' and ') FROM unnest(v_shares || p_currency) c)));
    END IF;
    IF coalesce(p_currency, (SELECT min(c) FROM unnest(v_shares) c), v_currency) <> v_currency THEN
        PERFORM academy.desk_refuse('invalid_input', format(
            'This location takes payments in %s, not %s.', v_currency,
            coalesce(p_currency, (SELECT min(c) FROM unnest(v_shares) c))));
    END IF;
    IF academy.currency_decimals(v_currency) = 0
       AND EXISTS (SELECT 1 FROM unnest(v_amounts) a WHERE a <> trunc(a)) THEN
        PERFORM academy.desk_refuse('invalid_input', format('Amounts in %s have no decimals.', v_currency));
    END IF;
    SELECT sum(a) INTO v_total FROM unnest(v_amounts) a;
    IF v_total > academy.desk_max_amount() THEN
        PERFORM academy.desk_refuse('invalid_input', format('The total is larger than %s; please check it.', academy.desk_max_amount()));
    END IF;
    SELECT md5(concat_ws('|', p_method, coalesce(p_reference, ''), v_currency, btrim(p_payer),
                         string_agg(x.id::text || '=' || round(x.amt, 2)::text, ',' ORDER BY x.id)))
      INTO v_hash FROM unnest(v_ids, v_amounts) x (id, amt);
    -- concurrent payments for the same children queue here (dues are read after)
    PERFORM pg_advisory_xact_lock(hashtextextended(x::text, 8008)) FROM unnest(v_ids) x ORDER BY x;
    SELECT * INTO v_rec FROM academy.payment_receipts r WHERE r.id = p_client_request_id;
    IF NOT FOUND THEN
        FOR i IN 1 .. cardinality(v_ids) LOOP
            SELECT greatest(coalesce(sum(b.balance), 0), 0) INTO v_pay
              FROM academy.student_balances(ARRAY[v_ids[i]]) b WHERE b.currency = v_currency;
            v_dues := v_dues || v_pay;
            v_credit := v_credit + greatest(v_amounts[i] - v_pay, 0);
        END LOOP;
        v_number := nextval('academy.receipt_number_seq');
        INSERT INTO academy.payment_receipts AS r (id, receipt_number, location_id, payer, method, reference, total,
                                                    credit_amount, currency, request_hash)
        VALUES (p_client_request_id, v_number, v_location, btrim(p_payer), p_method::academy.payment_method,
                nullif(btrim(p_reference), ''), v_total, v_credit, v_currency, v_hash)
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
            VALUES (v_ids[i], v_location, 'payment', v_pay, v_currency, p_method::academy.payment_method,
                    nullif(btrim(p_reference), ''), format('Receipt %s', v_number), p_client_request_id,
                    CASE WHEN v_first THEN p_client_request_id END, v_day);
            v_first := false;
        END IF;
        IF v_amounts[i] > v_pay THEN
            INSERT INTO academy.student_financial_records (student_id, location_id, entry_type, amount, currency,
                method, reference, description, reason, family_payment_id, transaction_date)
            VALUES (v_ids[i], v_location, 'credit', v_amounts[i] - v_pay, v_currency, p_method::academy.payment_method,
                    nullif(btrim(p_reference), ''), format('Receipt %s', v_number), 'Overpayment kept as credit',
                    p_client_request_id, v_day);
        END IF;
    END LOOP;
    RETURN QUERY SELECT v_number, p_client_request_id, v_total, v_credit, 'recorded'::text;
END
$fn$;

GRANT EXECUTE ON FUNCTION academy.take_payment(uuid, text, text, text, jsonb, text)
    TO academy_super_admin, academy_front_desk;
