-- 0015_students_search (placeholder until its work lands).
select 1;
