"""Two things every screen of the walk must be, checked in one walk (three modes, the three sizes):

- No part of a screen is ever shown as a window of its own: a widget made visible before it is placed in a
  layout (the keys of a form with a problem, the appointment's keypad) flashed up as a top-level window and took
  the kiosk's window out of focus, so after a failed 下一步 or 查询 the cursor and its keys never came (review k,
  B1).
- A kiosk waiting for its citizen does no work. Pages measured their blocks by clearing the blocks' layouts, and a
  cleared layout that is shown asks to be laid out again, which asked the page for its size again: the kiosk laid
  itself out without end, a core kept busy on every form and every paged screen of the accessible mode (43 of the
  walk's screens at 1920x1080, ~1,500 layouts a second), and the next tap waited behind it. Once the screen has
  been drawn, the event loop's next turns find no layout to do: a loop leaves one queued on every turn.
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

from tooling.screenshots import MODES, SIZES, walk
from ui.mainwindow import MainWindow

pytestmark = pytest.mark.gui
TURNS = 10      # the event loop's turns let run on each screen, then watched: a loop asks on every one


class Watch(QObject):
    """Every widget but the kiosk's own window shown as a window, with the screen it was shown on; and the layouts
    asked for, of any widget, while counting."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []
        self.screen = ""
        self.counting = False
        self.layouts = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow() \
                and not isinstance(watched, MainWindow):
            self.shown.append(f"{type(watched).__name__} {watched.objectName()} after {self.screen}")
        elif kind == QEvent.Type.LayoutRequest and self.counting:
            self.layouts += 1
        return False


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_window_but_the_kiosks_is_ever_shown_and_a_drawn_screen_rests(qapp, size: tuple[int, int]) -> None:
    watch = Watch()
    qapp.installEventFilter(watch)
    inactive: list[str] = []
    busy: list[str] = []
    try:
        modes = {name: MODES[name] for name in ("normal", "assisted", "english-assisted")}
        for frame in walk(modes, sizes=[size]):
            watch.screen = f"{frame.screen} ({frame.mode})"
            if QApplication.activeWindow() is not frame.window:
                inactive.append(watch.screen)
            for _ in range(TURNS):          # what showing the screen itself left to do (a page filled, a focus moved)
                QApplication.processEvents()
            watch.counting, watch.layouts = True, 0
            for _ in range(TURNS):
                QApplication.processEvents()
            watch.counting = False
            if watch.layouts:
                busy.append(f"{watch.screen}: {watch.layouts} layouts")
    finally:
        qapp.removeEventFilter(watch)
    assert watch.shown == [] and inactive == [] and busy == []
