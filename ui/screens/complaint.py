"""投诉建议 / 办不成事反映 (articles 27 and 33): what kind, about which service (when there is one),
what happened, and a mobile number if the citizen wants an answer; then what happens next."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk import feedback
from kiosk.application import MAX_LENGTH
from kiosk.catalog import FieldType
from kiosk.feedback import Category
from ui.screens.context import ScreenContext
from ui.screens.form import typing_area
from ui.widgets import DigitField, Keypad, button, card, columns_that_fit, label, wrapping_button


def entry(ctx: ScreenContext) -> QPushButton:
    """The way in from the start and service screens; its words wrap in large text and in English."""
    return wrapping_button(ctx.tr.t("feedback.entry"), ctx.controller.complain, "Complain",
                           ctx.tr.t("feedback.desc_entry"), ctx.theme)


def _categories(ctx: ScreenContext, room: int) -> QWidget:
    tr, draft = ctx.tr, ctx.session.feedback
    holder = QWidget()
    grid = QGridLayout(holder)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(ctx.theme.gap_px)
    texts = [tr.t(f"complaint.category_name.{c.value}") for c in Category]
    per_row = columns_that_fit(texts, ctx.theme, room)
    buttons: list[QPushButton] = []

    def pick(category: Category) -> None:
        ctx.controller.edit_feedback("category", category)
        for other in buttons:
            other.setChecked(other.property("category") == category.value)

    for index, (category, text) in enumerate(zip(Category, texts, strict=True)):
        widget = button(text, lambda c=category: pick(c), name="Category", checked=category is draft.category,
                        description=tr.t("complaint.desc_category"))
        widget.setProperty("category", category.value)
        buttons.append(widget)
        grid.addWidget(widget, index // per_row, index % per_row)
    return holder


def _line(ctx: ScreenContext, edit: QLineEdit, name: str, value: str, description: str) -> QLineEdit:
    edit.setObjectName(f"field_{name}")
    edit.setText(value)
    edit.setContextMenuPolicy(Qt.NoContextMenu)
    edit.setDragEnabled(False)
    edit.setAccessibleName(ctx.tr.t(f"complaint.{name}"))
    edit.setAccessibleDescription(ctx.tr.t(description))
    edit.textChanged.connect(lambda text: ctx.controller.edit_feedback(name, text))
    return edit


def build(ctx: ScreenContext) -> QWidget:
    tr, session, controller = ctx.tr, ctx.session, ctx.controller
    draft = session.feedback
    keypad = Keypad(tr.t("form.delete"), tr.t("desc.key"), columns=4, gap=ctx.theme.gap_px)
    fields = QWidget()
    column = QVBoxLayout(fields)
    column.setContentsMargins(0, 0, 16, 0)
    column.addWidget(label(tr.t("complaint.category"), "Muted"))
    room = ctx.room if ctx.portrait else ctx.room * 3 // 5
    column.addWidget(_categories(ctx, room - ctx.theme.gap_px * 4))
    if session.service is not None:
        about = wrapping_button(tr.t("complaint.about", service=tr.local(session.service.name)),
                                lambda: controller.edit_feedback("about_service", about.isChecked()), "AboutService",
                                tr.t("complaint.desc_about"), ctx.theme)
        about.setCheckable(True)
        about.setChecked(draft.about_service)
        column.addWidget(about)
    column.addWidget(label(tr.t("complaint.text"), "Muted"))
    text = QLineEdit()
    text.setMaxLength(feedback.TEXT_MAX)
    column.addWidget(_line(ctx, text, "text", draft.text, "complaint.desc_text"))
    if "text" in draft.problems:
        column.addWidget(label(tr.t(draft.problems["text"]), "Problem"))
    column.addWidget(label(tr.t("complaint.mobile"), "Muted"))
    mobile = _line(ctx, DigitField(keypad, MAX_LENGTH[FieldType.MOBILE]), "mobile", draft.mobile,
                   "complaint.desc_mobile")
    keypad.attach(mobile)
    column.addWidget(mobile)
    if "mobile" in draft.problems:
        column.addWidget(label(tr.t(draft.problems["mobile"]), "Problem"))
    column.addWidget(label(tr.t("complaint.hotline"), "Muted"))
    column.addStretch(1)
    send = button(tr.t("complaint.sending" if controller.sending else "complaint.send"), controller.send_complaint,
                  name="Primary", description=tr.t("complaint.desc_send"))
    send.setEnabled(not controller.sending)
    return ctx.page(tr.t("complaint.title"), [typing_area(ctx, fields, card(keypad), letters=True)],
                    footer=[ctx.back_button(), send])


def build_sent(ctx: ScreenContext) -> QWidget:
    tr = ctx.tr
    hotline = label(tr.t("complaint.hotline"), "Subtitle")
    return ctx.page(tr.t("complaint.sent_title"), [card(label(tr.t("complaint.next_steps")), hotline)],
                    footer=[button(tr.t("complaint.finish"), ctx.controller.finish, name="Primary",
                                   description=tr.t("complaint.desc_finish"))])
