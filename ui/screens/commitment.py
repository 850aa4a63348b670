"""告知承诺 (art. 18): the commitment in full, read out, and a clear 我承诺 to consent; nothing is pre-ticked."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.screens.context import ScreenContext
from ui.widgets import button, card, label, scrolling


def build(ctx: ScreenContext) -> QWidget:
    tr, session = ctx.tr, ctx.session
    text = card(label(session.commitment_text(), "Commitment"), label(tr.t("apply.commitment.consequence"), "Muted"))
    agree = button(tr.t("apply.commitment.agree"), ctx.controller.steps.commit, name="Primary",
                   description=tr.t("apply.desc.agree"))
    agree.setProperty("role", "commit")
    return ctx.page(tr.t("apply.commitment.title"),
                    [scrolling(text, tr.t("apply.commitment.title"), tr.t("desc.guide"))],
                    subtitle=tr.t("apply.commitment.hint"), footer=[ctx.back_button(), agree])
