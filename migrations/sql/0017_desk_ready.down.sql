-- 0017_desk_ready down: the one-round-trip first paint goes; the screen's RLS statements
-- and academy.desk_roster (0014) are untouched by the up and still there.
DROP FUNCTION IF EXISTS academy.desk_first_paint(uuid[], timestamptz, uuid);
