-- 0011_students (placeholder until its work lands).
select 1;
