"""Identify with the ID card: the reader is polled off the UI thread; this screen only waits."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ui.screens.context import ScreenContext
from ui.widgets import button, card, label


def build(ctx: ScreenContext) -> QWidget:
    tr, controller = ctx.tr, ctx.controller
    hint = label(tr.t("identify.hint"))
    hint.setAlignment(Qt.AlignCenter)
    picture = label("▭", "Title")   # a card outline; the glass shows the reader below
    picture.setAlignment(Qt.AlignCenter)
    picture.setStyleSheet(f"font-size: {ctx.theme.title_px * 2}px;")
    body: list[QWidget] = [card(picture, hint)]
    footer = [ctx.back_button()]
    if ctx.demo and controller.demo_insert is not None:
        footer.append(button(tr.t("identify.demo_insert"), controller.demo_insert, name="demo_insert",
                             description=tr.t("desc.demo_insert")))
    return ctx.page(tr.t("identify.title"), body, footer=footer)
