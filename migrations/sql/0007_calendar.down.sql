-- Undo 0007_calendar: exactly what its up file created.
DROP FUNCTION academy.generate_pattern_sessions(uuid, timestamptz[]);
DROP FUNCTION academy.check_occurrences(uuid, uuid, uuid, timestamptz[], timestamptz[], uuid);
DROP FUNCTION academy.cancel_booking(uuid, date, text);
DROP FUNCTION academy.book_session(uuid, uuid, uuid, boolean);
DROP TRIGGER sessions_capacity_promote ON academy.sessions;
DROP FUNCTION academy.sessions_capacity_promote();
DROP FUNCTION academy.promote_waitlist(uuid);
DROP TRIGGER session_bookings_waitlist_order ON academy.session_bookings;
DROP FUNCTION academy.enforce_waitlist_order();
DROP FUNCTION academy.calendar_may_book_student(uuid);
DROP FUNCTION academy.calendar_may_manage(uuid, uuid);
DROP TABLE academy.location_closures;
