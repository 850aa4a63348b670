"""The personal-information notice on the identify screen, before a card is read, and the separate consent
on the materials screen, before a document is photographed (kiosk.privacy holds the words)."""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk import privacy
from ui import design
from ui.screens.context import ScreenContext
from ui.widgets import card, label


def notice(ctx: ScreenContext) -> QWidget:
    """Four short lines, heading beside line where the width allows, else run on as one paragraph each."""
    rows = QWidget()
    grid = QGridLayout(rows)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setHorizontalSpacing(ctx.theme.space(4))
    grid.setVerticalSpacing(ctx.theme.space(1))
    for index, (heading, line) in enumerate(privacy.notice(ctx.session, ctx.tr)):
        if ctx.portrait or ctx.theme.large:     # narrow: heading and line run on, one paragraph each
            grid.addWidget(label(ctx.tr.t("common.pair", label=heading, value=line)), index, 0)
        else:
            grid.addWidget(label(heading, "Label"), index, 0)
            grid.addWidget(label(line), index, 1)
    grid.setColumnStretch(grid.columnCount() - 1, 1)
    frame = card(label(ctx.tr.t("privacy.title"), "Heading"), rows)
    frame.setProperty("privacy", True)
    return frame


def photo_consent(ctx: ScreenContext) -> QWidget:
    """单独同意: a box to tick, never ticked for the citizen; until it is, why the camera waits."""
    tr, steps, agreed = ctx.tr, ctx.controller.steps, ctx.session.photo_consent
    tick = design.choice(privacy.photo_consent(ctx.session, tr), lambda: steps.consent_to_photographs(not agreed),
                         ctx.theme, chosen=agreed, description=tr.t("privacy.photo_title"), multiple=True,
                         name="PhotoConsent")
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(ctx.theme.space(2))
    column.addWidget(label(tr.t("privacy.photo_title"), "Heading"))
    column.addWidget(tick)
    if not agreed:
        column.addWidget(label(tr.t("privacy.photo_needed"), "Reason"))
    return card(holder)
