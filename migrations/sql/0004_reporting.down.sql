-- Undo 0004_reporting: drop exactly what 0004_reporting.up.sql created. Partitions made
-- for tables of earlier revisions by its maintain_partitions() call are kept (they belong
-- to those tables and go when their revision is undone).
DROP FUNCTION IF EXISTS academy.refresh_reporting_views(boolean);
DROP MATERIALIZED VIEW IF EXISTS academy.instructor_schedule_summary;
DROP MATERIALIZED VIEW IF EXISTS academy.location_capacity_summary;
DROP MATERIALIZED VIEW IF EXISTS academy.student_progress_summary;
DROP INDEX IF EXISTS academy.equipment_items_name_trgm_idx;
DROP INDEX IF EXISTS academy.sections_search_idx;
DROP INDEX IF EXISTS academy.modules_search_idx;
DROP INDEX IF EXISTS academy.levels_search_idx;
DROP INDEX IF EXISTS academy.courses_search_idx;
DROP TABLE IF EXISTS academy.student_financial_records CASCADE;
DROP SEQUENCE IF EXISTS academy.receipt_number_seq;
DROP TABLE IF EXISTS academy.student_attendance CASCADE;
DROP TABLE IF EXISTS academy.student_progress CASCADE;
DROP TABLE IF EXISTS academy.student_enrollments CASCADE;
DROP FUNCTION IF EXISTS academy.prepare_ledger_entry();
DROP FUNCTION IF EXISTS academy.set_attendance_scope();
DROP TYPE IF EXISTS academy.payment_method;
DROP TYPE IF EXISTS academy.ledger_entry_type;
DROP TYPE IF EXISTS academy.attendance_status;
DROP TYPE IF EXISTS academy.enrollment_status;
