"""Light and dark look that follows the operating system's colour scheme.

Fusion style plus our palette and a small style sheet: the same on every platform,
readable at a glance across a busy front desk, and re-applied when the OS switches
between light and dark (``QStyleHints.colorSchemeChanged``).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from academy_desktop.ui import icons


@dataclass(frozen=True)
class Colors:
    window: str
    surface: str
    text: str
    muted: str
    border: str
    accent: str
    accent_text: str
    info: str
    warning: str
    error: str
    nav: str


LIGHT = Colors("#f4f6f9", "#ffffff", "#1d2430", "#5d6778", "#d9dee6", "#1f6feb", "#ffffff",
               "#e7f0ff", "#fff4d6", "#fde7e7", "#eaeef4")
DARK = Colors("#161a20", "#1f252d", "#e6e9ee", "#9aa4b2", "#333b47", "#4c8dff", "#0b1220",
              "#1c2b45", "#3a3017", "#45201f", "#1a1f26")


def is_dark() -> bool:
    scheme = QGuiApplication.styleHints().colorScheme()
    return scheme == Qt.ColorScheme.Dark


def current() -> Colors:
    return DARK if is_dark() else LIGHT


def apply_theme(app: QApplication) -> None:
    """Apply now and again whenever the OS colour scheme changes."""
    app.setStyle("Fusion")
    _apply(app)
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: _apply(app))


def _apply(app: QApplication) -> None:
    colors = current()
    palette = QPalette()
    role = QPalette.ColorRole
    for r, value in ((role.Window, colors.window), (role.Base, colors.surface),
                     (role.AlternateBase, colors.window), (role.WindowText, colors.text),
                     (role.Text, colors.text), (role.ButtonText, colors.text),
                     (role.Button, colors.surface), (role.Highlight, colors.accent),
                     (role.HighlightedText, colors.accent_text),
                     (role.PlaceholderText, colors.muted), (role.ToolTipBase, colors.surface),
                     (role.ToolTipText, colors.text), (role.Link, colors.accent)):
        palette.setColor(r, QColor(value))
    palette.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor(colors.muted))
    palette.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor(colors.muted))
    app.setPalette(palette)
    icons.clear_cache()
    app.setStyleSheet(style_sheet(colors))


def style_sheet(c: Colors) -> str:
    return f"""
QWidget {{ font-size: 10pt; }}
#header {{ background: {c.surface}; border-bottom: 1px solid {c.border}; }}
#appTitle {{ font-size: 13pt; font-weight: 600; }}
#personName {{ font-weight: 600; }}
#muted, QLabel[muted="true"] {{ color: {c.muted}; }}
#roleChip {{ background: {c.info}; color: {c.text}; border-radius: 9px; padding: 2px 10px; }}
#nav {{ background: {c.nav}; border: none; border-right: 1px solid {c.border};
        padding: 8px 6px; outline: 0; }}
#nav::item {{ padding: 8px 10px; border-radius: 6px; margin: 1px 0; }}
#nav::item:selected {{ background: {c.accent}; color: {c.accent_text}; }}
#nav::item:hover:!selected {{ background: {c.border}; }}
#banner {{ border: none; border-bottom: 1px solid {c.border}; }}
#banner[level="info"] {{ background: {c.info}; }}
#banner[level="warning"] {{ background: {c.warning}; }}
#banner[level="error"] {{ background: {c.error}; }}
#card {{ background: {c.surface}; border: 1px solid {c.border}; border-radius: 10px; }}
#cardValue {{ font-size: 22pt; font-weight: 600; }}
#cardLabel {{ color: {c.muted}; }}
#pageTitle {{ font-size: 16pt; font-weight: 600; }}
#sectionTitle {{ font-weight: 600; }}
QPushButton {{ padding: 6px 14px; border: 1px solid {c.border}; border-radius: 6px;
               background: {c.surface}; }}
QPushButton:default, QPushButton[primary="true"] {{ background: {c.accent};
               color: {c.accent_text}; border-color: {c.accent}; }}
QPushButton:disabled {{ color: {c.muted}; }}
QLineEdit, QComboBox, QSpinBox {{ padding: 5px 8px; border: 1px solid {c.border};
               border-radius: 6px; background: {c.surface}; }}
QLineEdit:focus, QComboBox:focus {{ border-color: {c.accent}; }}
QComboBox {{ padding-right: 24px; }}
QComboBox::drop-down {{ subcontrol-origin: padding; subcontrol-position: center right;
               width: 20px; border: none; }}
QComboBox::down-arrow {{ image: url("{icons.tinted_file("chevron-down", c.muted).as_posix()}");
               width: 12px; height: 12px; }}
#locationChip {{ padding: 2px 4px; }}
#locationChip:hover {{ background: transparent; }}
QToolButton {{ padding: 4px 8px; border-radius: 6px; }}
QToolButton:hover {{ background: {c.nav}; }}
#lockScreen {{ background: {c.window}; }}
"""
