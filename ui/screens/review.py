"""Review before submitting; while the application is written, the same screen waits, inert."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.session import State
from kiosk.voice import review_pairs
from ui.screens.context import ScreenContext
from ui.widgets import button, card, label, scrolling


def build(ctx: ScreenContext) -> QWidget:
    tr, session, controller = ctx.tr, ctx.session, ctx.controller
    rows = [label(tr.t("common.pair", label=name, value=value)) for name, value in review_pairs(session, tr)]
    submitting = session.state is State.SUBMITTING
    confirm = button(tr.t("review.submitting" if submitting else "review.confirm"), controller.confirm, name="Primary",
                     description=tr.t("desc.submitting" if submitting else "desc.confirm"))
    edit = button(tr.t("review.edit"), controller.back, name="back", description=tr.t("desc.edit"))
    confirm.setEnabled(not submitting)
    edit.setEnabled(not submitting)
    return ctx.page(tr.t("review.title"), [scrolling(card(*rows), tr.t("review.title"), tr.t("desc.guide"))],
                    footer=[edit, confirm])
