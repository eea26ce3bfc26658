"""Translations: pick the user's language, compile its catalogue once, install it.

Sources are Qt Linguist files, ``resources/i18n/academy_desktop_<lang>.ts``, kept up to
date by ``python3 dev.py i18n`` (``pyside6-lupdate`` over the package, then
``pyside6-lrelease``). A build ships the ``.qm`` next to the ``.ts``; a source checkout
has none, so the first run compiles it into the user's cache folder (a few tens of
milliseconds, once per change of the ``.ts``). English is the source language: no
catalogue, no translator. ``ACADEMY_LANG`` (``es``, ``es_ES``; ``en`` for none)
overrides the system's UI languages. Qt's own strings (standard buttons, context menus)
come from the ``qtbase_<lang>.qm`` that PySide6 ships.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

I18N_DIR = Path(__file__).resolve().parents[2] / "resources" / "i18n"
LANG_ENV = "ACADEMY_LANG"
CATALOGUE = "academy_desktop_{}.ts"
#: installed translators: QCoreApplication does not own them, so keep them alive here
_installed: list[QTranslator] = []


def wanted_languages() -> list[str]:
    """``ACADEMY_LANG`` if set, else the system's UI languages, best first."""
    override = os.environ.get(LANG_ENV, "").strip()
    if override:
        return [override]
    return [name.replace("-", "_") for name in QLocale.system().uiLanguages()]


def find_catalogue(languages: list[str], folder: Path = I18N_DIR) -> tuple[str, Path] | None:
    """The first language we have a ``.ts`` for: ``es_MX`` falls back to ``es``."""
    for language in languages:
        for code in dict.fromkeys((language, language.split("_")[0])):
            path = folder / CATALOGUE.format(code)
            if path.exists():
                return code, path
    return None


def compiled(ts: Path, cache: Path | None = None) -> Path | None:
    """A ``.qm`` at least as new as ``ts``: the shipped one, else one compiled into
    ``cache``. None when it cannot be made (no ``lrelease``): the app stays English."""
    shipped = ts.with_suffix(".qm")
    if shipped.exists() and shipped.stat().st_mtime >= ts.stat().st_mtime:
        return shipped
    target = (cache or _cache_dir()) / shipped.name
    if target.exists() and target.stat().st_mtime >= ts.stat().st_mtime:
        return target
    tool = lrelease()
    if tool is None:
        log.warning("no lrelease to compile %s; staying in English", ts.name)
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    # only reviewed (finished) entries: lupdate fills some by guess, marked unfinished
    result = subprocess.run([tool, "-silent", "-nounfinished", str(ts), "-qm", str(target)],
                            capture_output=True, text=True, check=False, timeout=60)
    if result.returncode != 0 or not target.exists():
        log.warning("lrelease failed for %s: %s", ts.name, result.stderr.strip())
        return None
    return target


def lrelease() -> str | None:
    """PySide6's bundled ``lrelease`` (or one on PATH)."""
    import PySide6

    bundled = Path(PySide6.__file__).parent / ("lrelease.exe" if os.name == "nt" else "lrelease")
    if bundled.exists():
        return str(bundled)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def _cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("academy-desktop", "Academy")) / "i18n"


def install_translation(app: QCoreApplication, languages: list[str] | None = None,
                        *, folder: Path = I18N_DIR, cache: Path | None = None) -> str | None:
    """Install our catalogue (and Qt's) for the best language; returns its code.

    Also makes that language the default ``QLocale``, so dates and numbers read in
    the same language as the words around them.
    """
    remove_translation(app)
    found = find_catalogue(languages if languages is not None else wanted_languages(),
                           folder)
    if found is None:
        return None
    code, ts = found
    qm = compiled(ts, cache)
    ours = QTranslator(app)
    if qm is None or not ours.load(str(qm)):
        return None
    app.installTranslator(ours)
    _installed.append(ours)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    QLocale.setDefault(QLocale(code))
    log.info("user interface language: %s (%s)", code, qm)
    return code


def remove_translation(app: QCoreApplication) -> None:
    """Back to the English source strings (tests; a language switch)."""
    while _installed:
        app.removeTranslator(_installed.pop())
    QLocale.setDefault(QLocale.system())
