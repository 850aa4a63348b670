"""免申即享 (article 23): the policies the citizen receives without applying, and what happens next."""
from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.screens import online_parts
from ui.screens.context import ScreenContext
from ui.widgets import card, label, scrolling


def build(ctx: ScreenContext) -> QWidget:
    tr, visit = ctx.tr, ctx.session.online
    footer = [ctx.back_button(), online_parts.finish_button(ctx)]
    if visit.benefits is None:
        body = [card(label(online_parts.offline_text(ctx, None)))] if ctx.session.problem else \
            [online_parts.waiting(ctx)]
        return ctx.page(tr.t("benefits.title"), body, footer=footer)
    if not visit.benefits:
        return ctx.page(tr.t("benefits.title"), [card(label(tr.t("benefits.none")))], footer=footer)
    content = QWidget()
    column = QVBoxLayout(content)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(ctx.theme.gap_px)
    for benefit in visit.benefits:
        column.addWidget(card(
            label(tr.local(benefit.name), "Subtitle"),
            label(tr.t("common.pair", label=tr.t("benefits.amount"), value=tr.local(benefit.amount))),
            label(tr.t("common.pair", label=tr.t("benefits.next_step"), value=tr.local(benefit.next_step))),
            label(tr.t("common.pair", label=tr.t("benefits.payment"), value=tr.local(benefit.payment)), "Good")))
    if any(benefit.demo for benefit in visit.benefits):     # only made-up data says it is (review B4)
        column.addWidget(label(tr.t("online.demo_note"), "Muted"))
    return ctx.page(tr.t("benefits.title"), [scrolling(content, tr.t("benefits.title"), tr.t("desc.guide"))],
                    subtitle=tr.t("benefits.found", count=len(visit.benefits)), footer=footer)
