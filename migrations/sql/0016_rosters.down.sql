-- 0016_rosters down: the instructor readers and the rating functions go, ratings lose
-- their request ids, desk_roster answers instructors again.
DROP FUNCTION IF EXISTS academy.rate_student(uuid, uuid, uuid, integer, uuid);
DROP FUNCTION IF EXISTS academy.roster_criteria(uuid, uuid);
DROP FUNCTION IF EXISTS academy.roster_level(uuid, uuid);
DROP INDEX IF EXISTS academy.student_progress_client_request_id_key;
ALTER TABLE academy.student_progress DROP COLUMN IF EXISTS client_request_id;
DROP FUNCTION IF EXISTS academy.instructor_roster(uuid[], date);
DROP FUNCTION IF EXISTS academy.roster_sessions(date, uuid[]);
DO $do$
BEGIN
    IF to_regprocedure('academy.desk_roster(uuid[], date)') IS NOT NULL THEN
        GRANT EXECUTE ON FUNCTION academy.desk_roster(uuid[], date) TO academy_instructor;
    END IF;
END
$do$;
