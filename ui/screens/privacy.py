"""The personal-information notice on the identify screen, before a card is read, and the separate consent
on the materials screen, before a document is photographed (kiosk.privacy holds the words)."""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk import privacy
from ui import design
from ui.screens.context import ScreenContext
from ui.widgets import card, label


def notice(ctx: ScreenContext) -> QWidget:
    """Four short lines, heading beside line where the width allows, else run on as one paragraph each: then a
    column, so the accessible mode pages the notice by its paragraphs (a grid was one block, in the largest English
    taller than the page it was on, its last lines cut)."""
    lines = privacy.notice(ctx.session, ctx.tr)
    rows = QWidget()
    if ctx.portrait or ctx.theme.large:     # narrow: heading and line run on, one paragraph each
        column = QVBoxLayout(rows)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(ctx.theme.space(1))
        for heading, line in lines:
            column.addWidget(label(ctx.tr.t("common.pair", label=heading, value=line)))
    else:
        grid = QGridLayout(rows)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(ctx.theme.space(4))
        grid.setVerticalSpacing(ctx.theme.space(1))
        for index, (heading, line) in enumerate(lines):
            grid.addWidget(label(heading, "Label"), index, 0)
            grid.addWidget(label(line), index, 1)
        grid.setColumnStretch(1, 1)
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
