"""Check your answers before submitting: question, answer and 修改 per row (修改 goes to that answer and
comes back here); while the application is written, a full-screen please-wait instead."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk import review
from kiosk.session import State
from ui import design
from ui.onward import pages_first
from ui.paging import Pages
from ui.screens.context import ScreenContext
from ui.widgets import scrolling


def build(ctx: ScreenContext) -> QWidget:
    tr, session, controller = ctx.tr, ctx.session, ctx.controller
    if session.state is State.SUBMITTING:
        return design.please_wait(tr.t("review.submitting"), tr.t("review.submitting_why"), ctx.theme)
    rows = [design.Answer(row.label, row.value,
                          None if row.step is None else (lambda r=row: controller.revise(r.step, r.key)),
                          row.key or (row.step.value if row.step else ""))
            for row in review.rows(session, tr)]
    confirm = design.primary(tr.t("review.confirm"), controller.confirm, tr.t("desc.confirm"))
    back = ctx.back_button()
    if session.profile.assisted:        # 确认提交 only once every answer has been on the glass
        pages = _paged(ctx, rows)
        footer = pages_first(pages, confirm, controller.confirm, tr, (back, controller.back))
        body: QWidget = pages
    else:
        body = scrolling(design.answers(rows, tr, ctx.theme), tr.t("review.title"), tr.t("desc.guide"))
        footer = [back, confirm]
    return ctx.page(tr.t("review.title"), [body], subtitle=tr.t("review.hint"), footer=footer)


def _paged(ctx: ScreenContext, rows: list[design.Answer]) -> Pages:
    """The accessible mode: nothing scrolls; the answers on pages the screen holds whole (ui.paging)."""
    tr = ctx.tr
    pages = Pages([design.answers([row], tr, ctx.theme) for row in rows], 0, *ctx.page_turners(),
                  lambda n, of: tr.t("access.page_of", page=n, pages=of))
    pages.setProperty("fills", True)
    return pages
