"""Curriculum editor timings as a program admin under RLS, on a 5,000-node program:
open (programs down to the first level, into the tree model), expand a section, a
drag-and-drop move committed, and its undo (the move back).

Targets (issue 7): open <= 300 ms; expand <= 50 ms; move <= 100 ms; undo <= 100 ms.
Uses its own database on the local server (or ``--url``, a superuser URL), dropped after,
with its login role.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from academy_desktop.db.provisioning import provision_account
from academy_desktop.db.queries import curriculum as q
from academy_desktop.domain.curriculum import NodeKind
from benchmarks._database import drop_database, fresh_migrated, server_url
from benchmarks._harness import SessionRunner, parse_args, percentiles, report, time_calls

SHAPE = {"curriculums": 2, "levels": 7, "modules": 4, "sections": 5, "lessons": 17}  # 5,113 nodes


def _seed(url: str) -> tuple[Any, list[Any]]:
    """One program with SHAPE; returns (program id, section ids)."""
    with psycopg.connect(url, autocommit=True) as conn:

        def ids(query: str, rows: list[tuple[Any, ...]]) -> list[Any]:
            out = []
            for row in rows:
                out.append(conn.execute(query, row).fetchone()[0])  # type: ignore[index]
            return out

        program = ids(
            "insert into academy.programs (code, name) values ('BENCH', 'Bench swim') returning id",
            [()],
        )[0]
        course = ids(
            "insert into academy.courses (program_id, name) values (%s, 'Swim') returning id",
            [(program,)],
        )[0]
        curs = ids(
            "insert into academy.curriculums (course_id, program_id, name, position)"
            " values (%s, %s, %s, %s) returning id",
            [(course, program, f"Age group {i}", i) for i in range(SHAPE["curriculums"])],
        )
        levels = ids(
            "insert into academy.levels (curriculum_id, program_id, level_number, name, position)"
            " values (%s, %s, %s, %s, %s) returning id",
            [
                (c, program, i + 1, f"Level {i + 1}", i)
                for c in curs
                for i in range(SHAPE["levels"])
            ],
        )
        mods = ids(
            "insert into academy.modules (level_id, program_id, name, position)"
            " values (%s, %s, %s, %s)"
            " returning id",
            [(lv, program, f"Module {i}", i) for lv in levels for i in range(SHAPE["modules"])],
        )
        secs = ids(
            "insert into academy.sections (module_id, program_id, name, position)"
            " values (%s, %s, %s, %s)"
            " returning id",
            [(m, program, f"Section {i}", i) for m in mods for i in range(SHAPE["sections"])],
        )
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY academy.lessons (section_id, program_id, name, position) FROM STDIN"
            ) as copy,
        ):
            for n, s in enumerate(secs):
                for i in range(SHAPE["lessons"]):
                    copy.write_row((s, program, f"Lesson {n}.{i}", i))
        conn.execute("ANALYZE")
        return program, secs


def main() -> None:
    args = parse_args("curriculum")
    server = server_url(args.url)
    url = fresh_migrated(server, "academy_bench_curriculum")
    role = f"bench_pa_{secrets.token_hex(3)}"
    try:
        _run(args, url, role)
    finally:  # roles are cluster-wide: a run leaves neither its database nor its login
        drop_database(server, url)
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def _run(args: Any, url: str, role: str) -> None:
    program, sections = _seed(url)
    password = "Bench-" + secrets.token_urlsafe(12)
    with psycopg.connect(url, autocommit=True) as conn:
        provision_account(
            conn,
            role_name=role,
            kind="program_admin",
            password=password,
            display_name="Bench admin",
            program_ids=[program],
        )
    head, db = url.rsplit("/", 1)
    admin = SessionRunner(f"postgresql://{role}:{password}@{head.split('@', 1)[1]}/{db}")
    from PySide6.QtCore import QCoreApplication

    from academy_desktop.models.curriculum_tree import CurriculumTreeModel

    app = QCoreApplication.instance() or QCoreApplication([])  # noqa: F841

    def open_tree() -> None:
        model = CurriculumTreeModel()
        programs = admin.call(q.list_programs)
        model.set_children(None, programs)
        ref = programs[0].ref
        for kind in (NodeKind.COURSE, NodeKind.CURRICULUM, NodeKind.LEVEL):
            nodes = admin.call(lambda s, k=kind, r=ref: q.list_children(s, k, r.id))
            model.set_children(ref, nodes)
            ref = nodes[0].ref

    model = CurriculumTreeModel()
    counter = iter(range(10**9))

    def expand() -> None:
        section = sections[next(counter) % len(sections)]
        model.clear()
        model.set_children(None, [])
        nodes = admin.call(lambda s: q.list_children(s, NodeKind.LESSON, section))
        assert len(nodes) >= SHAPE["lessons"] - 1

    lesson = admin.call(lambda s: q.list_children(s, NodeKind.LESSON, sections[0]))[3]
    moves: list[float] = []
    undos: list[float] = []
    import time

    for _ in range(args.repeat // 4 + 5):
        start = time.perf_counter()
        admin.call(lambda s: q.move_node(s, NodeKind.LESSON, lesson.id, sections[1], 5, None))
        moves.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        admin.call(lambda s: q.move_node(s, NodeKind.LESSON, lesson.id, sections[0], 3, None))
        undos.append((time.perf_counter() - start) * 1000)
    nodes = (
        1
        + 1
        + SHAPE["curriculums"]
        * (
            1
            + SHAPE["levels"]
            * (1 + SHAPE["modules"] * (1 + SHAPE["sections"] * (1 + SHAPE["lessons"])))
        )
    )
    report(
        "curriculum",
        f"{nodes} nodes",
        {
            "open_ms": percentiles(time_calls(open_tree, max(20, args.repeat // 4))),
            "expand_section_ms": percentiles(time_calls(expand, args.repeat)),
            "move_committed_ms": percentiles(moves[5:]),
            "undo_move_ms": percentiles(undos[5:]),
        },
    )
    admin.close()


if __name__ == "__main__":
    main()
