"""The application form, driven by the catalog; digits come from a keypad on the glass."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QGridLayout, QHBoxLayout, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from kiosk.application import max_length, problem_values
from kiosk.catalog import FieldType, FormField
from kiosk.session import State
from ui.keyboard import TextKeyboard
from ui.screens.context import ScreenContext
from ui.widgets import DigitField, Keypad, button, card, columns_that_fit, label, scrolling, widest_button_px

_DIGITS = {FieldType.MOBILE, FieldType.ID_NUMBER, FieldType.DATE, FieldType.NUMBER}    # typed on the keypad
_LETTERS = {FieldType.TEXT, FieldType.ADDRESS}      # typed on the letter keyboard


def _choice(ctx: ScreenContext, field: FormField) -> QWidget:
    row = QWidget()
    layout = QGridLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(ctx.theme.gap_px)
    current = ctx.session.form.get(field.key, "")
    buttons = []

    def pick(value: str) -> None:
        ctx.controller.edit_field(field.key, value)
        for other in buttons:
            other.setChecked(other.property("value") == value)

    # the fields' share of the row: three fifths beside the keypad, the rest beside the letter keyboard
    share = 1 - keyboard_share(ctx) if any(f.type in _LETTERS for f in ctx.session.form_fields) else 0.6
    room = fields_room(ctx, share)
    per_row = min(2, columns_that_fit((ctx.tr.local(c) for c in field.choices), ctx.theme, room - ctx.theme.px(8)))
    for index, choice in enumerate(field.choices):
        widget = button(ctx.tr.local(choice), lambda v=choice.zh: pick(v), name=f"choice_{field.key}_{index}",
                        checked=choice.zh == current, description=ctx.tr.t("desc.choice"))
        widget.setProperty("value", choice.zh)
        buttons.append(widget)
        layout.addWidget(widget, index // per_row, index % per_row)
    return row


def _line(ctx: ScreenContext, field: FormField, keypad: Keypad) -> QLineEdit:
    if field.type in _DIGITS:
        edit: QLineEdit = DigitField(keypad, max_length(field))
    else:
        edit = QLineEdit()
        edit.setMaxLength(max_length(field))
        edit.setContextMenuPolicy(Qt.NoContextMenu)
        edit.setDragEnabled(False)
    edit.setText(ctx.session.form.get(field.key, ""))
    edit.setObjectName(f"field_{field.key}")
    edit.setAccessibleName(ctx.tr.local(field.label))
    edit.setAccessibleDescription(ctx.tr.t("desc.field"))
    edit.textChanged.connect(lambda text, k=field.key: ctx.controller.edit_field(k, text))
    return edit


class KeyboardFollowsFocus(QObject):
    """The letter keyboard while a text field has the focus, the digit keypad otherwise. A child of
    the screen, so the app-wide connection ends with the screen."""

    def __init__(self, parent: QWidget, fields: QScrollArea, keyboard: QWidget, keypad: QWidget) -> None:
        super().__init__(parent)
        self.fields, self.keyboard, self.keypad = fields, keyboard, keypad
        QApplication.instance().focusChanged.connect(self.follow)

    def follow(self, old: QWidget | None, new: QWidget | None) -> None:
        if new is None or self.keyboard.isAncestorOf(new):
            return
        typing = isinstance(new, QLineEdit) and not isinstance(new, DigitField) and self.fields.isAncestorOf(new)
        self.keyboard.setVisible(typing)
        self.keypad.setVisible(not typing)
        if typing:      # Qt asks for the input panel only on a second tap; a citizen should not need two
            QGuiApplication.inputMethod().show()
            QTimer.singleShot(0, self, self.reveal)     # once the shorter list is laid out

    def reveal(self) -> None:
        """The field being typed into stays in sight above the keyboard."""
        focused = QApplication.focusWidget()
        if focused is not None and self.fields.isAncestorOf(focused):
            self.fields.ensureWidgetVisible(focused)


def fields_room(ctx: ScreenContext, share: float) -> int:
    """Width inside the fields' column (its scroll bar and card margins off) with share of a landscape row."""
    return (ctx.room if ctx.portrait else int(ctx.room * share) - ctx.theme.gap_px * 2) - ctx.theme.px(7) - 16


def keyboard_share(ctx: ScreenContext) -> float:
    """Of a landscape row, the letter keyboard's part: half, or two thirds with large text, where the keys
    grow by a third for eyes and fingers that need it, as long as every choice of the form still fits the
    third left to the fields on one line (long English choices do not: then half)."""
    choices = [ctx.tr.local(c) for f in ctx.session.form_fields for c in f.choices]
    if not ctx.theme.large or (
            choices and widest_button_px(choices, ctx.theme) > fields_room(ctx, 1 / 3) - ctx.theme.px(8)):
        return 1 / 2
    return 2 / 3


def typing_area(ctx: ScreenContext, fields: QWidget, keypad: QWidget, letters: bool, share: float = 1 / 2) -> QWidget:
    """Fields beside the keypad (above it, portrait); with letters, the on-screen keyboard takes the keypad's
    place while a text field has the focus, taking share of a landscape row. Shared by every screen where
    citizens type."""
    content = QWidget()
    row = QVBoxLayout(content) if ctx.portrait else QHBoxLayout(content)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(ctx.theme.gap_px * 2)
    fields_area = scrolling(fields)
    row.addWidget(fields_area, 3)
    row.addWidget(keypad, 2)
    if letters:
        keyboard = TextKeyboard(ctx.tr.language, ctx.room if ctx.portrait else int(ctx.room * share))
        if ctx.portrait:        # no taller than the keypad it replaces: the band within reach stays put
            keyboard.fit(ctx.room, 3 * ctx.theme.target_px + 2 * ctx.theme.gap_px + 44)
        keyboard.hide()
        row.addWidget(keyboard, 0, Qt.AlignCenter)
        KeyboardFollowsFocus(content, fields_area, keyboard, keypad)
    return content


def build(ctx: ScreenContext) -> QWidget:
    tr, session = ctx.tr, ctx.session
    shown = session.form_fields
    principal = session.state is State.PRINCIPAL      # 代为办理: the agent types the principal's name and number
    person = session.agent if principal else session.identity
    assert person is not None
    keypad = Keypad(tr.t("form.delete"), tr.t("desc.key"), columns=4, gap=ctx.theme.gap_px)
    fields = QWidget()
    column = QVBoxLayout(fields)
    column.setContentsMargins(0, 0, 16, 0)
    who = tr.t("identity.proxy.agent" if principal else "form.applicant")
    column.addWidget(label(tr.t("common.pair", label=who, value=person.masked_name())))
    if session.agent is not None and not principal:
        column.addWidget(label(tr.t("common.pair", label=tr.t("identity.proxy.agent"),
                                    value=session.agent.masked_name())))
    first_digit_field: QLineEdit | None = None
    for field in shown:
        column.addWidget(label(tr.local(field.label), "Muted"))
        if field.type is FieldType.CHOICE:
            column.addWidget(_choice(ctx, field))
        else:
            edit = _line(ctx, field, keypad)
            column.addWidget(edit)
            if field.type in _DIGITS and first_digit_field is None:
                first_digit_field = edit
        if field.key in session.form_problems:
            column.addWidget(label(tr.t(session.form_problems[field.key], **problem_values(field)), "Problem"))
        if field.help.zh:          # beside a problem too: the help often says how to put it right
            column.addWidget(label(tr.local(field.help), "Muted"))
    column.addStretch(1)
    if first_digit_field is not None:
        keypad.attach(first_digit_field)

    content = typing_area(ctx, fields, card(keypad), letters=any(f.type in _LETTERS for f in shown),
                          share=keyboard_share(ctx))
    title, hint = ("identity.proxy.principal_title", "identity.proxy.principal_hint") if principal else \
        ("form.title", "form.hint")
    return ctx.page(tr.t(title), [content], subtitle=tr.t(hint),
                    footer=[ctx.back_button(),
                            button(tr.t("common.next"), ctx.controller.submit_form, name="Primary",
                                   description=tr.t("desc.next"))])

