"""投诉建议 / 办不成事反映 (articles 27 and 33): what kind, about which service (when there is one),
what happened, and a mobile number if the citizen wants an answer; then what happens next."""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk import feedback
from kiosk.catalog import FieldType
from kiosk.feedback import Category
from ui import design
from ui.access import cursor_in_first
from ui.paging import Pages
from ui.screens.context import ScreenContext
from ui.widgets import (
    Keypad,
    PhoneField,
    TextArea,
    Typed,
    columns_that_fit,
    keys_card,
    label,
    scrolling,
    together,
    typed_text,
    wrapping_button,
)


def entry(ctx: ScreenContext) -> QPushButton:
    """The way in from the start and service screens; its words wrap in large text and in English."""
    return wrapping_button(ctx.tr.t("feedback.entry"), ctx.controller.complain, "Complain",
                           ctx.tr.t("feedback.desc_entry"), ctx.theme, centred=True)


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
        widget = design.choice(text, lambda c=category: pick(c), ctx.theme, chosen=category is draft.category,
                               description=tr.t("complaint.desc_category"), name="Category")
        widget.setProperty("category", category.value)
        buttons.append(widget)
        grid.addWidget(widget, index // per_row, index % per_row)
    return holder


def _line(ctx: ScreenContext, edit: Typed, name: str, value: str, description: str) -> Typed:
    edit.setObjectName(f"field_{name}")
    edit.setText(value)
    edit.setAccessibleName(ctx.tr.t(f"complaint.{name}"))
    edit.setAccessibleDescription(ctx.tr.t(description))
    edit.setProperty("problem", name in ctx.session.feedback.problems)    # the error colour's border
    edit.textChanged.connect(lambda *_: ctx.controller.edit_feedback(name, typed_text(edit)))
    return edit


def _count(ctx: ScreenContext, area: TextArea) -> QLabel:
    """How much is written and how much the field holds (已写 12 字，最多 500 字), as it is typed: the bound
    in sight, so the citizen knows it all went in."""
    said = label("", "Muted")

    def count() -> None:
        said.setText(ctx.tr.t("complaint.written", count=len(area.text()), most=area.maxLength()))

    count()
    area.textChanged.connect(count)
    return said


def build(ctx: ScreenContext) -> QWidget:
    """The three questions (what kind, what happened, a number for the answer) in a column that scrolls, or
    in the accessible mode one a page, turned from the footer (nothing scrolls), the first with a problem
    shown after a failed 提交."""
    from kiosk.application import MAX_LENGTH  # the attract screen has this module's entry only
    from ui.onward import pages_first
    from ui.screens.form import typing_area  # the letter keyboard (Qt Quick): off the attract screen's path

    tr, session, controller = ctx.tr, ctx.session, ctx.controller
    if controller.sending:
        return design.please_wait(tr.t("complaint.sending"), tr.t("feedback.sending_why"), ctx.theme)
    draft = session.feedback
    keypad = Keypad(tr.t("form.delete"), tr.t("desc.key"), gap=ctx.theme.gap_px)
    # beside the keys in landscape; one question a page in the accessible mode, where the keys come only with the
    # number's page (ui.screens.form.KeyboardFollowsFocus), the kinds have the row's whole width: in one column
    # the largest English needed 484 px of a page's 454 at 1366x768
    room = ctx.room if ctx.portrait or session.profile.assisted else ctx.room * 3 // 5
    kind = [label(tr.t("complaint.category"), "Muted"), _categories(ctx, room - ctx.theme.gap_px * 4)]
    if session.service is not None:
        # 涉及事项 as a ticked choice in the mode's choice colours: as a checked button its words kept the
        # text colour on the primary colour (white on yellow in dark contrast, 1.3:1)
        about = design.choice(tr.t("complaint.about", service=tr.local(session.service.name)),
                              lambda: controller.edit_feedback("about_service", about.isChecked()), ctx.theme,
                              chosen=draft.about_service, description=tr.t("complaint.desc_about"), multiple=True,
                              name="AboutService")
        kind.append(about)
    area = TextArea(feedback.TEXT_MAX)      # several sentences: wrapped, in sight as they are typed
    text = _line(ctx, area, "text", draft.text, "complaint.desc_text")
    mobile = _line(ctx, PhoneField(keypad, MAX_LENGTH[FieldType.MOBILE]), "mobile", draft.mobile,
                   "complaint.desc_mobile")
    keypad.attach(mobile)
    said = {name: [label(tr.t(key), "Problem")] for name, key in draft.problems.items()}
    # 12345 with the kinds, where a page has no keys: under the number, with the keypad open below it, the largest
    # English text had no room for its three lines and squeezed the number's question
    gap = ctx.theme.gap_px // 3         # a question's label, answer and problem together: alone on its page when paged
    blocks = {"category": together(*kind, label(tr.t("complaint.hotline"), "Muted"), spacing=gap),
              "text": together(label(tr.t("complaint.text"), "Muted"), *said.get("text", []), text,
                               _count(ctx, area), spacing=gap),
              "mobile": together(label(tr.t("complaint.mobile"), "Muted"), *said.get("mobile", []), mobile,
                                 spacing=gap)}
    typed = {"text": text, "mobile": mobile}
    send = design.primary(tr.t("complaint.send"), controller.send_complaint, tr.t("complaint.desc_send"))
    footer: list[QWidget] = [ctx.back_button(), send]
    if session.profile.assisted:        # one question a page, and 提交 once every question was on the glass
        pages = Pages(list(blocks.values()), ctx.theme.gap_px, *ctx.page_turners(),
                      lambda n, of: tr.t("access.question_of", page=n, pages=of), one_per_page=True)
        opens_on = next(iter(draft.problems), "category")
        pages.show_block(blocks[opens_on])
        # the cursor on the page shown: in the words' field, the page followed it and a complaint opened on its
        # second question, the kind never asked
        typed = {key: field for key, field in typed.items() if key == opens_on}
        footer = pages_first(pages, send, controller.send_complaint, tr, (footer[0], controller.back))
        fields: QWidget = pages
    else:
        fields = QWidget()
        column = QVBoxLayout(fields)
        column.setContentsMargins(0, 0, 16, 0)
        for block in blocks.values():
            column.addWidget(block)
        column.addStretch(1)
    # after a failed 提交 the cursor in the first problem's field (else the first empty one) with its keys open, each
    # problem said at its question, in every orientation (review h, M2). Within reach a summary above the fields
    # took the focus and kept the keys shut; with them open there is no room for it: the largest English text
    # squeezed the words field to a line under it
    cursor_in_first(list(typed.values()), frozenset(draft.problems))
    content = typing_area(ctx, fields, [keys_card(keypad)], letters=True, scroll=not isinstance(fields, Pages))
    return ctx.page(tr.t("complaint.title"), [content], footer=footer)


def _slip_note(ctx: ScreenContext) -> list[QWidget]:
    """Whether the slip with the reference came out, beside the printer's pictogram: information, not an alarm
    (in red above the green panel it read as a failed complaint, review g M4); when none came out, the number
    above is the one to note."""
    status, tr = ctx.session.slip_print, ctx.tr
    if status is None:
        return []
    words = (tr.t(f"complaint.slip.{status.stage.value}") if status.problem is None
             else tr.t("complaint.slip.not_printed", reason=tr.t(status.problem)))
    # the pictogram no taller than the words' two lines: with the largest English on 1366x768 it pushed them
    # off the number's page
    return [design.device_note(design.Device.PRINTER, label(words, "Lead"), ctx.theme, tr, size_px=ctx.theme.title_px)]


def build_sent(ctx: ScreenContext) -> QWidget:
    """Says what was received in the citizen's own word for it (投诉, 办不成事, 建议), with the reference, how to
    follow it up and where its slip is directly under it, then what happens next. In the accessible mode the
    primary turns the pages first: 返回首页 only once what happens next has been shown (review g, M4)."""
    from kiosk import receipt
    from ui.onward import pages_first

    tr, sent = ctx.tr, ctx.session.acknowledgement
    assert sent is not None
    kind = sent.category.value
    panel = design.confirmation_panel(tr.t(f"complaint.sent.{kind}"), receipt.readable(sent.reference), tr,
                                      ctx.theme, tr.t("complaint.reference"))
    # the number's use and its slip directly under it, first on the pages
    number = [label(tr.t("complaint.follow_up"), "Lead"), *_slip_note(ctx)]
    # with no mobile number there is nothing to add to the 12345 line under the number: one page holds it all
    answer = [label("• " + tr.t("complaint.call_back"))] if sent.call_back else []
    # a heading and its lines, as GOV.UK's confirmation has them: a card's frame cost the room that keeps them on
    # the number's page in the accessible mode (review j, M10)
    after = [label(tr.t("design.next_steps"), "Heading"), label("• " + tr.t(f"complaint.next.{kind}")), *answer]
    # within reach (assisted, portrait) the panel stays with the words above, the rest is paged under it
    pane = scrolling(ctx.stacked(*([] if ctx.reach_px else [panel]), *number, *after), tr.t("complaint.title"),
                     tr.t("desc.guide"))
    finish = design.primary(tr.t("complaint.finish"), ctx.controller.finish, tr.t("complaint.desc_finish"))
    footer: list[QWidget] = [finish]
    body: QWidget = pane
    if ctx.session.profile.assisted:
        body = ctx.paged(pane)
        footer = pages_first(body, finish, ctx.controller.finish, tr)
    # the panel is the heading (GOV.UK's confirmation): a title above it cost the line that keeps what happens next
    # on the number's page in the accessible mode (review j, M10)
    return ctx.page("", [body], notes=[panel] if ctx.reach_px else [], footer=footer)
