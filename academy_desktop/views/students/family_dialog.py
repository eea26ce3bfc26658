""""New family" in one dialog: parents and children, validated field by field, an existing
parent with the same phone or email offered for linking, saved in one transaction.

Opened with ``open()`` (never ``exec()`` inside a coroutine); ``family_saved`` carries
the new children's ids.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from academy_desktop.domain.students import Choice, PersonRow
from academy_desktop.domain.validation import (
    RELATIONSHIPS,
    ChildDraft,
    ParentDraft,
    ValidationFailed,
    normalise_phone,
    validate_family,
)
from academy_desktop.ui.aio import async_slot
from academy_desktop.views.students.fields import ERROR_STYLE, Field, show_issues


class ParentForm(QFrame):
    contact_finished = Signal(object)  # self

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.linked: PersonRow | None = None
        self.offer: PersonRow | None = None
        self.dismissed: set[UUID] = set()
        self.fields = {key: Field(text, parent=self) for key, text in (
            ("first_name", self.tr("First name")), ("last_name", self.tr("Last name")),
            ("phone", self.tr("Phone")), ("email", self.tr("Email")),
            ("date_of_birth", self.tr("Date of birth (optional, YYYY-MM-DD)")))}
        self.relationship = QComboBox(self)
        for value in RELATIONSHIPS:
            self.relationship.addItem(self.tr(value.title()), value)
        self.relationship.setAccessibleName(self.tr("Relationship"))
        self.offer_label = QLabel(self)
        self.offer_label.setWordWrap(True)
        self.offer_label.setStyleSheet("font-weight: 600;")
        self.link_button = QPushButton(self.tr("&Link to this parent"), self)
        self.keep_button = QPushButton(self.tr("Keep as a new parent"), self)
        self.unlink_button = QPushButton(self.tr("Unlink"), self)
        grid = QGridLayout(self)
        grid.addWidget(self.fields["first_name"], 0, 0)
        grid.addWidget(self.fields["last_name"], 0, 1)
        grid.addWidget(self.relationship, 0, 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.fields["phone"], 1, 0)
        grid.addWidget(self.fields["email"], 1, 1)
        grid.addWidget(self.fields["date_of_birth"], 1, 2)
        offer_row = QHBoxLayout()
        offer_row.addWidget(self.offer_label, 1)
        offer_row.addWidget(self.link_button)
        offer_row.addWidget(self.keep_button)
        offer_row.addWidget(self.unlink_button)
        grid.addLayout(offer_row, 2, 0, 1, 3)
        self.link_button.clicked.connect(self.accept_offer)
        self.keep_button.clicked.connect(self.dismiss_offer)
        self.unlink_button.clicked.connect(self.unlink)
        # look for a twin shortly after typing stops, and when the field is left
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(400)
        self._pause.timeout.connect(lambda: self.contact_finished.emit(self))
        for key in ("phone", "email"):
            self.fields[key].input.textEdited.connect(self._pause.start)
            self.fields[key].input.editingFinished.connect(self._pause.timeout.emit)
        self._show_offer_state()

    def draft(self) -> ParentDraft:
        v = {key: field.text() for key, field in self.fields.items()}
        return ParentDraft(v["first_name"], v["last_name"], v["phone"], v["email"],
                           self.relationship.currentData(), v["date_of_birth"],
                           self.linked.id if self.linked else None)

    def contacts(self) -> tuple[str | None, str | None]:
        phone = normalise_phone(self.fields["phone"].text().strip())
        email = self.fields["email"].text().strip() or None
        return phone, email

    def offer_match(self, match: PersonRow) -> None:
        if self.linked is None and match.id not in self.dismissed:
            self.offer = match
            self._show_offer_state()

    def accept_offer(self) -> None:
        if self.offer is not None:
            self.linked, self.offer = self.offer, None
            self._show_offer_state()

    def dismiss_offer(self) -> None:
        if self.offer is not None:
            self.dismissed.add(self.offer.id)
            self.offer = None
            self._show_offer_state()

    def unlink(self) -> None:
        self.linked = None
        self._show_offer_state()

    def _show_offer_state(self) -> None:
        who = self.linked or self.offer
        if who is not None:
            contact = " · ".join(x for x in (who.phone, who.email, who.location_name) if x)
            kids = self.tr(" — children: %1").replace("%1", who.family) if who.family else ""
            prefix = (self.tr("Linked to existing parent:") if self.linked
                      else self.tr("Already on file — same phone or email:"))
            self.offer_label.setText(f"{prefix} {who.first_name} {who.last_name} ({contact}){kids}")
        self.offer_label.setVisible(who is not None)
        self.link_button.setVisible(self.offer is not None)
        self.keep_button.setVisible(self.offer is not None)
        self.unlink_button.setVisible(self.linked is not None)
        for field in self.fields.values():
            field.setEnabled(self.linked is None)


class ChildForm(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.fields = {key: Field(text, parent=self) for key, text in (
            ("first_name", self.tr("First name")), ("last_name", self.tr("Last name")),
            ("date_of_birth", self.tr("Date of birth (YYYY-MM-DD)")),
            ("allergies", self.tr("Allergies")), ("medical_notes", self.tr("Medical notes")))}
        grid = QGridLayout(self)
        for index, field in enumerate(self.fields.values()):
            grid.addWidget(field, index // 3, index % 3)

    def draft(self) -> ChildDraft:
        v = {key: field.text() for key, field in self.fields.items()}
        return ChildDraft(v["first_name"], v["last_name"], v["date_of_birth"],
                          v["medical_notes"], v["allergies"])


class NewFamilyDialog(QDialog):
    family_saved = Signal(object)  # tuple of the new children's ids

    def __init__(self, presenter: Any, locations: list[Choice], default_location: UUID | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter = presenter
        self.setWindowTitle(self.tr("New family"))
        self.resize(820, 640)
        self.location = QComboBox(self)
        self.location.setAccessibleName(self.tr("Location"))
        for choice in locations:
            self.location.addItem(choice.name, str(choice.id))
        if default_location is not None:
            self.location.setCurrentIndex(max(0, self.location.findData(str(default_location))))
        self.parent_forms: list[ParentForm] = []
        self.child_forms: list[ChildForm] = []
        self.parents_box = QVBoxLayout()
        self.children_box = QVBoxLayout()
        add_parent = QPushButton(self.tr("Add &parent"), self)
        add_child = QPushButton(self.tr("Add &child"), self)
        self.status = QLabel(self)
        self.status.setStyleSheet(ERROR_STYLE + " font-size: 12px;")
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("&Save family"), self)
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        cancel = QPushButton(self.tr("Cancel"), self)
        body = QWidget(self)
        inner = QVBoxLayout(body)
        heading = [self.tr("Parents and guardians"), self.tr("Children")]
        for title, box, button in ((heading[0], self.parents_box, add_parent),
                                   (heading[1], self.children_box, add_child)):
            label = QLabel(title, body)
            label.setObjectName("personName")
            inner.addWidget(label)
            inner.addLayout(box)
            inner.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        inner.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Location"), self))
        top.addWidget(self.location, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        add_parent.clicked.connect(self.add_parent)
        add_child.clicked.connect(self.add_child)
        cancel.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        self.add_parent()
        self.add_child()

    def add_parent(self) -> ParentForm:
        form = ParentForm(self)
        form.contact_finished.connect(self.check_duplicates)
        if not self.parent_forms:
            self._family_name = ""
            form.fields["last_name"].input.textChanged.connect(self._family_name_changed)
        self.parent_forms.append(form)
        self.parents_box.addWidget(form)
        return form

    def add_child(self) -> ChildForm:
        form = ChildForm(self)
        self.child_forms.append(form)
        self.children_box.addWidget(form)
        if self.parent_forms:  # children usually share the first parent's last name
            form.fields["last_name"].set_text(self.parent_forms[0].fields["last_name"].text())
        return form

    def _family_name_changed(self, name: str) -> None:
        """Children usually carry the first parent's last name: follow it until edited."""
        for child in self.child_forms:
            field = child.fields["last_name"]
            if field.text() in ("", self._family_name):
                field.set_text(name)
        self._family_name = name

    def all_fields(self) -> dict[str, Field]:
        fields: dict[str, Field] = {}
        for prefix, forms in (("parents", self.parent_forms), ("children", self.child_forms)):
            for index, form in enumerate(forms):
                for key, field in form.fields.items():
                    fields[f"{prefix}.{index}.{key}"] = field
        return fields

    @async_slot
    async def check_duplicates(self, form: ParentForm) -> bool:
        """Offer existing parents with the same phone/email; True when one is on offer."""
        phone, email = form.contacts()
        if form.linked is not None or not (phone or email):
            return False
        matches = await self.presenter.find_duplicates([phone or ""], [email or ""])
        for match in matches:
            form.offer_match(match)
        return form.offer is not None

    @async_slot
    async def save(self) -> None:
        self.status.setText("")
        location = self.location.currentData()
        try:
            family = validate_family(UUID(location) if location else None,
                                     [f.draft() for f in self.parent_forms],
                                     [f.draft() for f in self.child_forms], date.today())
        except ValidationFailed as failed:
            rest = show_issues(self.all_fields(), failed.issues)
            self.status.setText(self.tr("Please correct the highlighted fields.") if not rest
                                else "; ".join(i.field for i in rest))
            return
        show_issues(self.all_fields(), [])
        offered = [await self.check_duplicates(form) for form in self.parent_forms]
        if any(offered):
            self.status.setText(self.tr("A parent is already on file: link them or keep "
                                        "them as new, then save again."))
            return
        self.save_button.setEnabled(False)
        try:
            child_ids = await self.presenter.create_family(family)
        finally:
            self.save_button.setEnabled(True)
        self.family_saved.emit(child_ids)
        self.accept()
