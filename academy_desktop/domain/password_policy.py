"""The password policy, checked where the password is still known: in the client,
before it is turned into a SCRAM verifier (the server only ever sees the verifier).

Rules: at least ``MIN_LENGTH`` characters (at most ``MAX_LENGTH``), not the account
name (in any case, nor merely decorated with digits/symbols), and not a common password
(again ignoring case and trailing digits/symbols, so ``Password123!`` is refused).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_LENGTH = 10
MAX_LENGTH = 128

#: Frequently breached passwords and keyboard walks (lower case, undecorated).
_COMMON_TEXT = """
password passw0rd p@ssword p@ssw0rd password1 qwerty qwertyuiop qwerty123 asdfgh asdfghjkl
zxcvbnm 1q2w3e4r 1q2w3e4r5t qazwsx qazwsxedc 123456 1234567 12345678 123456789 1234567890
0987654321 111111 000000 123123 654321 abc123 abcdef abcdefgh iloveyou welcome welcome1
letmein monkey dragon football baseball basketball soccer swimming hockey tennis sunshine
princess shadow master superman batman trustno1 whatever freedom starwars admin administrator
changeme secret academy academy123 coach teacher student parent school summer winter spring
autumn hello helloworld login default computer internet michael jennifer charlie
"""
COMMON_PASSWORDS: frozenset[str] = frozenset(_COMMON_TEXT.split())

_DECORATION = re.compile(r"[\d\W_]+$")


@dataclass(frozen=True)
class PasswordProblem:
    """Why a password is refused: a stable ``code`` and an English sentence."""

    code: str  # too_short | too_long | same_as_username | common
    message: str


class PasswordPolicyError(ValueError):
    def __init__(self, problems: list[PasswordProblem]) -> None:
        self.problems = problems
        super().__init__(" ".join(p.message for p in problems))

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


def _core(text: str) -> str:
    """Lower case without trailing digits/symbols: ``Summer2024!`` -> ``summer``."""
    return _DECORATION.sub("", text.strip().lower())


def password_problems(password: str, username: str = "") -> list[PasswordProblem]:
    problems: list[PasswordProblem] = []
    if len(password) < MIN_LENGTH:
        problems.append(PasswordProblem(
            "too_short", f"Use at least {MIN_LENGTH} characters."))
    if len(password) > MAX_LENGTH:
        problems.append(PasswordProblem(
            "too_long", f"Use at most {MAX_LENGTH} characters."))
    lowered = password.strip().lower()
    name = username.strip().lower()
    if name and (lowered == name or _core(password) == name):
        problems.append(PasswordProblem(
            "same_as_username", "The password must not be your account name."))
    elif lowered in COMMON_PASSWORDS or _core(password) in COMMON_PASSWORDS:
        problems.append(PasswordProblem(
            "common", "This password is too common; choose something less guessable."))
    return problems


def check_password(password: str, username: str = "") -> None:
    """Raise ``PasswordPolicyError`` listing every rule the password breaks."""
    problems = password_problems(password, username)
    if problems:
        raise PasswordPolicyError(problems)
