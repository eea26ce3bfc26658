-- 0006_students down: exactly what the up file created.
DROP POLICY academy_front_desk_delete ON academy.student_parent_relationships;
DROP POLICY academy_super_admin_delete ON academy.student_parent_relationships;
REVOKE DELETE ON academy.student_parent_relationships FROM academy_super_admin, academy_front_desk;
DROP FUNCTION academy.search_people(text, int);
DROP INDEX academy.parents_email_trgm_idx;
DROP INDEX academy.parents_phone_digits_trgm_idx;
DROP INDEX academy.parents_search_name_prefix_idx;
DROP INDEX academy.students_search_name_prefix_idx;
ALTER TABLE academy.parents DROP COLUMN date_of_birth;
