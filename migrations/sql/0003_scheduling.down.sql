-- Undo 0003_scheduling: drop exactly what 0003_scheduling.up.sql created (booking
-- partitions go with their parent).
DROP TABLE IF EXISTS academy.schedule_conflicts CASCADE;
DROP TABLE IF EXISTS academy.session_waitlists CASCADE;
DROP TABLE IF EXISTS academy.session_bookings CASCADE;
DROP TABLE IF EXISTS academy.sessions CASCADE;
DROP TABLE IF EXISTS academy.recurring_patterns CASCADE;
DROP TABLE IF EXISTS academy.instructor_availability CASCADE;
DROP TABLE IF EXISTS academy.instructor_specializations CASCADE;
DROP TABLE IF EXISTS academy.instructor_location_assignments CASCADE;
DROP TABLE IF EXISTS academy.instructors CASCADE;
DROP FUNCTION IF EXISTS academy.sync_session_booked_count();
DROP FUNCTION IF EXISTS academy.set_session_date();
DROP TYPE IF EXISTS academy.conflict_status;
DROP TYPE IF EXISTS academy.conflict_kind;
DROP TYPE IF EXISTS academy.waitlist_status;
DROP TYPE IF EXISTS academy.booking_status;
DROP TYPE IF EXISTS academy.session_status;
