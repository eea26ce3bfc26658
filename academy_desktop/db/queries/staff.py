"""Staff & access: the super admin's list of staff logins and the account actions.

Every change goes through the security engineer's SECURITY DEFINER functions
(``academy.create_staff_account``, ``disable_account``, ``enable_account``,
``unlock_account``, ``issue_reset_code``), which re-check that the caller is a super
admin. A new password leaves this process only as a SCRAM verifier computed by libpq.
The small DTOs live here (not in ``domain/``) because only this screen uses them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from academy_desktop.domain.errors import ErrorKind, UserFacingError
from academy_desktop.domain.password_policy import PasswordPolicyError, check_password

STAFF_KINDS = ("super_admin", "program_admin", "front_desk", "instructor")
#: the server's academy.check_role_name rule, checked here first for a quick answer
ROLE_NAME = re.compile(r"^[a-z][a-z0-9_]{2,62}$")
RESERVED = re.compile(r"^(pg_|academy_)")


@dataclass(frozen=True, slots=True)
class StaffAccount:
    user_id: UUID
    role_name: str
    full_name: str
    kind: str
    email: str | None
    locations: tuple[str, ...]
    programs: tuple[str, ...]
    is_active: bool
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None
    must_change_password: bool

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


@dataclass(frozen=True, slots=True)
class Choice:
    id: UUID
    name: str


@dataclass(frozen=True, slots=True)
class NewStaffAccount:
    role_name: str
    full_name: str
    kind: str
    password: str
    email: str | None = None
    location_ids: tuple[UUID, ...] = ()
    program_ids: tuple[UUID, ...] = ()


def role_name_problem(role_name: str) -> str | None:
    """Why the server would refuse this account name (English source text), or None."""
    if not ROLE_NAME.match(role_name):
        return ("Use 3-63 lower-case letters, digits or _, starting with a letter.")
    if RESERVED.match(role_name) or role_name in ("postgres", "public", "none"):
        return "That name is reserved."
    return None


_LIST = """
select u.id, u.role_name, u.full_name, u.kind::text as kind, u.email::text as email,
       u.is_active, u.locked_until, u.last_login_at, u.must_change_password,
       coalesce((select array_agg(l.name order by l.name)
                   from academy.user_location_assignments a
                   join academy.locations l on l.id = a.location_id
                  where a.user_id = u.id), '{}') as locations,
       coalesce((select array_agg(p.name order by p.name)
                   from academy.user_program_assignments a
                   join academy.programs p on p.id = a.program_id
                  where a.user_id = u.id), '{}') as programs
  from academy.users u
 order by u.is_active desc, u.full_name, u.role_name
"""


async def list_staff(session: AsyncSession) -> list[StaffAccount]:
    rows = (await session.execute(text(_LIST))).mappings().all()
    return [StaffAccount(
        user_id=r["id"], role_name=r["role_name"], full_name=r["full_name"], kind=r["kind"],
        email=r["email"], locations=tuple(r["locations"]), programs=tuple(r["programs"]),
        is_active=r["is_active"],
        locked_until=r["locked_until"] if r["locked_until"] and r["locked_until"] > _now()
        else None,
        last_login_at=r["last_login_at"], must_change_password=r["must_change_password"],
    ) for r in rows]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def scope_choices(session: AsyncSession) -> tuple[list[Choice], list[Choice]]:
    """All locations and programs (a super admin sees them all)."""
    locations = (await session.execute(
        text("select id, name from academy.locations order by name"))).all()
    programs = (await session.execute(
        text("select id, name from academy.programs order by name"))).all()
    return [Choice(r[0], r[1]) for r in locations], [Choice(r[0], r[1]) for r in programs]


async def _verifier(session: AsyncSession, role_name: str, password: str) -> str:
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    pgconn = raw.driver_connection.pgconn  # type: ignore[union-attr]
    return str(pgconn.encrypt_password(password.encode(), role_name.encode(),
                                       b"scram-sha-256").decode("ascii"))


async def create_staff_account(session: AsyncSession, account: NewStaffAccount) -> UUID:
    """Create a login that must choose its own password at first sign-in.

    Raises ``UserFacingError`` (``account_invalid``, ``password_rejected``) before asking
    the server; the server re-checks everything.
    """
    problem = role_name_problem(account.role_name)
    if problem:
        raise UserFacingError(ErrorKind.INVALID_INPUT, "account_invalid", detail=problem)
    if account.kind not in STAFF_KINDS:
        raise UserFacingError(ErrorKind.INVALID_INPUT, "account_invalid",
                              detail=f"unknown staff kind {account.kind!r}")
    try:
        check_password(account.password, account.role_name)
    except PasswordPolicyError as error:
        raise UserFacingError(ErrorKind.PASSWORD_REJECTED, detail=str(error)) from error
    verifier = await _verifier(session, account.role_name, account.password)
    exists = (await session.execute(text(
        "select exists (select 1 from academy.users where role_name = :r)"
        " or exists (select 1 from pg_catalog.pg_roles where rolname = :r)"),
        {"r": account.role_name})).scalar_one()
    if exists:  # create_staff_account would update it: never overwrite someone's login
        raise UserFacingError(ErrorKind.INVALID_INPUT, "account_exists", role=account.role_name)
    row = (await session.execute(text(
        "select academy.create_staff_account(:role, :kind, :verifier, :name, :email,"
        " cast(:locations as uuid[]), cast(:programs as uuid[]), null, true)"),
        {"role": account.role_name, "kind": account.kind, "verifier": verifier,
         "name": account.full_name, "email": account.email or None,
         "locations": list(account.location_ids), "programs": list(account.program_ids)},
    )).scalar_one()
    return UUID(str(row))


async def set_active(session: AsyncSession, role_name: str, active: bool) -> None:
    statement = ("select academy.enable_account(:r)" if active
                 else "select academy.disable_account(:r)")
    await session.execute(text(statement), {"r": role_name})


async def unlock(session: AsyncSession, role_name: str) -> None:
    await session.execute(text("select academy.unlock_account(:r)"), {"r": role_name})


async def issue_reset_code(session: AsyncSession, role_name: str) -> str:
    """A one-time code (30 minutes) to show once; the server keeps only its hash."""
    return str((await session.execute(
        text("select academy.issue_reset_code(:r)"), {"r": role_name})).scalar_one())
