"""Rotating log file for tracebacks and diagnostics - the screen only gets plain words.

Lives in the platformdirs user log dir (``ACADEMY_LOG_DIR`` overrides it for tests).
A filter masks passwords in any DSN that slips into a message.
"""

from __future__ import annotations

import logging
import os
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

LOG_FILE_NAME = "academy-desktop.log"
_DSN_PASSWORD = re.compile(r"(postgres(?:ql)?(?:\+\w+)?://[^:/@\s]+:)[^@\s]+@")
_KV_PASSWORD = re.compile(r"(password\s*=\s*)('[^']*'|\S+)", re.IGNORECASE)


def log_dir() -> Path:
    override = os.environ.get("ACADEMY_LOG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir("Academy Desktop", "Academy"))


def scrub(text: str) -> str:
    """Mask passwords in URL-style and key=value DSNs."""
    return _KV_PASSWORD.sub(r"\1***", _DSN_PASSWORD.sub(r"\1***@", text))


class _ScrubFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_handler: RotatingFileHandler | None = None


def setup_logging(level: int = logging.INFO) -> Path:
    """Attach (once) the rotating file handler to the root logger; return the file path."""
    global _handler
    path = log_dir() / LOG_FILE_NAME
    if _handler is not None and Path(_handler.baseFilename) == path:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    _handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    _handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    _handler.addFilter(_ScrubFilter())
    root.addHandler(_handler)
    root.setLevel(min(root.level or level, level))
    return path


def flush_logs() -> None:
    if _handler is not None:
        _handler.flush()
