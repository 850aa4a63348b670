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
from ui.widgets import CodeField, DigitField, Keypad, button, keys_card, label, together


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
    problem = session.problem or ""
    # the field a problem is about (none for a case the centre does not know: both may be mistyped)
    wrong = "case_number" if problem == "progress.case_number_missing" else \
        "id_tail" if problem.startswith("progress.id_tail") else ""
    for name, edit in (("case_number", number), ("id_tail", tail)):     # the field to fix in the error's colour
        edit.setProperty("problem", name == wrong)
    cursor_in_first([number, tail], frozenset({wrong} if wrong else ()))
    fields = QWidget()
    column = QVBoxLayout(fields)
    column.setContentsMargins(0, 0, 16, 0)
    column.setSpacing(ctx.theme.gap_px * 2)     # questions apart, each hint nearer its own field (review i)
    column.addWidget(label(tr.t("progress.hint_scan" if online.has_scanner else "progress.hint_type")))
    gap = ctx.theme.gap_px // 3
    # GOV.UK's order: the label, its hint, the problem (the same words as on top, at the field to fix: review i M3),
    # the field; within reach the words on top sit right above the band, which has no room for them twice
    said = {name: [label(ctx.problem() or "", "Problem")] if name == wrong and not ctx.reach_px else []
            for name in ("case_number", "id_tail")}
    questions = {number: together(label(tr.t("progress.case_number"), "Muted"),
                                  label(tr.t("progress.case_number_hint"), "Muted"), *said["case_number"], number,
                                  spacing=gap),
                 tail: together(label(tr.t("progress.id_tail"), "Muted"), *said["id_tail"], tail, spacing=gap)}
    for question in questions.values():
        column.addWidget(question)
    column.addStretch(1)
    waiting = session.online.waiting
    search = button(tr.t("online.waiting" if waiting else "progress.search"), online.find_progress, name="Primary",
                    description=tr.t("online.desc.search"))
    search.setEnabled(not waiting)
    scan: list[QWidget] = []
    if ctx.demo and ctx.controller.demo_scan is not None and online.has_scanner:
        scan.append(button(tr.t("progress.demo_scan"), ctx.controller.demo_scan, name="demo_scan",
                           description=tr.t("online.desc.demo_scan")))
    to_fix = questions[number if wrong == "case_number" else tail] if wrong else None
    pane, (back, *onward) = ctx.questions(fields, search, online.find_progress, ctx.back_button(), to_fix)
    area = typing_area(ctx, pane, [code_holder, keys_card(keypad)], letters=False, scroll=pane is fields)
    footer: list[QWidget] = [back, *scan, *onward]
    return ctx.page(tr.t("progress.title"), [area], footer=footer)
