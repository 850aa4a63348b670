"""人证核验: before the camera turns on, what it is for and that the image stays on the kiosk; while it
is on, a frame to look into (seen and announced); after a failed try, a kind word, another try and staff
to ask; after three, the way out."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk import opening
from ui import design
from ui.screens.context import ScreenContext
from ui.widgets import card, label, scrolling

_FACE_ICON = "mdi6.face-recognition"


def _beside(icon: QWidget, words: QWidget, gap: int) -> QWidget:
    """The face cue beside where to look: one block, so a page of the accessible mode never holds the icon alone."""
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.setSpacing(gap)
    line.addWidget(icon, 0, Qt.AlignTop)
    line.addWidget(words, 1)
    return row


def build(ctx: ScreenContext) -> QWidget:
    tr, session, theme = ctx.tr, ctx.session, ctx.theme
    attempts = session.face
    if attempts.checking:
        doing = "face.turn_head" if attempts.turning else "face.hold_still"
        return design.please_wait(tr.t("face.checking"), tr.t(doing), theme)
    if attempts.exhausted:
        hall = opening.alternative_lines(ctx.controller.alternative_hall, tr, session.clock(), session.calendar)
        words = card(label(tr.t("face.way_out"), "Heading"), label(tr.t("face.way_out_why")),
                     label(tr.t("identity.hotline")), *(label(line) for line in hall), spacing=theme.gap_px)
        ask = design.primary(tr.t("identity.help_me"), ctx.controller.ask_for_help, tr.t("identity.desc.help_me"),
                             name="HelpMe")
        return ctx.page(tr.t("face.title"), [scrolling(words, tr.t("face.title"), tr.t("desc.guide"))],
                        footer=[ctx.back_button(), ask])
    size = theme.title_px * 2   # the frame a face goes in: seen at arm's length, small enough to page
    cue = design.icon_label(_FACE_ICON, theme.palette.text, size, name="FaceFrame")
    # consent first: on the first page of the accessible mode, with the button that turns the camera on
    privacy = card(label(tr.t("face.privacy")), spacing=theme.gap_px)
    lines = [_beside(cue, label(tr.t("face.hint")), theme.gap_px), label(tr.t("face.how"))]
    if attempts.used:           # the count only once a try failed: not a pressure before the first
        lines.append(label(tr.t("face.tries_left", tries=attempts.left), "Muted"))
    how = card(*lines, spacing=theme.gap_px)
    content = QWidget()
    column = QVBoxLayout(content)
    column.setContentsMargins(0, 0, 16, 0)
    column.setSpacing(theme.gap_px)
    for block in (privacy, how):
        column.addWidget(block)
    column.addStretch(1)
    again = "face.again" if attempts.used else "face.start"
    start = design.primary(tr.t(again), ctx.controller.face.check, tr.t("face.desc.start"), name="FaceStart")
    footer = [ctx.back_button(), start]
    if attempts.used:           # staff (帮办代办) from the first failure, not only once the tries are spent
        footer.insert(1, design.secondary(tr.t("identity.help_me"), ctx.controller.ask_for_help,
                                          tr.t("identity.desc.help_me"), name="HelpMe"))
    return ctx.page(tr.t("face.title"), [scrolling(content, tr.t("face.title"), tr.t("desc.guide"))], footer=footer)
