"""One student at a glance: header, alerts the desk cannot miss, and every panel
(family, enrollments, upcoming sessions, attendance, progress, balance).

Read-only here; editing lives in ``editor.py``. Lists are small and fixed per student,
so plain tree widgets (no paging model) hold them.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QDate,
    QDateTime,
    QIODevice,
    QLocale,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.domain.students import AlertKind, StudentDetail, age_on
from academy_desktop.domain.validation import RELATIONSHIPS, display_phone
from academy_desktop.models.ledger import money

ALERT_STYLE = ("QLabel#studentAlert { background: #b3261e; color: white; font-weight: 600;"
               " border-radius: 6px; padding: 8px 12px; }"
               "QLabel#studentNotice { background: #8a5a00; color: white; font-weight: 600;"
               " border-radius: 6px; padding: 8px 12px; }")


PHOTO_SIDE = 96  # shown
PHOTO_STORED = 320  # longest side kept in the database (a few dozen KB as JPEG)


def scaled_photo(path: Path) -> bytes:
    """The image at ``path`` scaled to PHOTO_STORED as JPEG bytes (run off the GUI thread:
    QImage, not QPixmap). ValueError when it is not an image Qt can read."""
    image = QImage(str(path))
    if image.isNull():
        raise ValueError(f"not an image: {path.name}")
    if max(image.width(), image.height()) > PHOTO_STORED:
        image = image.scaled(PHOTO_STORED, PHOTO_STORED, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.convertToFormat(QImage.Format.Format_RGB32).save(buffer, "JPEG", 85)
    buffer.close()
    return bytes(data.data())


def stars(count: int, out_of: int = 3) -> str:
    return "★" * count + "☆" * (out_of - count)


# Explicit patterns: the locale's ShortFormat is "29 11 2026" under the C locale (tests,
# offscreen) and ambiguous (11/12 or 12/11) elsewhere; month names read the same anywhere.
DAY_PATTERN = "d MMM yyyy"
WHEN_PATTERN = "ddd d MMM · HH:mm"


def format_day(locale: QLocale, day: date | None) -> str:
    """A calendar date as the desk reads it ("29 Nov 2026"), in the user's language."""
    if day is None:
        return ""
    return locale.toString(QDate(day.year, day.month, day.day), DAY_PATTERN)


def format_when(locale: QLocale, moment: datetime) -> str:
    """A session start in the computer's time zone ("Sun 29 Nov · 16:30")."""
    local = moment.astimezone()
    return locale.toString(QDateTime(QDate(local.year, local.month, local.day),
                                     QTime(local.hour, local.minute)), WHEN_PATTERN)


class Section(QWidget):
    """A titled list sized to its rows, with a muted line when it is empty."""

    def __init__(self, title: str, headers: list[str], empty_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(title, self)
        self.title.setObjectName("personName")
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(headers)
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.setAccessibleName(title)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.tree.header().setStretchLastSection(True)
        self.empty = QLabel(empty_text, self)
        self.empty.setProperty("muted", True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.tree)
        layout.addWidget(self.empty)

    def set_rows(self, rows: list[list[str]], keys: list[object] | None = None) -> None:
        self.tree.clear()
        for index, values in enumerate(rows):
            item = QTreeWidgetItem(self.tree, values)
            if keys is not None:
                item.setData(0, Qt.ItemDataRole.UserRole, keys[index])
        for column in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)
        self.tree.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        row_height = self.tree.sizeHintForRow(0) if rows else 0
        if row_height <= 0:
            row_height = self.tree.fontMetrics().height() + 6
        header = self.tree.header().sizeHint().height()
        scroll = self.tree.horizontalScrollBar().sizeHint().height()
        self.tree.setFixedHeight(header + row_height * len(rows) + scroll + 4)

    def row_texts(self) -> list[list[str]]:
        tree = self.tree
        return [[tree.topLevelItem(i).text(c) for c in range(tree.columnCount())]
                for i in range(tree.topLevelItemCount())]


class LinkBar(QWidget):
    """Link an existing parent by phone or email; unlink the selected one."""

    link_wanted = Signal(str, str)  # phone or email, relationship
    unlink_wanted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.contact = QLineEdit(self)
        self.contact.setPlaceholderText(self.tr("Phone or email of a parent on file"))
        self.contact.setAccessibleName(self.tr("Parent to link"))
        self.relationship = QComboBox(self)
        for value in RELATIONSHIPS:
            self.relationship.addItem(self.tr(value.title()), value)
        self.link_button = QPushButton(self.tr("&Link parent"), self)
        self.unlink_button = QPushButton(self.tr("&Unlink selected"), self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.contact, self.relationship, self.link_button, self.unlink_button):
            row.addWidget(widget)
        self.link_button.clicked.connect(self._link)
        self.contact.returnPressed.connect(self._link)
        self.unlink_button.clicked.connect(self.unlink_wanted)

    def _link(self) -> None:
        if self.contact.text().strip():
            self.link_wanted.emit(self.contact.text().strip(), self.relationship.currentData())


class StudentPanel(QScrollArea):
    """The right-hand side of the students workspace."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.detail: StudentDetail | None = None
        body = QWidget(self)
        body.setStyleSheet(ALERT_STYLE)
        self.name = QLabel(body)
        self.name.setObjectName("pageTitle")
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.photo = QLabel(body)
        self.photo.setFixedSize(PHOTO_SIDE, PHOTO_SIDE)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setStyleSheet("background: #e7e0ec; border-radius: 8px; color: #49454f;"
                                 " font-size: 28px; font-weight: 600;")
        self.photo.setAccessibleName(self.tr("Photo"))
        self.photo_button = QPushButton(self.tr("&Photo…"), body)
        self.remove_photo_button = QPushButton(self.tr("Remove photo"), body)
        self.facts = QLabel(body)
        self.facts.setProperty("muted", True)
        self.facts.setWordWrap(True)
        self.edit_button = QPushButton(self.tr("&Edit"), body)
        self.archive_button = QPushButton(self.tr("Archive"), body)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.archive_button)
        buttons.addWidget(self.photo_button)
        buttons.addWidget(self.remove_photo_button)
        buttons.addStretch(1)
        self.alerts = QVBoxLayout()
        self.alerts.setSpacing(6)
        self.editor_slot = QVBoxLayout()
        self.profile = QLabel(body)
        self.profile.setWordWrap(True)
        self.profile.setTextFormat(Qt.TextFormat.PlainText)
        self.family = Section(self.tr("Family"), [self.tr("Name"), self.tr("Relationship"),
                              self.tr("Roles"), self.tr("Phone"), self.tr("Email")],
                              self.tr("No parent or guardian on file."), body)
        self.link_bar = LinkBar(body)
        self.enrollments = Section(self.tr("Enrollments"), [self.tr("Program"),
                                   self.tr("Curriculum"), self.tr("Level"), self.tr("Status"),
                                   self.tr("Since")], self.tr("Not enrolled."), body)
        self.upcoming = Section(self.tr("Upcoming sessions"), [self.tr("When"),
                                self.tr("Session"), self.tr("Location"), self.tr("Booking")],
                                self.tr("No upcoming sessions."), body)
        self.attendance = Section(self.tr("Attendance"), [self.tr("Date"), self.tr("Session"),
                                  self.tr("Status")], self.tr("No attendance yet."), body)
        self.progress = Section(self.tr("Progress"), [self.tr("Level"), self.tr("Skill"),
                                self.tr("Stars")], self.tr("No assessments yet."), body)
        self.balance = QLabel(body)
        self.balance.setObjectName("personName")
        self.ledger = Section(self.tr("Recent transactions"), [self.tr("Date"), self.tr("Type"),
                              self.tr("Amount"), self.tr("Description")],
                              self.tr("No transactions."), body)
        self.placeholder = QLabel(self.tr("Search or pick a student to see everything about "
                                          "them here."), body)
        self.placeholder.setProperty("muted", True)
        self.placeholder.setWordWrap(True)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.addWidget(self.placeholder)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.name)
        titles.addWidget(self.facts)
        titles.addStretch(1)
        header.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(titles, 1)
        layout.addLayout(header)
        layout.addLayout(self.alerts)
        layout.addLayout(buttons)
        layout.addLayout(self.editor_slot)
        layout.addWidget(self.profile)
        layout.addWidget(self.family)
        layout.addWidget(self.link_bar)
        for section in (self.enrollments, self.upcoming, self.attendance, self.progress):
            layout.addWidget(section)
        layout.addWidget(self.balance)
        layout.addWidget(self.ledger)
        layout.addStretch(1)
        self.setWidget(body)
        self._content = [self.photo, self.photo_button, self.name, self.facts, self.edit_button,
                         self.archive_button,
                         self.profile, self.family, self.link_bar, self.enrollments, self.upcoming,
                         self.attendance, self.progress, self.balance, self.ledger]
        self.clear()

    def clear(self) -> None:
        self.detail = None
        self._clear_alerts()
        for widget in self._content:
            widget.setVisible(False)
        self.remove_photo_button.setVisible(False)
        self.placeholder.setVisible(True)

    def _clear_alerts(self) -> None:
        while self.alerts.count():
            item = self.alerts.takeAt(0)
            if item.widget():
                item.widget().deleteLater()

    def selected_parent(self) -> object | None:
        item = self.family.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def alert_texts(self) -> list[str]:
        return [self.alerts.itemAt(i).widget().text() for i in range(self.alerts.count())]

    def show_detail(self, detail: StudentDetail, today: date | None = None) -> None:
        today = today or date.today()
        self.detail = detail
        p = detail.profile
        locale = QLocale()
        self.placeholder.setVisible(False)
        for widget in self._content:
            widget.setVisible(True)
        shown = p.full_name + (f" ({p.preferred_name})" if p.preferred_name else "")
        self.name.setText(shown)
        age = age_on(p.date_of_birth, today)
        facts = [p.student_number]
        if p.date_of_birth:
            born = format_day(locale, p.date_of_birth)
            facts.append(self.tr("%1 years · born %2").replace("%1", str(age)).replace("%2", born))
        facts += [p.location_name] + ([p.program_name] if p.program_name else [])
        self.facts.setText(" · ".join(facts))
        self._show_photo(detail)
        self._show_alerts(detail, locale)
        self.archive_button.setText(self.tr("Archive") if p.is_active else self.tr("Restore"))
        lines = []
        if p.allergies:
            lines.append(self.tr("Allergies: %1").replace("%1", p.allergies))
        if p.medical_notes:
            lines.append(self.tr("Medical: %1").replace("%1", p.medical_notes))
        if p.school:
            lines.append(self.tr("School: %1").replace("%1", p.school))
        if p.notes:
            lines.append(self.tr("Notes: %1").replace("%1", p.notes))
        self.profile.setText("\n".join(lines))
        self.profile.setVisible(bool(lines))
        self._fill_sections(detail, locale)

    def _show_photo(self, detail: StudentDetail) -> None:
        """The stored photo, or the initials on a tile (never an empty box)."""
        pixmap = QPixmap()
        if detail.photo and pixmap.loadFromData(detail.photo):
            self.photo.setPixmap(pixmap.scaled(
                PHOTO_SIDE, PHOTO_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        else:
            p = detail.profile
            self.photo.setPixmap(QPixmap())
            self.photo.setText((p.first_name[:1] + p.last_name[:1]).upper())
        self.remove_photo_button.setVisible(bool(detail.photo))

    def has_photo_shown(self) -> bool:
        return not self.photo.pixmap().isNull()

    def _show_alerts(self, detail: StudentDetail, locale: QLocale) -> None:
        self._clear_alerts()
        p = detail.profile
        texts = {
            AlertKind.MEDICAL: "⚠ " + self.tr("Medical: %1").replace(
                "%1", "; ".join(t for t in (p.allergies, p.medical_notes) if t)),
            AlertKind.BALANCE_DUE: "⚠ " + self.tr("Balance due: %1").replace(
                "%1", money(detail.balance, detail.currency)),
            AlertKind.NO_PICKUP: "⚠ " + self.tr("No authorised pickup on file"),
            AlertKind.ARCHIVED: self.tr("Archived student"),
        }
        for kind in detail.alerts():
            label = QLabel(texts[kind], self.widget())
            label.setObjectName("studentNotice" if kind is AlertKind.ARCHIVED else "studentAlert")
            label.setWordWrap(True)
            label.setAccessibleName(texts[kind])
            self.alerts.addWidget(label)

    def _word(self, status: str) -> str:
        """A stored status ("no_show", "booked") as the desk reads it ("No show")."""
        words = {"active": self.tr("Active"), "completed": self.tr("Completed"),
                 "booked": self.tr("Booked"), "cancelled": self.tr("Cancelled"),
                 "attended": self.tr("Attended"), "no_show": self.tr("No show"),
                 "present": self.tr("Present"), "absent": self.tr("Absent"),
                 "late": self.tr("Late"), "excused": self.tr("Excused"),
                 "charge": self.tr("Charge"), "payment": self.tr("Payment"),
                 "credit": self.tr("Credit"), "refund": self.tr("Refund"),
                 "void": self.tr("Void"), "adjustment": self.tr("Adjustment")}
        return words.get(status, status.replace("_", " ").capitalize())

    def _fill_sections(self, d: StudentDetail, locale: QLocale) -> None:

        def roles(link) -> str:  # type: ignore[no-untyped-def]
            flags = [(link.is_primary_contact, self.tr("Primary")),
                     (link.is_emergency_contact, self.tr("Emergency")),
                     (link.can_pickup, self.tr("Pickup"))]
            return ", ".join(text for on, text in flags if on)

        self.family.set_rows([[f.full_name, self.tr(f.relationship.title()), roles(f),
                               display_phone(f.phone), f.email or ""] for f in d.family],
                              [f.parent_id for f in d.family])
        self.enrollments.set_rows([[e.program, e.curriculum, e.level or "", self._word(e.status),
                                    format_day(locale, e.enrolled_on)]
                                   for e in d.enrollments])
        self.upcoming.set_rows([[format_when(locale, s.starts_at), s.title,
                                 s.location, self._word(s.status)] for s in d.upcoming])
        self.attendance.set_rows([[format_day(locale, a.day), a.title, self._word(a.status)]
                                  for a in d.attendance])
        self.progress.set_rows([[g.level, g.criterion, stars(g.stars)] for g in d.progress])
        self.balance.setText(self.tr("Balance: %1").replace(
            "%1", money(d.balance, d.currency)))
        self.ledger.set_rows([[format_day(locale, t.day), self._word(t.entry_type),
                               money(t.signed_amount, t.currency),
                               t.description or ""] for t in d.transactions])
