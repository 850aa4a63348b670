"""人证核验: before the camera turns on, what it is for and that the image stays on the kiosk; while it
is on, a frame to look into (seen and announced); after three failed tries, the way out."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk import hours as house_style
from ui import design
from ui.screens.context import ScreenContext
from ui.widgets import card, label, scrolling

_FACE_ICON = "mdi6.face-recognition"


def build(ctx: ScreenContext) -> QWidget:
    tr, session, theme = ctx.tr, ctx.session, ctx.theme
    attempts = session.face
    if attempts.checking:
        doing = "face.turn_head" if attempts.turning else "face.hold_still"
        return design.please_wait(tr.t("face.checking"), tr.t(doing), theme)
    size = theme.title_px * 2   # the frame a face goes in: seen at arm's length, small enough to page
    cue = design.icon_label(_FACE_ICON, theme.palette.text, size, name="FaceFrame")
    cue.setFixedHeight(size)            # the frame's whole height, also on a page of the accessible mode
    cue.setAlignment(Qt.AlignCenter)
    if attempts.exhausted:
        hall = house_style.alternative_lines(ctx.controller.alternative_place, ctx.controller.alternative_hours, tr)
        words = card(label(tr.t("face.way_out"), "Subtitle"), label(tr.t("face.way_out_why")),
                     label(tr.t("identity.hotline")), *(label(line) for line in hall), spacing=theme.gap_px)
        ask = design.primary(tr.t("identity.help_me"), ctx.controller.ask_for_help, tr.t("identity.desc.help_me"),
                             name="HelpMe")
        return ctx.page(tr.t("face.title"), [scrolling(words, tr.t("face.title"), tr.t("desc.guide"))],
                        footer=[ctx.back_button(), ask])
    privacy = card(label(tr.t("face.privacy_title"), "Subtitle"), label(tr.t("face.privacy")), spacing=theme.gap_px)
    how = card(cue, label(tr.t("face.hint")), label(tr.t("face.how")),
               label(tr.t("face.tries_left", tries=attempts.left), "Muted"), spacing=theme.gap_px)
    content = QWidget()
    column = QVBoxLayout(content)
    column.setContentsMargins(0, 0, 16, 0)
    column.setSpacing(theme.gap_px)
    for block in (how, privacy):
        column.addWidget(block)
    column.addStretch(1)
    start = design.primary(tr.t("face.start"), ctx.controller.face.check, tr.t("face.desc.start"), name="FaceStart")
    return ctx.page(tr.t("face.title"), [scrolling(content, tr.t("face.title"), tr.t("desc.guide"))],
                    footer=[ctx.back_button(), start])
