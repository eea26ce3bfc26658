-- 0013_calendar (placeholder until its work lands).
select 1;
