"""A kiosk waiting for its citizen does no work. Pages measured their blocks by clearing the blocks' layouts, and a
cleared layout that is shown asks to be laid out again, which asked the page for its size again: the kiosk laid
itself out without end, a core kept busy on every form and every paged screen of the accessible mode (43 of the
walk's screens at 1920x1080, ~1,500 layouts a second), and the next tap waited behind it.

Measured on every screen of the walk: once the screen has been drawn, the event loop's next turns find no layout
to do. A loop leaves one queued on every turn; a kiosk at rest, none."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from tooling.screenshots import MODES, SIZES, walk

pytestmark = pytest.mark.gui
TURNS = 10      # the event loop's turns let run on each screen, then watched: a loop asks on every one


class Layouts(QObject):
    """Layouts asked for, of any widget."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LayoutRequest:
            self.asked += 1
        return False


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_drawn_screen_asks_for_no_more_layouts(qapp, size: tuple[int, int]) -> None:
    busy: list[str] = []
    modes = {name: MODES[name] for name in ("normal", "assisted")}
    for frame in walk(modes, sizes=[size]):
        for _ in range(TURNS):          # what showing the screen itself left to do (a page filled, a focus moved)
            QApplication.processEvents()
        layouts = Layouts()
        qapp.installEventFilter(layouts)
        try:
            for _ in range(TURNS):
                QApplication.processEvents()
        finally:
            qapp.removeEventFilter(layouts)
        if layouts.asked:
            busy.append(f"{frame.screen} ({frame.mode}): {layouts.asked} layouts")
    assert busy == []
