-- 0016_rosters down: the two instructor readers go, desk_roster answers instructors again.
DROP FUNCTION IF EXISTS academy.instructor_roster(uuid[], date);
DROP FUNCTION IF EXISTS academy.roster_sessions(date, uuid[]);
DO $do$
BEGIN
    IF to_regprocedure('academy.desk_roster(uuid[], date)') IS NOT NULL THEN
        GRANT EXECUTE ON FUNCTION academy.desk_roster(uuid[], date) TO academy_instructor;
    END IF;
END
$do$;
