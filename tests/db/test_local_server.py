"""The embedded server survives what users do and is closed to password-less TCP."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psutil
import psycopg
import pytest

from academy_desktop.db.local_server import (
    LocalServer,
    LocalServerError,
    memory_settings,
    wait_until_accepting,
)

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("ACADEMY_TEST_DATABASE_URL")),
    reason="embedded server tests only run when the embedded server is in use",
)


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    home = Path(tempfile.mkdtemp(prefix="academy-ls-"))
    home.chmod(0o755)
    os.environ["ACADEMY_LOCAL_PORT"] = "0"
    srv = LocalServer(home, fast_unsafe=True)
    try:
        srv.start()
        yield srv
    finally:
        srv.stop()
        shutil.rmtree(home, ignore_errors=True)


def test_starting_twice_is_a_no_op(server: LocalServer) -> None:
    first = server.status()
    again = server.start()
    assert again.running and again.pid == first.pid and again.port == first.port


def test_superuser_needs_a_password_over_tcp(server: LocalServer) -> None:
    port = server.status().port
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres", connect_timeout=3)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(
            f"postgresql://postgres:wrong@127.0.0.1:{port}/postgres", connect_timeout=3
        )


def test_listens_on_loopback_only(server: LocalServer) -> None:
    with psycopg.connect(server.superuser_url()) as conn:
        addresses = conn.execute("show listen_addresses").fetchone()
        encryption = conn.execute("show password_encryption").fetchone()
    assert addresses == ("127.0.0.1",)
    assert encryption == ("scram-sha-256",)


def test_sized_to_the_machine_and_reloads_its_buffers_after_a_restart(
    server: LocalServer,
) -> None:
    gib = 1024**3
    assert memory_settings(24 * gib)["shared_buffers"] == "'4096MB'"  # capped
    assert memory_settings(8 * gib)["shared_buffers"] == "'2048MB'"  # a quarter
    assert memory_settings(gib // 4)["shared_buffers"] == "'128MB'"  # PostgreSQL's default
    with psycopg.connect(server.superuser_url()) as conn:
        buffers = conn.execute("select setting::bigint * 8192 from pg_settings"
                               " where name = 'shared_buffers'").fetchone()
        libraries = conn.execute("show shared_preload_libraries").fetchone()
    wanted = memory_settings(psutil.virtual_memory().total)["shared_buffers"]
    assert buffers == (int(wanted.strip("'MB")) * 1024 * 1024,)
    assert libraries is not None and "pg_prewarm" in libraries[0]


def test_recovers_from_a_stale_pid_file_after_a_crash(server: LocalServer) -> None:
    pid = server.status().pid
    assert pid is not None
    os.kill(pid, 9)  # a crash: postmaster.pid is left behind
    pid_file = server.data_dir / "postmaster.pid"
    for _ in range(50):
        if not server.status().running:
            break
        import time

        time.sleep(0.1)
    assert pid_file.exists()
    # the dead pid may have been reused by any process: make it point at ours
    lines = pid_file.read_text().splitlines()
    lines[0] = str(os.getpid())
    pid_file.write_text("\n".join(lines) + "\n")
    status = server.start()
    assert status.running and status.pid != pid
    wait_until_accepting(server.superuser_url())


def test_moves_to_a_free_port_when_its_port_is_taken(server: LocalServer) -> None:
    server.stop()
    old_port = server.status().port
    blocker = socket.socket()
    blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    blocker.bind(("127.0.0.1", old_port))
    blocker.listen()
    try:
        status = server.start()
    finally:
        blocker.close()
    assert status.running and status.port != old_port
    wait_until_accepting(server.superuser_url())


def test_refuses_a_data_directory_from_another_major_version(server: LocalServer) -> None:
    server.stop()
    version_file = server.data_dir / "PG_VERSION"
    real = version_file.read_text()
    version_file.write_text("11\n")
    try:
        with pytest.raises(LocalServerError, match="PostgreSQL 11"):
            server.start()
        assert (server.data_dir / "base").is_dir(), "nothing may be deleted"
    finally:
        version_file.write_text(real)
    assert server.start().running
