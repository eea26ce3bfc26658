-- 0004_reporting: enrollments, progress ratings, attendance (partitioned monthly by
-- attendance_date), the append-only ledger, the three reporting materialized views with
-- their refresh function, remaining full-text indexes and the partition maintenance run.

CREATE TYPE academy.enrollment_status AS ENUM ('active', 'paused', 'completed', 'withdrawn');
CREATE TYPE academy.attendance_status AS ENUM ('present', 'late', 'absent', 'excused');
CREATE TYPE academy.ledger_entry_type AS ENUM ('charge', 'payment', 'refund', 'credit', 'adjustment', 'void');
CREATE TYPE academy.payment_method AS ENUM ('cash', 'card', 'bank_transfer', 'cheque', 'other');

------------------------------------------------------------------------------------------
-- Enrollments and progress
------------------------------------------------------------------------------------------

CREATE TABLE academy.student_enrollments (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    student_id    uuid NOT NULL CONSTRAINT student_enrollments_student_id_fkey REFERENCES academy.students (id),
    curriculum_id uuid NOT NULL CONSTRAINT student_enrollments_curriculum_id_fkey REFERENCES academy.curriculums (id),
    level_id      uuid CONSTRAINT student_enrollments_level_id_fkey REFERENCES academy.levels (id),
    program_id    uuid NOT NULL CONSTRAINT student_enrollments_program_id_fkey REFERENCES academy.programs (id),
    location_id   uuid NOT NULL CONSTRAINT student_enrollments_location_id_fkey REFERENCES academy.locations (id),
    status        academy.enrollment_status NOT NULL DEFAULT 'active',
    enrolled_on   date NOT NULL DEFAULT current_date,
    ended_on      date,
    notes         text CONSTRAINT student_enrollments_notes_length CHECK (char_length(notes) <= 4000),
    created_by    text NOT NULL DEFAULT session_user,
    row_version   integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT student_enrollments_dates_check CHECK (ended_on IS NULL OR ended_on >= enrolled_on),
    CONSTRAINT student_enrollments_ended_check CHECK (status IN ('active', 'paused') OR ended_on IS NOT NULL),
    -- the level must belong to the enrolled curriculum
    CONSTRAINT student_enrollments_level_curriculum_fkey FOREIGN KEY (level_id, curriculum_id)
        REFERENCES academy.levels (id, curriculum_id)
);
CREATE UNIQUE INDEX student_enrollments_one_live_key ON academy.student_enrollments (student_id, curriculum_id)
    WHERE status IN ('active', 'paused');
CREATE INDEX student_enrollments_student_id_idx ON academy.student_enrollments (student_id, enrolled_on);
CREATE INDEX student_enrollments_curriculum_id_idx ON academy.student_enrollments (curriculum_id);
CREATE INDEX student_enrollments_level_id_idx ON academy.student_enrollments (level_id, curriculum_id);
CREATE INDEX student_enrollments_program_id_idx ON academy.student_enrollments (program_id);
CREATE INDEX student_enrollments_location_id_idx ON academy.student_enrollments (location_id, status);

-- One row per rating (history); the latest per (student, criterion) is the current one.
-- Composite FKs prove criterion ∈ rubric ∈ level.
CREATE TABLE academy.student_progress (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    student_id   uuid NOT NULL CONSTRAINT student_progress_student_id_fkey REFERENCES academy.students (id),
    level_id     uuid NOT NULL CONSTRAINT student_progress_level_id_fkey REFERENCES academy.levels (id),
    program_id   uuid NOT NULL CONSTRAINT student_progress_program_id_fkey REFERENCES academy.programs (id),
    session_id   uuid CONSTRAINT student_progress_session_id_fkey REFERENCES academy.sessions (id),
    rubric_id    uuid NOT NULL,
    criterion_id uuid NOT NULL,
    stars        smallint NOT NULL CONSTRAINT student_progress_stars_check CHECK (stars BETWEEN 0 AND 3),
    assessed_by  text NOT NULL DEFAULT session_user,
    assessed_at  timestamptz NOT NULL DEFAULT now(),
    notes        text CONSTRAINT student_progress_notes_length CHECK (char_length(notes) <= 4000),
    row_version  integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT student_progress_rubric_id_fkey FOREIGN KEY (rubric_id, level_id)
        REFERENCES academy.assessment_rubrics (id, level_id),
    CONSTRAINT student_progress_criterion_id_fkey FOREIGN KEY (criterion_id, rubric_id)
        REFERENCES academy.assessment_rubric_criteria (id, rubric_id)
);
CREATE INDEX student_progress_student_id_idx ON academy.student_progress (student_id, level_id, assessed_at);
CREATE INDEX student_progress_level_id_idx ON academy.student_progress (level_id);
CREATE INDEX student_progress_program_id_idx ON academy.student_progress (program_id);
CREATE INDEX student_progress_session_id_idx ON academy.student_progress (session_id);
CREATE INDEX student_progress_rubric_id_idx ON academy.student_progress (rubric_id, level_id);
CREATE INDEX student_progress_criterion_id_idx ON academy.student_progress (criterion_id, rubric_id);

------------------------------------------------------------------------------------------
-- Attendance (partitioned)
------------------------------------------------------------------------------------------

-- attendance_date is the session's session_date (composite FK, follows a reschedule);
-- location_id and program_id are copied from the session for row-level security.
CREATE TABLE academy.student_attendance (
    id                uuid NOT NULL DEFAULT gen_random_uuid(),
    session_id        uuid NOT NULL,
    attendance_date   date NOT NULL,
    student_id        uuid NOT NULL CONSTRAINT student_attendance_student_id_fkey REFERENCES academy.students (id),
    location_id       uuid NOT NULL CONSTRAINT student_attendance_location_id_fkey REFERENCES academy.locations (id),
    program_id        uuid NOT NULL CONSTRAINT student_attendance_program_id_fkey REFERENCES academy.programs (id),
    status            academy.attendance_status NOT NULL,
    checked_in_at     timestamptz,
    checked_out_at    timestamptz,
    recorded_by       text NOT NULL DEFAULT session_user,
    client_request_id uuid,
    notes             text CONSTRAINT student_attendance_notes_length CHECK (char_length(notes) <= 4000),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT student_attendance_pkey PRIMARY KEY (id, attendance_date),
    CONSTRAINT student_attendance_session_id_fkey FOREIGN KEY (session_id, attendance_date)
        REFERENCES academy.sessions (id, session_date) ON UPDATE CASCADE,
    CONSTRAINT student_attendance_session_id_student_id_key UNIQUE (session_id, attendance_date, student_id),
    CONSTRAINT student_attendance_client_request_id_key UNIQUE (client_request_id, attendance_date),
    CONSTRAINT student_attendance_checkout_check CHECK (checked_out_at IS NULL OR checked_in_at IS NULL OR checked_out_at >= checked_in_at)
) PARTITION BY RANGE (attendance_date);
CREATE TABLE academy.student_attendance_default PARTITION OF academy.student_attendance DEFAULT;
CREATE INDEX student_attendance_student_id_idx ON academy.student_attendance (student_id, attendance_date);
CREATE INDEX student_attendance_location_id_idx ON academy.student_attendance (location_id, attendance_date);
CREATE INDEX student_attendance_program_id_idx ON academy.student_attendance (program_id, attendance_date);

CREATE FUNCTION academy.set_attendance_scope() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
    SELECT s.location_id, s.program_id INTO NEW.location_id, NEW.program_id
      FROM academy.sessions s WHERE s.id = NEW.session_id;
    RETURN NEW;  -- an unknown session is left to the foreign key to report
END
$fn$;
CREATE TRIGGER student_attendance_set_scope BEFORE INSERT OR UPDATE OF session_id, location_id, program_id
    ON academy.student_attendance FOR EACH ROW EXECUTE FUNCTION academy.set_attendance_scope();

------------------------------------------------------------------------------------------
-- Ledger (append-only)
------------------------------------------------------------------------------------------

CREATE SEQUENCE academy.receipt_number_seq START 100001;

-- amount is always positive; the sign comes from entry_type (charge/void-of-payment raise
-- the balance owed, payment/credit/refund-reversal lower it — see docs/schema.md). It is
-- an unconstrained numeric with a 2-decimal CHECK so 10.005 is refused, not rounded.
CREATE TABLE academy.student_financial_records (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    student_id        uuid NOT NULL CONSTRAINT student_financial_records_student_id_fkey REFERENCES academy.students (id),
    location_id       uuid NOT NULL CONSTRAINT student_financial_records_location_id_fkey REFERENCES academy.locations (id),
    program_id        uuid CONSTRAINT student_financial_records_program_id_fkey REFERENCES academy.programs (id),
    enrollment_id     uuid CONSTRAINT student_financial_records_enrollment_id_fkey REFERENCES academy.student_enrollments (id),
    entry_type        academy.ledger_entry_type NOT NULL,
    amount            numeric NOT NULL CONSTRAINT student_financial_records_amount_check
                      CHECK (amount > 0 AND amount < 10000000000 AND amount = round(amount, 2)),
    currency          char(3) NOT NULL DEFAULT 'USD'
                      CONSTRAINT student_financial_records_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
    method            academy.payment_method,
    reference         text CONSTRAINT student_financial_records_reference_check
                      CHECK (char_length(reference) <= 100
                             AND regexp_replace(reference, '[^0-9]', '', 'g') !~ '^[0-9]{13,19}$'),
    description       text CONSTRAINT student_financial_records_description_length CHECK (char_length(description) <= 1000),
    reason            text CONSTRAINT student_financial_records_reason_length CHECK (char_length(reason) <= 1000),
    reverses_id       uuid CONSTRAINT student_financial_records_reverses_id_fkey REFERENCES academy.student_financial_records (id),
    receipt_number    bigint CONSTRAINT student_financial_records_receipt_number_key UNIQUE,
    client_request_id uuid CONSTRAINT student_financial_records_client_request_id_key UNIQUE,
    family_payment_id uuid,
    status            text NOT NULL DEFAULT 'posted'
                      CONSTRAINT student_financial_records_status_check CHECK (status IN ('posted')),
    transaction_date  date NOT NULL DEFAULT current_date,
    created_by        text NOT NULL DEFAULT session_user,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT student_financial_records_method_check
        CHECK (entry_type NOT IN ('payment', 'refund') OR method IS NOT NULL),
    CONSTRAINT student_financial_records_reason_check
        CHECK (entry_type NOT IN ('refund', 'credit', 'adjustment', 'void') OR btrim(coalesce(reason, '')) <> ''),
    CONSTRAINT student_financial_records_void_check CHECK (entry_type <> 'void' OR reverses_id IS NOT NULL),
    CONSTRAINT student_financial_records_reverses_self_check CHECK (reverses_id <> id)
);
CREATE INDEX student_financial_records_student_date_status_idx
    ON academy.student_financial_records (student_id, transaction_date, status);
CREATE INDEX student_financial_records_location_id_idx ON academy.student_financial_records (location_id, transaction_date);
CREATE INDEX student_financial_records_program_id_idx ON academy.student_financial_records (program_id);
CREATE INDEX student_financial_records_enrollment_id_idx ON academy.student_financial_records (enrollment_id);
CREATE INDEX student_financial_records_reverses_id_idx ON academy.student_financial_records (reverses_id);
CREATE INDEX student_financial_records_family_payment_id_idx ON academy.student_financial_records (family_payment_id)
    WHERE family_payment_id IS NOT NULL;
-- an entry can be voided once
CREATE UNIQUE INDEX student_financial_records_one_void_key ON academy.student_financial_records (reverses_id)
    WHERE entry_type = 'void';

CREATE FUNCTION academy.prepare_ledger_entry() RETURNS trigger
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
CREATE TRIGGER student_financial_records_prepare BEFORE INSERT ON academy.student_financial_records
    FOR EACH ROW EXECUTE FUNCTION academy.prepare_ledger_entry();
CREATE TRIGGER student_financial_records_append_only BEFORE UPDATE OR DELETE ON academy.student_financial_records
    FOR EACH ROW EXECUTE FUNCTION academy.forbid_modification();
CREATE TRIGGER student_financial_records_no_truncate BEFORE TRUNCATE ON academy.student_financial_records
    FOR EACH STATEMENT EXECUTE FUNCTION academy.forbid_modification();

------------------------------------------------------------------------------------------
-- Triggers on the new tables
------------------------------------------------------------------------------------------

CREATE TRIGGER student_enrollments_set_program_id BEFORE INSERT OR UPDATE ON academy.student_enrollments
    FOR EACH ROW EXECUTE FUNCTION academy.set_program_id_from_parent('curriculums', 'curriculum_id');
CREATE TRIGGER student_progress_set_program_id BEFORE INSERT OR UPDATE ON academy.student_progress
    FOR EACH ROW EXECUTE FUNCTION academy.set_program_id_from_parent('levels', 'level_id');
CREATE TRIGGER student_enrollments_touch BEFORE INSERT OR UPDATE ON academy.student_enrollments
    FOR EACH ROW EXECUTE FUNCTION academy.touch_updated_at('row_version');
CREATE TRIGGER student_progress_touch BEFORE INSERT OR UPDATE ON academy.student_progress
    FOR EACH ROW EXECUTE FUNCTION academy.touch_updated_at('row_version');
CREATE TRIGGER student_attendance_touch BEFORE INSERT OR UPDATE ON academy.student_attendance
    FOR EACH ROW EXECUTE FUNCTION academy.touch_updated_at();

------------------------------------------------------------------------------------------
-- Full-text indexes not made with their tables (curriculum node names/descriptions,
-- equipment names for search-as-you-type)
------------------------------------------------------------------------------------------

CREATE INDEX courses_search_idx ON academy.courses USING gin
    (to_tsvector('simple', academy.normalize_search(name || ' ' || coalesce(description, ''))));
CREATE INDEX levels_search_idx ON academy.levels USING gin
    (to_tsvector('simple', academy.normalize_search(name || ' ' || coalesce(description, ''))));
CREATE INDEX modules_search_idx ON academy.modules USING gin
    (to_tsvector('simple', academy.normalize_search(name || ' ' || coalesce(description, ''))));
CREATE INDEX sections_search_idx ON academy.sections USING gin
    (to_tsvector('simple', academy.normalize_search(name || ' ' || coalesce(description, ''))));
CREATE INDEX equipment_items_name_trgm_idx ON academy.equipment_items USING gin
    (academy.normalize_search(name::text) extensions.gin_trgm_ops);

------------------------------------------------------------------------------------------
-- Reporting materialized views (owner only: never granted, they ignore RLS)
------------------------------------------------------------------------------------------

-- Per student and level: latest rating per criterion, mastered = 3 stars.
CREATE MATERIALIZED VIEW academy.student_progress_summary AS
WITH latest AS (
    SELECT DISTINCT ON (p.student_id, p.criterion_id)
           p.student_id, p.level_id, p.program_id, p.criterion_id, p.stars, p.assessed_at
      FROM academy.student_progress p
     ORDER BY p.student_id, p.criterion_id, p.assessed_at DESC, p.created_at DESC
), ratings AS (
    SELECT p.student_id, p.level_id, count(*) AS ratings_count
      FROM academy.student_progress p
     GROUP BY p.student_id, p.level_id
), current_criteria AS (
    SELECT r.level_id, count(*) AS criteria_total
      FROM academy.assessment_rubrics r
      JOIN academy.assessment_rubric_criteria c ON c.rubric_id = r.id AND c.is_active
     WHERE r.is_current
     GROUP BY r.level_id
)
SELECT l.student_id,
       l.level_id,
       l.program_id,
       s.location_id,
       ra.ratings_count,
       count(*) AS criteria_rated,
       round(avg(l.stars), 2) AS average_stars,
       count(*) FILTER (WHERE l.stars = 3) AS criteria_mastered,
       coalesce(cc.criteria_total, 0) AS criteria_total,
       coalesce(cc.criteria_total, 0) > 0
           AND count(*) FILTER (WHERE l.stars = 3) >= cc.criteria_total AS level_mastered,
       max(l.assessed_at) AS last_assessed_at
  FROM latest l
  JOIN academy.students s ON s.id = l.student_id
  JOIN ratings ra ON ra.student_id = l.student_id AND ra.level_id = l.level_id
  LEFT JOIN current_criteria cc ON cc.level_id = l.level_id
 GROUP BY l.student_id, l.level_id, l.program_id, s.location_id, ra.ratings_count, cc.criteria_total;
CREATE UNIQUE INDEX student_progress_summary_key ON academy.student_progress_summary (student_id, level_id);
CREATE INDEX student_progress_summary_location_idx ON academy.student_progress_summary (location_id, program_id);

-- Per location and day (week_start for weekly roll-ups); cancelled sessions counted apart.
CREATE MATERIALIZED VIEW academy.location_capacity_summary AS
SELECT s.location_id,
       s.session_date,
       date_trunc('week', s.session_date)::date AS week_start,
       count(*) FILTER (WHERE s.status <> 'cancelled') AS sessions_count,
       count(*) FILTER (WHERE s.status = 'cancelled') AS cancelled_count,
       coalesce(sum(s.capacity) FILTER (WHERE s.status <> 'cancelled'), 0) AS total_capacity,
       coalesce(sum(s.booked_count) FILTER (WHERE s.status <> 'cancelled'), 0) AS booked_seats,
       round(100.0 * coalesce(sum(s.booked_count) FILTER (WHERE s.status <> 'cancelled'), 0)
             / nullif(sum(s.capacity) FILTER (WHERE s.status <> 'cancelled'), 0), 1) AS utilisation_percent
  FROM academy.sessions s
 WHERE s.is_active
 GROUP BY s.location_id, s.session_date;
CREATE UNIQUE INDEX location_capacity_summary_key ON academy.location_capacity_summary (location_id, session_date);
CREATE INDEX location_capacity_summary_week_idx ON academy.location_capacity_summary (week_start, location_id);

-- Per instructor and ISO week (week_start is the Monday).
CREATE MATERIALIZED VIEW academy.instructor_schedule_summary AS
SELECT s.instructor_id,
       date_trunc('week', s.session_date)::date AS week_start,
       extract(isoyear FROM date_trunc('week', s.session_date))::int AS iso_year,
       extract(week FROM date_trunc('week', s.session_date))::int AS iso_week,
       count(*) FILTER (WHERE s.status <> 'cancelled') AS sessions_count,
       count(*) FILTER (WHERE s.status = 'cancelled') AS cancelled_count,
       round(coalesce(sum(extract(epoch FROM s.ends_at - s.starts_at))
                      FILTER (WHERE s.status <> 'cancelled'), 0) / 3600.0, 2) AS scheduled_hours,
       count(DISTINCT s.location_id) FILTER (WHERE s.status <> 'cancelled') AS locations_count,
       array_agg(DISTINCT s.location_id) FILTER (WHERE s.status <> 'cancelled') AS location_ids
  FROM academy.sessions s
 WHERE s.is_active
 GROUP BY s.instructor_id, date_trunc('week', s.session_date);
CREATE UNIQUE INDEX instructor_schedule_summary_key ON academy.instructor_schedule_summary (instructor_id, week_start);
CREATE INDEX instructor_schedule_summary_week_idx ON academy.instructor_schedule_summary (week_start);

-- Refreshes all three (CONCURRENTLY by default so readers are never blocked). Runs as the
-- owner; not executable by PUBLIC — 0005_security decides who may call it.
CREATE FUNCTION academy.refresh_reporting_views(concurrently boolean DEFAULT true) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    v_view text;
BEGIN
    FOREACH v_view IN ARRAY ARRAY['student_progress_summary', 'location_capacity_summary',
                                  'instructor_schedule_summary']
    LOOP
        EXECUTE format('REFRESH MATERIALIZED VIEW %s academy.%I',
                       CASE WHEN $1 THEN 'CONCURRENTLY' ELSE '' END, v_view);
    END LOOP;
END
$fn$;
REVOKE EXECUTE ON FUNCTION academy.refresh_reporting_views(boolean) FROM PUBLIC;

SELECT academy.maintain_partitions(3);
