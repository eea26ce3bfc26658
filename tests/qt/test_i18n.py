"""Translations: the Spanish catalogue is compiled and installed like the app does, and
the shell then speaks Spanish; the catalogue claims full coverage only of the contexts
listed in SHELL_CONTEXTS, and a test holds it to that claim."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from academy_desktop.db import login
from academy_desktop.domain.errors import UserFacingError
from academy_desktop.ui import dates, i18n, messages
from academy_desktop.views.main_window import MainWindow
from academy_desktop.views.signin.dialog import SignInDialog
from academy_desktop.views.workspace import registry

ES_TS = i18n.I18N_DIR / "academy_desktop_es.ts"
#: contexts the Spanish catalogue translates completely (the rest is English for now)
SHELL_CONTEXTS = ("SignInDialog", "ChangePasswordDialog", "ResetCodePage", "MainWindow",
                  "LockScreen", "Banner", "BusyIndicator", "HomeWorkspace", "workspaces",
                  "roles", "errors", "ServerDialog", "dates")


@pytest.fixture
def spanish(qapp, tmp_path: Path):
    code = i18n.install_translation(qapp, ["es_ES"], cache=tmp_path / "i18n")
    yield code
    i18n.remove_translation(qapp)


def test_sign_in_dialog_speaks_spanish(qtbot, qloop, settings, spanish) -> None:
    assert spanish == "es"
    dialog = SignInDialog(settings=settings)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Iniciar sesión — Academy Desktop"
    assert dialog.sign_in_button.text() == "Iniciar sesión"
    assert dialog.remember.text() == "Recordar mi contraseña en este equipo"
    assert dialog.reset_link.text() == "Tengo un código de restablecimiento…"
    assert dialog.username.placeholderText() == "Su nombre de usuario"
    assert dialog.profile.itemText(0) == "Servidor de demostración local"
    # and the sign-in refusals it shows
    assert messages.user_message(UserFacingError("tls_required")).startswith(
        "El servidor exige una conexión cifrada (TLS)")
    assert QLocale().language() is QLocale.Language.Spanish  # dates follow the words
    assert dates.format_long_day(dt.date(2026, 11, 29)) == "domingo, 29 de noviembre de 2026"
    assert dates.format_day(dt.date(2026, 11, 29)) == "29 nov 2026"


def test_navigation_and_header_speak_spanish(qtbot, qloop, academy_db, wait_task, settings,
                                             spanish) -> None:
    person = academy_db.add_person("front_desk", locations=("Riverside",))
    runner, identity = wait_task(login.sign_in(academy_db.profile, person.role_name,
                                               person.password))
    settings.set_last_workspace("front_desk", "home")
    window = MainWindow(runner, identity, settings=settings)
    try:
        titles = [window.nav.item(i).text() for i in range(window.nav.count())]
        assert titles[:3] == ["Hoy", "Asistencia", "Alumnos"]
        assert window.role_label.text() == "Recepción"
        assert window.lock_action.text() == "Bloquear"
        assert window.switch_action.text() == "Cambiar de usuario"
    finally:
        wait_task(window.shutdown())
        window.close()


def test_every_registered_workspace_title_is_translated(spanish) -> None:
    specs = {spec.key: spec for spec in _all_specs()}
    assert "home" in specs and "checkin" in specs
    for key, spec in specs.items():
        assert QCoreApplication.translate("workspaces", spec.title) != spec.title, key


def _all_specs():
    from academy_desktop.domain.identity import PersonKind

    return [s for kind in PersonKind for s in registry.for_kind(kind)]


def test_english_or_unknown_languages_install_nothing(qapp, monkeypatch, tmp_path) -> None:
    assert i18n.install_translation(qapp, ["en_US", "en"], cache=tmp_path) is None
    assert i18n.install_translation(qapp, ["C"], cache=tmp_path) is None
    monkeypatch.setenv(i18n.LANG_ENV, "es_MX")
    assert i18n.wanted_languages() == ["es_MX"]
    assert i18n.find_catalogue(i18n.wanted_languages()) == ("es", ES_TS)
    assert QCoreApplication.translate("workspaces", "Today") == "Today"


def test_catalogue_covers_its_claimed_contexts_for_the_current_code(tmp_path) -> None:
    """Re-run lupdate over the package into a copy: a new or changed string in a shell
    context shows up as unfinished here until someone translates it."""
    lupdate = Path(i18n.lrelease() or "").with_name("lupdate")
    if not lupdate.exists():
        pytest.skip("PySide6's lupdate is not available")
    copy = tmp_path / ES_TS.name
    shutil.copyfile(ES_TS, copy)
    root = i18n.I18N_DIR.parents[1]
    sources = sorted(str(p) for p in (root / "academy_desktop").rglob("*.py"))
    subprocess.run([str(lupdate), "-silent", "-locations", "none", *sources, "-ts", str(copy)],
                   check=True, capture_output=True, timeout=120)
    untranslated = []
    for context in re.findall(r"<context>.*?</context>", copy.read_text(), re.S):
        name = re.search(r"<name>(.*?)</name>", context).group(1)
        if name not in SHELL_CONTEXTS:
            continue
        for message in re.findall(r"<message[^>]*>.*?</message>", context, re.S):
            if 'type="unfinished"' in message:
                untranslated.append((name, re.search(r"<source>(.*?)</source>", message,
                                                     re.S).group(1)))
    assert untranslated == []
