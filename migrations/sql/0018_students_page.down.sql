-- 0018_students_page down: the list page goes back to plain SQL under RLS.
DROP FUNCTION IF EXISTS academy.students_page(text, boolean, uuid, uuid, uuid, boolean, int,
                                              int);
DROP FUNCTION IF EXISTS academy.students_page_body(text, boolean, uuid, uuid, uuid, boolean,
                                                   int, int, boolean, uuid[], uuid[]);
