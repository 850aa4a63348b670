"""Out of service: instead of "touch to start", where citizens can go now. A technician set it; only a
technician lifts it. The header (language, accessible mode, help) stays, as on every screen, and the
keypad's repeat key reads the notice again (kiosk.voice says the same lines)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk import voice
from ui.screens.context import ScreenContext
from ui.widgets import card, label


def build(ctx: ScreenContext) -> QWidget:
    closure = ctx.session.closure
    assert closure is not None
    title, where, *rest, hotline, sorry = voice.closure_lines(closure, ctx.tr, ctx.session.clock(),
                                                             ctx.session.calendar)
    # the two ways on at the lead's size, the hall's long address wrapping whole (at the title's size it was
    # cut in English portrait); its hours and when it opens next under it
    lines = [label(where, "Lead"), *(label(line) for line in rest), label(hotline, "Lead"), label(sorry, "Muted")]
    for line in lines:
        line.setAlignment(Qt.AlignCenter)
    return ctx.page(title, [card(*lines, spacing=ctx.theme.gap_px * 2)])
