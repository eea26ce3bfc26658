"""A TLS-only server: a cluster of its own with a self-signed certificate and a
pg_hba.conf that accepts ``hostssl`` only (the session-wide test server stays as it is).

Proves the sign-in's "TLS required" sentence (profile TLS mode ``disable``) and that the
same person signs in with ``require``. The cluster runs the machine's PostgreSQL 15
(the floor; the embedded wheel has no SSL) and runs *without* pg_stat_statements
preloaded, so the Database health query shows that it degrades to pg_stat_activity there.
"""

from __future__ import annotations

import dataclasses
import datetime
import ipaddress
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from academy_desktop.db import login, migrate
from academy_desktop.db.local_server import LocalServer, wait_until_accepting
from academy_desktop.db.profiles import Profile, ProfileStore
from academy_desktop.db.provisioning import provision_account, set_gatekeeper_password
from academy_desktop.db.queries import health
from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.ui import messages
from academy_desktop.views.signin.dialog import SignInDialog
from tests.conftest import RUN_ID
from tests.qt.conftest import GATEKEEPER_PASSWORD

HBA_SSL_ONLY = ("hostssl all all 127.0.0.1/32 scram-sha-256",)
#: The embedded wheel's PostgreSQL is built without SSL ("SSL is not supported by this
#: build"); the machine's Debian PostgreSQL 15 has it, and 15 is our floor.
SSL_BIN_DIR = Path(os.environ.get("ACADEMY_TLS_PG_BIN", "/usr/lib/postgresql/15/bin"))


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "test.crt", folder / "test.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@dataclasses.dataclass
class TlsWorld:
    server: LocalServer
    profile: Profile  # TLS mode "require"
    people: dict[str, tuple[str, str]]  # kind -> (role, password)


@pytest.fixture(scope="module")
def tls_world() -> Iterator[TlsWorld]:
    if not (SSL_BIN_DIR / "postgres").exists():
        pytest.skip(f"no SSL-capable PostgreSQL in {SSL_BIN_DIR} (ACADEMY_TLS_PG_BIN)")
    home = Path(tempfile.mkdtemp(prefix="academy-tls-pg-"))
    home.chmod(0o755)  # the unprivileged server account must reach it when we are root
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ACADEMY_LOCAL_PORT", "0")  # any free port
        server = LocalServer(home, fast_unsafe=True, tls_files=_self_signed(home),
                             hba_lines=HBA_SSL_ONLY,
                             settings={"shared_preload_libraries": "'auth_delay'"},
                             bin_dir=SSL_BIN_DIR)
        try:
            server.start()
            yield _populate(server)
        finally:
            try:
                server.stop()
            finally:
                shutil.rmtree(home, ignore_errors=True)


def _populate(server: LocalServer) -> TlsWorld:
    admin_url = server.superuser_url() + "?sslmode=require"
    wait_until_accepting(admin_url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("create database academy")
    url = server.superuser_url("academy") + "?sslmode=require"
    migrate.upgrade(url)
    people = {}
    with psycopg.connect(url, autocommit=True) as conn:
        set_gatekeeper_password(conn, GATEKEEPER_PASSWORD)
        location = conn.execute("insert into academy.locations (code, name)"
                                " values ('TLS', 'Riverside') returning id").fetchone()[0]
        for kind in ("front_desk", "super_admin"):
            role, password = f"tls_{kind[:5]}_{RUN_ID}", "Pw-" + secrets.token_urlsafe(12)
            provision_account(conn, role_name=role, kind=kind, password=password,
                              display_name=f"TLS {kind}", location_ids=[location])
            people[kind] = (role, password)
    info = server.connection_info()
    return TlsWorld(server, Profile("tls", info.host, info.port, "academy", "require"), people)


def test_plain_connection_is_refused_with_the_tls_sentence(wait_task, tls_world) -> None:
    role, password = tls_world.people["front_desk"]
    plain = dataclasses.replace(tls_world.profile, sslmode="disable")
    with pytest.raises(UserFacingError) as caught:
        wait_task(login.sign_in(plain, role, password))
    assert caught.value.code is ErrorKind.TLS_REQUIRED
    text = messages.user_message(caught.value)
    assert "requires an encrypted (TLS) connection" in text and '"require"' in text


def test_require_signs_in(wait_task, tls_world) -> None:
    role, password = tls_world.people["front_desk"]
    runner, identity = wait_task(login.sign_in(tls_world.profile, role, password))
    try:
        assert identity.role_name == role
        used_ssl = wait_task(runner.run(lambda s: _scalar(
            s, "select ssl from pg_stat_ssl where pid = pg_backend_pid()")))
        assert used_ssl is True
    finally:
        wait_task(runner.aclose())


def test_dialog_says_tls_required(qtbot, qloop, settings, tls_world) -> None:
    role, password = tls_world.people["front_desk"]
    ProfileStore().upsert(dataclasses.replace(tls_world.profile, sslmode="disable"))
    dialog = SignInDialog(settings=settings)
    qtbot.addWidget(dialog)
    dialog.select_profile("tls")
    dialog.open()
    dialog.username.setText(role)
    qtbot.keyClicks(dialog.password, password)
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: bool(dialog.banner.text), timeout=15000)
    assert dialog.banner.text == messages.user_message(UserFacingError("tls_required"))
    assert dialog.result() == 0  # still open, nobody signed in


def test_health_without_preloaded_pg_stat_statements_degrades(wait_task, tls_world) -> None:
    role, password = tls_world.people["super_admin"]
    runner, _ = wait_task(login.sign_in(tls_world.profile, role, password))
    try:
        report = wait_task(runner.run(health.fetch_health))
    finally:
        wait_task(runner.aclose())
    assert report.slow_source == "pg_stat_activity"
    assert report.slow_queries is not None  # the fallback still answers
    assert report.connections is not None and report.connections >= 1


async def _scalar(session: object, sql: str) -> object:
    from sqlalchemy import text

    return (await session.execute(text(sql))).scalar_one()  # type: ignore[attr-defined]
