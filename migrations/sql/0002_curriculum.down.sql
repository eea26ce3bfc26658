-- Undo 0002_curriculum: drop exactly what 0002_curriculum.up.sql created.
DROP TABLE IF EXISTS academy.equipment_requirements CASCADE;
DROP TABLE IF EXISTS academy.equipment_items CASCADE;
DROP TABLE IF EXISTS academy.assessment_rubric_criteria CASCADE;
DROP TABLE IF EXISTS academy.assessment_rubrics CASCADE;
DROP TABLE IF EXISTS academy.lessons CASCADE;
DROP TABLE IF EXISTS academy.sections CASCADE;
DROP TABLE IF EXISTS academy.modules CASCADE;
DROP TABLE IF EXISTS academy.levels CASCADE;
DROP TABLE IF EXISTS academy.curriculums CASCADE;
DROP TABLE IF EXISTS academy.courses CASCADE;
DROP FUNCTION IF EXISTS academy.cascade_program_id();
DROP FUNCTION IF EXISTS academy.set_program_id_from_parent();
