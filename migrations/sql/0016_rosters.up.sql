-- 0016_rosters (placeholder until its work lands).
select 1;
