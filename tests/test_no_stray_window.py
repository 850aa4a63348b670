"""No part of a screen is ever shown as a window of its own: a widget made visible before it is placed in a
layout (the keys of a form with a problem, the appointment's keypad) flashed up as a top-level window and took
the kiosk's window out of focus, so after a failed 下一步 or 查询 the cursor and its keys never came (review k,
B1). Measured on every screen of the walk, in three modes and the three sizes."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

from tooling.screenshots import MODES, SIZES, walk
from ui.mainwindow import MainWindow

pytestmark = pytest.mark.gui


class Windows(QObject):
    """Every widget but the kiosk's own window shown as a window, with the screen it was shown on."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []
        self.screen = ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow() \
                and not isinstance(watched, MainWindow):
            self.shown.append(f"{type(watched).__name__} {watched.objectName()} after {self.screen}")
        return False


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_widget_but_the_kiosks_window_is_ever_a_window(qapp, size: tuple[int, int]) -> None:
    spy = Windows()
    application = qapp
    application.installEventFilter(spy)
    inactive: list[str] = []
    try:
        modes = {name: MODES[name] for name in ("normal", "assisted", "english-assisted")}
        for frame in walk(modes, sizes=[size]):
            spy.screen = f"{frame.screen} ({frame.mode})"
            if QApplication.activeWindow() is not frame.window:
                inactive.append(spy.screen)
    finally:
        application.removeEventFilter(spy)
    assert spy.shown == [] and inactive == []
