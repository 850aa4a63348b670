"""办件进度查询: the receipt's QR code on the scanner, or its number and the ID number's last six typed.
The number is typed on the code keypad (dashes may be left out); the last six on the phone keypad with X."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from kiosk import case_numbers
from kiosk.online import ID_TAIL_LENGTH
from ui.access import cursor_in_first
from ui.screens.context import ScreenContext
from ui.screens.form import code_keys, typing_area
from ui.widgets import CodeField, DigitField, Keypad, button, keys_card, label


def _field(ctx: ScreenContext, edit: QLineEdit, name: str, printed: Callable[[str], str] = str) -> QLineEdit:
    """printed: the value as the centre knows it, from the value as typed."""
    edit.setObjectName(f"field_{name}")
    edit.setText(getattr(ctx.session.online, name))
    edit.setAccessibleName(ctx.tr.t(f"progress.{name}"))
    edit.setAccessibleDescription(ctx.tr.t("desc.code_field" if isinstance(edit, CodeField) else "desc.field"))
    edit.textChanged.connect(lambda text: ctx.controller.online.edit_progress(name, printed(text)))
    return edit


def build(ctx: ScreenContext) -> QWidget:
    tr, session, online = ctx.tr, ctx.session, ctx.controller.online
    keypad = Keypad(tr.t("form.delete"), tr.t("desc.key"), gap=ctx.theme.gap_px)
    code_keypad, code_holder = code_keys(ctx)
    number = _field(ctx, CodeField(code_keypad, 64), "case_number",
                    lambda text: case_numbers.as_printed(text, session.kiosk_id))
    code_keypad.attach(number)
    tail = _field(ctx, DigitField(keypad, ID_TAIL_LENGTH, takes_x=True), "id_tail")
    keypad.attach(tail)
    wrong = "case_number" if session.problem == "progress.case_number_missing" else "id_tail"
    cursor_in_first([number, tail], frozenset({wrong} if session.problem else ()))
    fields = QWidget()
    column = QVBoxLayout(fields)
    column.setContentsMargins(0, 0, 16, 0)
    column.addWidget(label(tr.t("progress.hint_scan" if online.has_scanner else "progress.hint_type")))
    for text, edit in ((tr.t("progress.case_number"), number), (tr.t("progress.id_tail"), tail)):
        column.addWidget(label(text, "Muted"))
        column.addWidget(edit)
        if edit is number:
            column.addWidget(label(tr.t("progress.case_number_hint"), "Muted"))
    column.addStretch(1)
    waiting = session.online.waiting
    search = button(tr.t("online.waiting" if waiting else "progress.search"), online.find_progress, name="Primary",
                    description=tr.t("online.desc.search"))
    search.setEnabled(not waiting)
    footer = [ctx.back_button(), search]
    if ctx.demo and ctx.controller.demo_scan is not None and online.has_scanner:
        footer.insert(1, button(tr.t("progress.demo_scan"), ctx.controller.demo_scan, name="demo_scan",
                                description=tr.t("online.desc.demo_scan")))
    area = typing_area(ctx, fields, [code_holder, keys_card(keypad)], letters=False)
    return ctx.page(tr.t("progress.title"), [area], footer=footer)
