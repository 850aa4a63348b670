"""The attract screen: what a passer-by sees at 3 a.m.; one touch anywhere starts."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.screens import complaint
from ui.screens.context import ScreenContext
from ui.widgets import button, label


class AttractScreen(QWidget):
    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__()
        self.setObjectName("Body")
        self.ctx = ctx
        tr = ctx.tr
        layout = QVBoxLayout(self)
        margin = ctx.theme.margin_px
        layout.setContentsMargins(margin * 2, margin, margin * 2, margin * 2)
        layout.addStretch(2)
        for text, name in ((tr.t("attract.welcome"), "Title"), (tr.t("attract.hours"), "Subtitle"),
                           (tr.t("attract.offline_note"), "Muted")):
            widget = label(text, name)
            widget.setAlignment(Qt.AlignCenter)
            layout.addWidget(widget)
        layout.addStretch(3)
        start = button(tr.t("attract.touch"), ctx.controller.start, name="Primary", description=tr.t("desc.start"))
        start.setMinimumHeight(ctx.theme.target_px * 2)
        layout.addWidget(start)
        layout.addWidget(complaint.entry(ctx))

    def mousePressEvent(self, event: QMouseEvent) -> None:   # noqa: N802 (Qt's name)
        self.ctx.controller.start()


def build(ctx: ScreenContext) -> QWidget:
    return AttractScreen(ctx)
