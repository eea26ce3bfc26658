-- Undo 0008_desk: the desk's functions and its two tables (policies, grants and
-- triggers go with them). Ledger and attendance rows written through them stay.
DROP FUNCTION academy.desk_roster(uuid[], date);
DROP FUNCTION academy.cash_up(uuid, date);
DROP FUNCTION academy.void_entry(uuid, uuid, text);
DROP FUNCTION academy.refund_payment(uuid, uuid, text, text, text);
DROP FUNCTION academy.desk_locked_entry(uuid);
DROP FUNCTION academy.take_payment(uuid, text, text, text, jsonb, text);
DROP FUNCTION academy.desk_check_reference(text);
DROP FUNCTION academy.location_today(uuid);
DROP FUNCTION academy.student_balances(uuid[]);
DROP FUNCTION academy.close_session_attendance(uuid);
DROP FUNCTION academy.undo_check_in(uuid);
DROP FUNCTION academy.check_in(uuid, uuid, text, uuid);
DROP FUNCTION academy.desk_may_use_location(uuid);
DROP FUNCTION academy.ledger_sign(academy.ledger_entry_type, academy.ledger_entry_type);
DROP FUNCTION academy.parse_amount(text);
DROP FUNCTION academy.desk_max_amount();
DROP FUNCTION academy.desk_refuse(text, text);
DROP TABLE academy.payment_receipts;
DROP TABLE academy.attendance_requests;
