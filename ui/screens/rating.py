"""好差评 (article 28) after every transaction: the national five-level scale, then optional reasons and
a comment, then thanks. Skipping is always possible and ends the visit."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk import feedback
from kiosk.feedback import Score
from ui import design
from ui.after_paint import gone
from ui.paging import WHOLE
from ui.screens.context import ScreenContext
from ui.screens.form import typing_area
from ui.widgets import button, card, columns_that_fit, label, scrolling, side_by_side, text_field, wrapping_button

THANKS_S = 10        # the thank-you holds nothing of the citizen's: it returns to the start by itself


def _grid(ctx: ScreenContext, widgets: list[QWidget], room: int, most: int) -> QWidget:
    holder = QWidget()
    grid = QGridLayout(holder)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(ctx.theme.gap_px)
    per_row = min(most, columns_that_fit((w.accessibleName() for w in widgets), ctx.theme, room))
    for index, widget in enumerate(widgets):
        grid.addWidget(widget, index // per_row, index % per_row)
    return holder


def _rows(ctx: ScreenContext, widgets: list[QWidget], room: int, most: int) -> list[QWidget]:
    """The choices as _grid lays them out, each row a widget of its own (a block for the pages); a short last
    row keeps its choices' width."""
    per_row = min(most, columns_that_fit((w.accessibleName() for w in widgets), ctx.theme, room))
    return [side_by_side(widgets[start:start + per_row], ctx.theme.gap_px, per_row)
            for start in range(0, len(widgets), per_row)]


def build(ctx: ScreenContext) -> QWidget:
    """The five levels, best first as on the national scale, as choices: none marked until the citizen
    chooses (the one chosen before shows when they come back to change it), so nothing suggests an answer."""
    tr, controller, chosen = ctx.tr, ctx.controller, ctx.session.feedback.score
    scores = []
    for score in Score:
        widget = design.choice(tr.t(f"rating.score.{int(score)}"), lambda s=score: controller.rate(s), ctx.theme,
                               chosen=score is chosen, description=tr.t("rating.desc_score"), name="Score")
        widget.setProperty("score", str(int(score)))
        widget.setProperty("answer", True)      # never the control the screen's focus starts on
        widget.setMinimumHeight(ctx.theme.target_px * 5 // 4)
        scores.append(widget)
    skip = design.secondary(tr.t("rating.skip"), controller.skip_rating, tr.t("rating.desc_skip"), name="Skip")
    return ctx.page(tr.t("rating.title"), [scrolling(_grid(ctx, scores, ctx.room, 1 if ctx.portrait else 5))],
                    subtitle=tr.t("rating.subtitle"), footer=[skip])


def build_reasons(ctx: ScreenContext) -> QWidget:
    tr, controller, session = ctx.tr, ctx.controller, ctx.session
    if controller.sending:
        return design.please_wait(tr.t("rating.sending"), tr.t("feedback.sending_why"), ctx.theme)
    draft = session.feedback
    assert draft.score is not None
    fields = QWidget()
    column = QVBoxLayout(fields)
    column.setContentsMargins(0, 0, 16, 0)
    column.setSpacing(ctx.theme.gap_px)
    reasons = []
    for code in feedback.reasons_for(draft.score):
        widget = design.choice(tr.t(f"rating.reason.{code}"), lambda c=code: controller.toggle_reason(c), ctx.theme,
                               chosen=code in draft.reasons, description=tr.t("rating.desc_reason"), multiple=True,
                               name="Reason")
        widget.setProperty("code", code)
        reasons.append(widget)
    room = ctx.room if ctx.portrait else ctx.room * 3 // 5
    for row in _rows(ctx, reasons, room - ctx.theme.gap_px * 4, 2):     # a row a block: paged whole, never cut
        column.addWidget(row)
    comment = text_field(draft.comment, feedback.COMMENT_MAX)
    comment.setObjectName("field_comment")
    comment.setAccessibleName(tr.t("rating.comment"))
    comment.setAccessibleDescription(tr.t("rating.desc_comment"))
    comment.textChanged.connect(lambda text: controller.edit_feedback("comment", text))
    question = ctx.stacked(label(tr.t("rating.comment"), "Muted"), comment)
    question.setProperty(WHOLE, True)           # paged with its field: a label alone ends no page
    column.addWidget(question)
    if draft.score.is_bad:           # 差评: the way to say exactly what went wrong, and be called back
        column.addWidget(wrapping_button(tr.t("rating.complain"), controller.complain, "Complain",
                                         tr.t("rating.desc_complain"), ctx.theme, centred=True))
    column.addStretch(1)
    send = design.primary(tr.t("rating.send"), controller.send_rating, tr.t("rating.desc_send"))
    change = button(tr.t("rating.change"), controller.back, name="back", description=tr.t("rating.desc_change"))
    title = tr.t("rating.reasons_title", score=tr.t(f"rating.score.{int(draft.score)}"))
    area: QWidget = scrolling(fields)
    if session.profile.assisted:        # nothing scrolls: in English the reasons and the comment outgrew the glass
        area = ctx.paged(area)
    return ctx.page(title, [typing_area(ctx, area, [QWidget()], letters=True, scroll=False)], footer=[change, send])


def build_thanks(ctx: ScreenContext) -> QWidget:
    tr, controller = ctx.tr, ctx.controller
    screen = ctx.page(tr.t("thanks.title"), [card(label(tr.t("thanks.body")))],
                      footer=[button(tr.t("thanks.finish"), controller.finish, name="Primary",
                                     description=tr.t("thanks.desc_finish"))])

    def finish_if_shown() -> None:
        """The screen is hidden at once when it goes, but deleted, and its timer with it, only once the next
        screen is drawn (ui.after_paint): a thanks screen left behind must not end a later visit."""
        if not gone(screen):
            controller.finish()

    QTimer.singleShot(int(THANKS_S * 1000), screen, finish_if_shown)
    return screen
