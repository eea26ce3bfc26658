-- 0012_desk (placeholder until its work lands).
select 1;
