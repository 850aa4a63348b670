"""办件进度查询: the receipt's QR code on the scanner, or its number and the ID number's last six typed."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from kiosk.online import ID_TAIL_LENGTH
from ui.screens.context import ScreenContext
from ui.screens.form import typing_area
from ui.widgets import DigitField, Keypad, button, card, label


def _field(ctx: ScreenContext, edit: QLineEdit, name: str) -> QLineEdit:
    edit.setObjectName(f"field_{name}")
    edit.setText(getattr(ctx.session.online, name))
    edit.setAccessibleName(ctx.tr.t(f"progress.{name}"))
    edit.setAccessibleDescription(ctx.tr.t("desc.field"))
    edit.setContextMenuPolicy(Qt.NoContextMenu)
    edit.textChanged.connect(lambda text: ctx.controller.online.edit_progress(name, text))
    return edit


def build(ctx: ScreenContext) -> QWidget:
    tr, session, online = ctx.tr, ctx.session, ctx.controller.online
    keypad = Keypad(tr.t("form.delete"), tr.t("desc.key"), columns=4 if ctx.portrait else 6, gap=ctx.theme.gap_px)
    number = _field(ctx, QLineEdit(), "case_number")
    number.setMaxLength(64)
    tail = _field(ctx, DigitField(keypad, ID_TAIL_LENGTH), "id_tail")
    keypad.attach(tail)
    fields = QWidget()
    column = QVBoxLayout(fields)
    column.setContentsMargins(0, 0, 16, 0)
    column.addWidget(label(tr.t("progress.hint_scan" if online.has_scanner else "progress.hint_type")))
    for text, edit in ((tr.t("progress.case_number"), number), (tr.t("progress.id_tail"), tail)):
        column.addWidget(label(text, "Muted"))
        column.addWidget(edit)
    column.addStretch(1)
    waiting = session.online.waiting
    search = button(tr.t("online.waiting" if waiting else "progress.search"), online.find_progress, name="Primary",
                    description=tr.t("online.desc.search"))
    search.setEnabled(not waiting)
    return ctx.page(tr.t("progress.title"), [typing_area(ctx, fields, card(keypad), letters=True)],
                    footer=[ctx.back_button(), search])
