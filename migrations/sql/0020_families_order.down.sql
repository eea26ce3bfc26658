DROP INDEX IF EXISTS academy.parents_name_order_idx;
