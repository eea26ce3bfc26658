-- 0010_security_perf (placeholder until its work lands).
select 1;
