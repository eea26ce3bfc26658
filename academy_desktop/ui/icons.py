"""Our SVG icons, tinted to the current palette and rendered crisp at every DPI.

One set of single-colour SVGs (``currentColor``) serves light and dark schemes: the
colour is substituted from the palette when the icon is built, and sizes up to 128 px
let Qt pick a sharp pixmap on high-DPI screens.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

ICON_DIR = Path(__file__).resolve().parents[2] / "resources" / "icons"
_SIZES = (16, 20, 24, 32, 48, 64, 128)


def icon_path(name: str) -> Path:
    return ICON_DIR / f"{name}.svg"


def icon(name: str, color: QColor | str | None = None) -> QIcon:
    """``QIcon`` for ``resources/icons/NAME.svg``; a null icon if the file is missing."""
    if color is None:
        palette = QGuiApplication.palette()
        color = palette.color(QPalette.ColorRole.WindowText)
    hex_color = QColor(color).name()
    selected = QGuiApplication.palette().color(QPalette.ColorRole.HighlightedText).name()
    return _build(name, hex_color, selected)


@cache
def _build(name: str, hex_color: str, selected_color: str) -> QIcon:
    path = icon_path(name)
    if not path.exists():
        return QIcon()
    source = path.read_text(encoding="utf-8")
    result = QIcon()
    _add(result, source.replace("currentColor", hex_color), QIcon.Mode.Normal)
    # selected rows (accent background) need the highlighted-text colour to stay legible
    _add(result, source.replace("currentColor", selected_color), QIcon.Mode.Selected)
    return result


def _add(result: QIcon, data: str, mode: QIcon.Mode) -> None:
    renderer = QSvgRenderer(QByteArray(data.encode()))
    for size in _SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        result.addPixmap(pixmap, mode)


def tinted_file(name: str, hex_color: str) -> Path:
    """A copy of icon NAME in ``hex_color`` on disk, for style sheets (``url(...)``)
    which cannot tint an SVG themselves."""
    import tempfile

    folder = Path(tempfile.gettempdir()) / f"academy-desktop-icons-{os.getuid()}" \
        if hasattr(os, "getuid") else Path(tempfile.gettempdir()) / "academy-desktop-icons"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}-{hex_color.lstrip('#')}.svg"
    if not target.exists():
        source = icon_path(name).read_text(encoding="utf-8")
        target.write_text(source.replace("currentColor", hex_color), encoding="utf-8")
    return target


def clear_cache() -> None:
    """Forget tinted icons (call when the colour scheme changes)."""
    _build.cache_clear()
