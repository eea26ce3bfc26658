-- Undo 0001_core: drop exactly what 0001_core.up.sql created (partitions go with their
-- parent tables, the student number sequence with students.student_number).
DROP TABLE IF EXISTS academy.student_parent_relationships CASCADE;
DROP TABLE IF EXISTS academy.students CASCADE;
DROP TABLE IF EXISTS academy.data_audit_log CASCADE;
DROP TABLE IF EXISTS academy.auth_audit_log CASCADE;
DROP TABLE IF EXISTS academy.password_reset_tokens CASCADE;
DROP TABLE IF EXISTS academy.parents CASCADE;
DROP TABLE IF EXISTS academy.user_program_assignments CASCADE;
DROP TABLE IF EXISTS academy.user_location_assignments CASCADE;
DROP TABLE IF EXISTS academy.users CASCADE;
DROP TABLE IF EXISTS academy.location_programs CASCADE;
DROP TABLE IF EXISTS academy.programs CASCADE;
DROP TABLE IF EXISTS academy.locations CASCADE;
DROP SEQUENCE IF EXISTS academy.student_number_seq;
DROP TYPE IF EXISTS academy.relationship_kind;
DROP TYPE IF EXISTS academy.user_kind;
DROP FUNCTION IF EXISTS academy.maintain_partitions(int);
DROP FUNCTION IF EXISTS academy.ensure_monthly_partitions(regclass, date, int);
DROP FUNCTION IF EXISTS academy.name_partition_indexes(regclass);
DROP FUNCTION IF EXISTS academy.is_valid_timezone(text);
DROP FUNCTION IF EXISTS academy.normalize_search(text);
DROP FUNCTION IF EXISTS academy.forbid_modification();
DROP FUNCTION IF EXISTS academy.touch_updated_at();
