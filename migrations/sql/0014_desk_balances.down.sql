-- 0014_desk_balances (placeholder until its work lands).
select 1;
