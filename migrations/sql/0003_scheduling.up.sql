-- 0003_scheduling: instructors and their availability, recurring patterns, sessions,
-- bookings (partitioned monthly by session_date), waitlists and schedule conflicts.

CREATE TYPE academy.session_status AS ENUM ('scheduled', 'cancelled', 'completed');
CREATE TYPE academy.booking_status AS ENUM ('booked', 'cancelled', 'attended', 'no_show');
CREATE TYPE academy.waitlist_status AS ENUM ('waiting', 'offered', 'promoted', 'cancelled', 'expired');
CREATE TYPE academy.conflict_kind AS ENUM
    ('instructor_double_booked', 'room_double_booked', 'instructor_unavailable',
     'instructor_not_qualified', 'location_closed', 'capacity_exceeded', 'pattern_exception', 'other');
CREATE TYPE academy.conflict_status AS ENUM ('open', 'resolved', 'ignored');

------------------------------------------------------------------------------------------
-- Instructors
------------------------------------------------------------------------------------------

CREATE TABLE academy.instructors (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        uuid CONSTRAINT instructors_user_id_key UNIQUE
                   CONSTRAINT instructors_user_id_fkey REFERENCES academy.users (id),
    first_name     text NOT NULL CONSTRAINT instructors_first_name_length
                   CHECK (char_length(first_name) BETWEEN 1 AND 200 AND btrim(first_name) <> ''),
    last_name      text NOT NULL CONSTRAINT instructors_last_name_length
                   CHECK (char_length(last_name) BETWEEN 1 AND 200 AND btrim(last_name) <> ''),
    email          extensions.citext CONSTRAINT instructors_email_check
                   CHECK (char_length(email::text) <= 254 AND email::text ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    phone          text CONSTRAINT instructors_phone_check CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    bio            text CONSTRAINT instructors_bio_length CHECK (char_length(bio) <= 4000),
    qualifications text CONSTRAINT instructors_qualifications_length CHECK (char_length(qualifications) <= 4000),
    hired_on       date,
    color          text CONSTRAINT instructors_color_check CHECK (color ~ '^#[0-9a-fA-F]{6}$'),
    is_active      boolean NOT NULL DEFAULT true,
    row_version    integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX instructors_last_name_idx ON academy.instructors (last_name, first_name) WHERE is_active;

CREATE TABLE academy.instructor_location_assignments (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    instructor_id uuid NOT NULL CONSTRAINT instructor_location_assignments_instructor_id_fkey
                  REFERENCES academy.instructors (id) ON DELETE CASCADE,
    location_id   uuid NOT NULL CONSTRAINT instructor_location_assignments_location_id_fkey
                  REFERENCES academy.locations (id) ON DELETE CASCADE,
    is_primary    boolean NOT NULL DEFAULT false,
    starts_on     date,
    ends_on       date,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT instructor_location_assignments_instructor_id_location_id_key UNIQUE (instructor_id, location_id),
    CONSTRAINT instructor_location_assignments_dates_check CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX instructor_location_assignments_location_id_idx ON academy.instructor_location_assignments (location_id);
CREATE UNIQUE INDEX instructor_location_assignments_one_primary_key
    ON academy.instructor_location_assignments (instructor_id) WHERE is_primary;

-- program-wide (curriculum_id and level_id null), curriculum-wide, or one level
CREATE TABLE academy.instructor_specializations (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    instructor_id uuid NOT NULL CONSTRAINT instructor_specializations_instructor_id_fkey
                  REFERENCES academy.instructors (id) ON DELETE CASCADE,
    program_id    uuid NOT NULL CONSTRAINT instructor_specializations_program_id_fkey REFERENCES academy.programs (id),
    curriculum_id uuid CONSTRAINT instructor_specializations_curriculum_id_fkey REFERENCES academy.curriculums (id),
    level_id      uuid CONSTRAINT instructor_specializations_level_id_fkey REFERENCES academy.levels (id),
    certification text CONSTRAINT instructor_specializations_certification_length CHECK (char_length(certification) <= 200),
    certified_on  date,
    expires_on    date,
    notes         text CONSTRAINT instructor_specializations_notes_length CHECK (char_length(notes) <= 4000),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT instructor_specializations_scope_key
        UNIQUE NULLS NOT DISTINCT (instructor_id, program_id, curriculum_id, level_id),
    CONSTRAINT instructor_specializations_level_needs_curriculum_check CHECK (level_id IS NULL OR curriculum_id IS NOT NULL),
    CONSTRAINT instructor_specializations_dates_check CHECK (expires_on IS NULL OR certified_on IS NULL OR expires_on >= certified_on),
    -- the level must belong to the curriculum
    CONSTRAINT instructor_specializations_level_curriculum_fkey FOREIGN KEY (level_id, curriculum_id)
        REFERENCES academy.levels (id, curriculum_id)
);
CREATE INDEX instructor_specializations_program_id_idx ON academy.instructor_specializations (program_id);
CREATE INDEX instructor_specializations_curriculum_id_idx ON academy.instructor_specializations (curriculum_id);
CREATE INDEX instructor_specializations_level_id_idx ON academy.instructor_specializations (level_id, curriculum_id);

-- Weekly windows. weekday is ISO 8601: 1 = Monday .. 7 = Sunday (extract(isodow ...)).
-- kind 'unavailable' records time off that overrides the weekly windows.
CREATE TABLE academy.instructor_availability (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    instructor_id uuid NOT NULL CONSTRAINT instructor_availability_instructor_id_fkey
                  REFERENCES academy.instructors (id) ON DELETE CASCADE,
    location_id   uuid CONSTRAINT instructor_availability_location_id_fkey REFERENCES academy.locations (id),
    kind          text NOT NULL DEFAULT 'available'
                  CONSTRAINT instructor_availability_kind_check CHECK (kind IN ('available', 'unavailable')),
    weekday       smallint NOT NULL CONSTRAINT instructor_availability_weekday_check CHECK (weekday BETWEEN 1 AND 7),
    start_time    time NOT NULL,
    end_time      time NOT NULL,
    valid_from    date NOT NULL DEFAULT current_date,
    valid_to      date,
    notes         text CONSTRAINT instructor_availability_notes_length CHECK (char_length(notes) <= 4000),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT instructor_availability_times_check CHECK (end_time > start_time),
    CONSTRAINT instructor_availability_dates_check CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX instructor_availability_instructor_id_idx ON academy.instructor_availability (instructor_id, weekday);
CREATE INDEX instructor_availability_location_id_idx ON academy.instructor_availability (location_id);

------------------------------------------------------------------------------------------
-- Recurring patterns and sessions
------------------------------------------------------------------------------------------

-- rrule is an RFC 5545 RRULE (expanded client-side with dateutil); dtstart is the first
-- occurrence, local wall-clock times follow `timezone`; exdates are skipped dates.
CREATE TABLE academy.recurring_patterns (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    location_id      uuid NOT NULL CONSTRAINT recurring_patterns_location_id_fkey REFERENCES academy.locations (id),
    program_id       uuid NOT NULL CONSTRAINT recurring_patterns_program_id_fkey REFERENCES academy.programs (id),
    level_id         uuid CONSTRAINT recurring_patterns_level_id_fkey REFERENCES academy.levels (id),
    instructor_id    uuid NOT NULL CONSTRAINT recurring_patterns_instructor_id_fkey REFERENCES academy.instructors (id),
    title            text NOT NULL CONSTRAINT recurring_patterns_title_length
                     CHECK (char_length(title) BETWEEN 1 AND 200 AND btrim(title) <> ''),
    rrule            text NOT NULL CONSTRAINT recurring_patterns_rrule_check
                     CHECK (char_length(rrule) <= 1000 AND rrule ~ '^(RRULE:)?FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z]+=[A-Za-z0-9,+:-]+)*$'),
    dtstart          timestamptz NOT NULL,
    duration_minutes integer NOT NULL CONSTRAINT recurring_patterns_duration_minutes_check CHECK (duration_minutes BETWEEN 5 AND 1440),
    timezone         text NOT NULL CONSTRAINT recurring_patterns_timezone_check CHECK (academy.is_valid_timezone(timezone)),
    start_date       date NOT NULL,
    end_date         date,
    capacity         integer NOT NULL CONSTRAINT recurring_patterns_capacity_check CHECK (capacity BETWEEN 0 AND 10000),
    exdates          date[] NOT NULL DEFAULT '{}'
                     CONSTRAINT recurring_patterns_exdates_check CHECK (cardinality(exdates) <= 1000 AND array_position(exdates, NULL) IS NULL),
    room             text CONSTRAINT recurring_patterns_room_length CHECK (char_length(room) <= 100),
    notes            text CONSTRAINT recurring_patterns_notes_length CHECK (char_length(notes) <= 4000),
    created_by       text NOT NULL DEFAULT session_user,
    is_active        boolean NOT NULL DEFAULT true,
    row_version      integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT recurring_patterns_dates_check CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX recurring_patterns_location_id_idx ON academy.recurring_patterns (location_id);
CREATE INDEX recurring_patterns_program_id_idx ON academy.recurring_patterns (program_id);
CREATE INDEX recurring_patterns_level_id_idx ON academy.recurring_patterns (level_id);
CREATE INDEX recurring_patterns_instructor_id_idx ON academy.recurring_patterns (instructor_id);

-- session_date is the local date of starts_at at the session's location; the database
-- derives it (BEFORE trigger), so bookings/attendance partition keys always agree.
-- booked_count is maintained by the session_bookings trigger (seats held by rows in
-- status booked/attended/no_show) and can never exceed capacity.
CREATE TABLE academy.sessions (
    id                           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    location_id                  uuid NOT NULL CONSTRAINT sessions_location_id_fkey REFERENCES academy.locations (id),
    program_id                   uuid NOT NULL CONSTRAINT sessions_program_id_fkey REFERENCES academy.programs (id),
    level_id                     uuid CONSTRAINT sessions_level_id_fkey REFERENCES academy.levels (id),
    instructor_id                uuid NOT NULL CONSTRAINT sessions_instructor_id_fkey REFERENCES academy.instructors (id),
    substitute_for_instructor_id uuid CONSTRAINT sessions_substitute_for_instructor_id_fkey REFERENCES academy.instructors (id),
    recurring_pattern_id         uuid CONSTRAINT sessions_recurring_pattern_id_fkey REFERENCES academy.recurring_patterns (id),
    session_date                 date NOT NULL,
    starts_at                    timestamptz NOT NULL,
    ends_at                      timestamptz NOT NULL,
    capacity                     integer NOT NULL CONSTRAINT sessions_capacity_check CHECK (capacity BETWEEN 0 AND 10000),
    booked_count                 integer NOT NULL DEFAULT 0 CONSTRAINT sessions_booked_count_check CHECK (booked_count >= 0),
    status                       academy.session_status NOT NULL DEFAULT 'scheduled',
    title                        text CONSTRAINT sessions_title_length CHECK (char_length(title) BETWEEN 1 AND 200 AND btrim(title) <> ''),
    room                         text CONSTRAINT sessions_room_length CHECK (char_length(room) <= 100),
    notes                        text CONSTRAINT sessions_notes_length CHECK (char_length(notes) <= 4000),
    cancelled_reason             text CONSTRAINT sessions_cancelled_reason_length CHECK (char_length(cancelled_reason) <= 1000),
    cancelled_at                 timestamptz,
    is_active                    boolean NOT NULL DEFAULT true,
    row_version                  integer NOT NULL DEFAULT 1,
    created_by                   text NOT NULL DEFAULT session_user,
    created_at                   timestamptz NOT NULL DEFAULT now(),
    updated_at                   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sessions_time_range_check CHECK (ends_at > starts_at AND ends_at <= starts_at + interval '24 hours'),
    CONSTRAINT sessions_capacity_not_exceeded CHECK (booked_count <= capacity),
    CONSTRAINT sessions_substitute_check CHECK (substitute_for_instructor_id IS DISTINCT FROM instructor_id),
    -- target of the composite FKs of the partitioned bookings/attendance tables
    CONSTRAINT sessions_id_session_date_key UNIQUE (id, session_date),
    CONSTRAINT sessions_instructor_overlap_excl EXCLUDE USING gist
        (instructor_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status <> 'cancelled'),
    CONSTRAINT sessions_room_overlap_excl EXCLUDE USING gist
        (location_id WITH =, room WITH =, tstzrange(starts_at, ends_at) WITH &&)
        WHERE (status <> 'cancelled' AND room IS NOT NULL)
);
CREATE INDEX sessions_date_location_instructor_idx ON academy.sessions (session_date, location_id, instructor_id);
CREATE INDEX sessions_location_id_idx ON academy.sessions (location_id, starts_at);
CREATE INDEX sessions_program_id_idx ON academy.sessions (program_id, session_date);
CREATE INDEX sessions_level_id_idx ON academy.sessions (level_id);
CREATE INDEX sessions_instructor_id_idx ON academy.sessions (instructor_id, starts_at);
CREATE INDEX sessions_substitute_for_instructor_id_idx ON academy.sessions (substitute_for_instructor_id);
CREATE INDEX sessions_recurring_pattern_id_idx ON academy.sessions (recurring_pattern_id, session_date);

CREATE FUNCTION academy.set_session_date() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    v_date date;
BEGIN
    SELECT (NEW.starts_at AT TIME ZONE l.timezone)::date INTO v_date
      FROM academy.locations l WHERE l.id = NEW.location_id;
    -- an unknown location is left to the foreign key to report
    NEW.session_date := coalesce(v_date, NEW.session_date, (NEW.starts_at AT TIME ZONE 'UTC')::date);
    RETURN NEW;
END
$fn$;
CREATE TRIGGER sessions_set_session_date BEFORE INSERT OR UPDATE OF starts_at, location_id, session_date
    ON academy.sessions FOR EACH ROW EXECUTE FUNCTION academy.set_session_date();

------------------------------------------------------------------------------------------
-- Bookings (partitioned), waitlists, conflicts
------------------------------------------------------------------------------------------

-- A cancelled booking keeps its row: re-booking the same student reactivates it
-- (UNIQUE (session_id, session_date, student_id)).
CREATE TABLE academy.session_bookings (
    id                uuid NOT NULL DEFAULT gen_random_uuid(),
    session_id        uuid NOT NULL,
    session_date      date NOT NULL,
    student_id        uuid NOT NULL CONSTRAINT session_bookings_student_id_fkey REFERENCES academy.students (id),
    status            academy.booking_status NOT NULL DEFAULT 'booked',
    client_request_id uuid,
    booked_by         text NOT NULL DEFAULT session_user,
    booked_at         timestamptz NOT NULL DEFAULT now(),
    cancelled_at      timestamptz,
    cancel_reason     text CONSTRAINT session_bookings_cancel_reason_length CHECK (char_length(cancel_reason) <= 1000),
    notes             text CONSTRAINT session_bookings_notes_length CHECK (char_length(notes) <= 4000),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT session_bookings_pkey PRIMARY KEY (id, session_date),
    CONSTRAINT session_bookings_session_id_fkey FOREIGN KEY (session_id, session_date)
        REFERENCES academy.sessions (id, session_date) ON UPDATE CASCADE,
    CONSTRAINT session_bookings_session_id_student_id_key UNIQUE (session_id, session_date, student_id),
    CONSTRAINT session_bookings_client_request_id_key UNIQUE (client_request_id, session_date)
) PARTITION BY RANGE (session_date);
CREATE TABLE academy.session_bookings_default PARTITION OF academy.session_bookings DEFAULT;
CREATE INDEX session_bookings_student_id_idx ON academy.session_bookings (student_id, session_date);

CREATE FUNCTION academy.sync_session_booked_count() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    v_old_holds boolean := TG_OP <> 'INSERT' AND OLD.status IN ('booked', 'attended', 'no_show');
    v_new_holds boolean := TG_OP <> 'DELETE' AND NEW.status IN ('booked', 'attended', 'no_show');
BEGIN
    IF TG_OP = 'UPDATE' AND v_old_holds = v_new_holds AND OLD.session_id = NEW.session_id THEN
        RETURN NULL;
    END IF;
    IF v_old_holds THEN
        UPDATE academy.sessions SET booked_count = booked_count - 1 WHERE id = OLD.session_id;
    END IF;
    IF v_new_holds THEN
        UPDATE academy.sessions SET booked_count = booked_count + 1 WHERE id = NEW.session_id;
    END IF;
    RETURN NULL;
END
$fn$;
CREATE TRIGGER session_bookings_booked_count AFTER INSERT OR UPDATE OR DELETE ON academy.session_bookings
    FOR EACH ROW EXECUTE FUNCTION academy.sync_session_booked_count();

CREATE TABLE academy.session_waitlists (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id        uuid NOT NULL CONSTRAINT session_waitlists_session_id_fkey
                      REFERENCES academy.sessions (id) ON DELETE CASCADE,
    student_id        uuid NOT NULL CONSTRAINT session_waitlists_student_id_fkey REFERENCES academy.students (id),
    position          integer NOT NULL CONSTRAINT session_waitlists_position_check CHECK (position >= 1),
    status            academy.waitlist_status NOT NULL DEFAULT 'waiting',
    client_request_id uuid CONSTRAINT session_waitlists_client_request_id_key UNIQUE,
    offered_at        timestamptz,
    offer_expires_at  timestamptz,
    promoted_at       timestamptz,
    cancelled_at      timestamptz,
    added_by          text NOT NULL DEFAULT session_user,
    notes             text CONSTRAINT session_waitlists_notes_length CHECK (char_length(notes) <= 4000),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT session_waitlists_offer_check CHECK (status <> 'offered' OR offered_at IS NOT NULL)
);
-- one live entry per student and session; queue order is (position, created_at)
CREATE UNIQUE INDEX session_waitlists_session_id_student_id_key
    ON academy.session_waitlists (session_id, student_id) WHERE status IN ('waiting', 'offered');
CREATE INDEX session_waitlists_session_id_idx ON academy.session_waitlists (session_id, position);
CREATE INDEX session_waitlists_student_id_idx ON academy.session_waitlists (student_id);

CREATE TABLE academy.schedule_conflicts (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id           uuid CONSTRAINT schedule_conflicts_session_id_fkey
                         REFERENCES academy.sessions (id) ON DELETE CASCADE,
    recurring_pattern_id uuid CONSTRAINT schedule_conflicts_recurring_pattern_id_fkey
                         REFERENCES academy.recurring_patterns (id) ON DELETE CASCADE,
    other_session_id     uuid CONSTRAINT schedule_conflicts_other_session_id_fkey
                         REFERENCES academy.sessions (id) ON DELETE CASCADE,
    instructor_id        uuid CONSTRAINT schedule_conflicts_instructor_id_fkey REFERENCES academy.instructors (id),
    location_id          uuid CONSTRAINT schedule_conflicts_location_id_fkey REFERENCES academy.locations (id),
    conflict_date        date,
    kind                 academy.conflict_kind NOT NULL,
    status               academy.conflict_status NOT NULL DEFAULT 'open',
    details              jsonb NOT NULL DEFAULT '{}'
                         CONSTRAINT schedule_conflicts_details_check CHECK (jsonb_typeof(details) = 'object' AND pg_column_size(details) <= 8192),
    resolution_reason    text CONSTRAINT schedule_conflicts_resolution_reason_length CHECK (char_length(resolution_reason) <= 4000),
    detected_by          text NOT NULL DEFAULT session_user,
    resolved_by          text,
    resolved_at          timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT schedule_conflicts_subject_check CHECK (num_nonnulls(session_id, recurring_pattern_id) >= 1),
    CONSTRAINT schedule_conflicts_resolution_check CHECK (
        (status = 'open' AND resolved_at IS NULL AND resolved_by IS NULL)
        OR (status <> 'open' AND resolved_at IS NOT NULL AND resolved_by IS NOT NULL
            AND btrim(coalesce(resolution_reason, '')) <> ''))
);
CREATE INDEX schedule_conflicts_session_id_idx ON academy.schedule_conflicts (session_id);
CREATE INDEX schedule_conflicts_recurring_pattern_id_idx ON academy.schedule_conflicts (recurring_pattern_id);
CREATE INDEX schedule_conflicts_other_session_id_idx ON academy.schedule_conflicts (other_session_id);
CREATE INDEX schedule_conflicts_instructor_id_idx ON academy.schedule_conflicts (instructor_id);
CREATE INDEX schedule_conflicts_location_id_idx ON academy.schedule_conflicts (location_id);
CREATE INDEX schedule_conflicts_open_idx ON academy.schedule_conflicts (conflict_date) WHERE status = 'open';

------------------------------------------------------------------------------------------
-- updated_at / row_version triggers
------------------------------------------------------------------------------------------

DO $do$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['instructors', 'instructor_location_assignments',
                             'instructor_specializations', 'instructor_availability',
                             'recurring_patterns', 'session_bookings', 'session_waitlists',
                             'schedule_conflicts']
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
-- a booking changing booked_count alone must not make an open session edit stale
CREATE TRIGGER sessions_touch BEFORE INSERT OR UPDATE ON academy.sessions
    FOR EACH ROW EXECUTE FUNCTION academy.touch_updated_at('row_version', 'booked_count');

SELECT academy.maintain_partitions(3);
