-- 0006_students down: exactly what the up file created.
DROP FUNCTION academy.search_people(text, int);
DROP INDEX academy.parents_email_trgm_idx;
DROP INDEX academy.parents_phone_digits_trgm_idx;
DROP INDEX academy.parents_search_name_prefix_idx;
DROP INDEX academy.students_search_name_prefix_idx;
ALTER TABLE academy.parents DROP COLUMN date_of_birth;
