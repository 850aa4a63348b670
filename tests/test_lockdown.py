"""Trying to leave the real kiosk window: keys from any keyboard, context menus, drag and drop, the
clipboard, displays coming and going, a crash. After each the window is still there, fullscreen."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QDragEnterEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

from kiosk import power
from kiosk.session import State
from tests.fixtures.kiosk import KioskUnderTest
from ui import lockdown

pytestmark = pytest.mark.gui

LEAVING_KEYS = [
    (Qt.Key_F4, Qt.AltModifier),                             # close window, on a desktop
    (Qt.Key_Tab, Qt.AltModifier),                            # switch window (the compositor's; cage has none)
    (Qt.Key_Q, Qt.ControlModifier), (Qt.Key_W, Qt.ControlModifier), (Qt.Key_F4, Qt.ControlModifier),
    (Qt.Key_Escape, Qt.ControlModifier | Qt.ShiftModifier),  # task manager
    (Qt.Key_Delete, Qt.ControlModifier | Qt.AltModifier),
    (Qt.Key_Backspace, Qt.ControlModifier | Qt.AltModifier),
    (Qt.Key_F2, Qt.ControlModifier | Qt.AltModifier),        # another VT
    (Qt.Key_Super_L, Qt.NoModifier), (Qt.Key_Menu, Qt.NoModifier), (Qt.Key_Close, Qt.NoModifier),
    (Qt.Key_F11, Qt.MetaModifier), (Qt.Key_Return, Qt.AltModifier),
]


@pytest.fixture
def locked(kiosk_app: KioskUnderTest) -> KioskUnderTest:
    """The kiosk as `kiosk24 run` shows it in service: close locked, lockdown placed."""
    kiosk_app.window.lock_close = True
    lockdown.Lockdown(kiosk_app.window).place()
    kiosk_app.qtbot.waitUntil(kiosk_app.window.isFullScreen)
    return kiosk_app


def still_there(app: KioskUnderTest) -> None:
    window = app.window
    assert window.isVisible() and window.isFullScreen()
    assert window.geometry() == QGuiApplication.primaryScreen().geometry()
    assert window.windowFlags() & Qt.FramelessWindowHint


def walk_to_form(app: KioskUnderTest) -> QLineEdit:
    service = next(s for s in app.session.catalog.services if s.hours.always and s.fields)
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("Domain", domain=service.domain.value)
    app.tap("Service", code=service.code)
    app.tap("Primary")
    app.wait_state(State.IDENTIFY)
    app.tap("demo_insert")
    app.wait_state(State.FORM)
    return next(f for f in app.window.findChildren(QLineEdit) if f.isVisible())


def test_no_key_combination_leaves_or_reaches_the_screen(locked: KioskUnderTest) -> None:
    app, profile = locked, locked.session.profile
    for key, modifiers in LEAVING_KEYS:
        app.qtbot.keyClick(app.window, key, modifiers)
        still_there(app)
    assert app.window.close() is False          # what Alt+F4 asks of a window with a window manager
    still_there(app)
    assert app.session.profile == profile        # Alt+F4 is not the keypad's F4 (speech rate) either
    assert app.session.state is State.ATTRACT
    app.qtbot.keyClick(app.window, Qt.Key_F4)    # the keypad's own key, unmodified, still works
    assert app.session.profile != profile


def test_fields_offer_no_context_menu_drag_drop_or_clipboard(locked: KioskUnderTest) -> None:
    app = locked
    field = walk_to_form(app)
    assert not field.dragEnabled()
    refuses_menu_drop_and_clipboard(app, field)


def test_the_complaint_words_offer_no_context_menu_drag_drop_or_clipboard(locked: KioskUnderTest) -> None:
    """The field of several lines is locked as the one-line fields are (ui.widgets.locked, TextArea)."""
    app = locked
    app.tap("Complain")
    app.wait_state(State.COMPLAINT)
    field = app.field("text")
    assert isinstance(field, QPlainTextEdit)
    field.insert("跑了两次都说材料不对。")
    refuses_menu_drop_and_clipboard(app, field)
    field.selectAll()
    assert not field.createMimeDataFromSelection().hasText()       # a drag out carries nothing


def refuses_menu_drop_and_clipboard(app: KioskUnderTest, field: QLineEdit | QPlainTextEdit) -> None:
    """No menu, no drop, no paste, no copy: a finger, a drag and the mouse land on a multi-line field's viewport."""
    surface = field.viewport() if isinstance(field, QPlainTextEdit) else field
    assert not field.acceptDrops() and not surface.acceptDrops()

    for reason in (QContextMenuEvent.Mouse, QContextMenuEvent.Keyboard):     # a long press arrives as Mouse
        target = surface if reason == QContextMenuEvent.Mouse else field
        QApplication.sendEvent(target, QContextMenuEvent(reason, QPoint(5, 5), target.mapToGlobal(QPoint(5, 5))))
    assert QApplication.activePopupWidget() is None

    mime = QMimeData()
    mime.setText("拖进来的文字")
    drag = QDragEnterEvent(QPoint(5, 5), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(surface, drag)
    assert not drag.isAccepted()

    QGuiApplication.clipboard().setText("110101199003071234")   # a previous citizen's number
    field.setFocus()
    before = field.text()
    app.qtbot.keyClick(field, Qt.Key_V, Qt.ControlModifier)
    app.qtbot.keyClick(field, Qt.Key_Insert, Qt.ShiftModifier)
    app.qtbot.mouseClick(surface, Qt.MiddleButton)
    assert field.text() == before
    field.selectAll()
    app.qtbot.keyClick(field, Qt.Key_C, Qt.ControlModifier)
    app.qtbot.keyClick(field, Qt.Key_X, Qt.ControlModifier)
    assert QGuiApplication.clipboard().text() == "110101199003071234" and field.text() == before
    still_there(app)


def test_the_window_returns_to_fullscreen_on_its_screen(locked: KioskUnderTest) -> None:
    app, window = locked, locked.window
    window.showNormal()                          # a compositor that takes fullscreen away
    app.qtbot.waitUntil(window.isFullScreen)
    window.setGeometry(10, 10, 300, 200)
    window.showMaximized()
    app.qtbot.waitUntil(window.isFullScreen)
    window.setGeometry(10, 10, 300, 200)
    QApplication.instance().screenAdded.emit(QGuiApplication.primaryScreen())   # a display plugged in
    app.qtbot.waitUntil(lambda: window.geometry() == QGuiApplication.primaryScreen().geometry())
    still_there(app)


def test_a_named_display_that_is_missing_falls_back_to_the_primary(kiosk_app: KioskUnderTest,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    keeper = lockdown.Lockdown(kiosk_app.window, "HDMI-A-9")
    keeper.place()
    assert keeper.screen is QGuiApplication.primaryScreen()
    assert "HDMI-A-9" in caplog.text and kiosk_app.window.isFullScreen()


CRASHING_APP = textwrap.dedent("""
    import logging, sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from ui import lockdown
    logging.basicConfig(level=logging.INFO)
    app = QApplication([])
    lockdown.install_crash_hook()
    def slot():
        raise ValueError("citizen 110101199003071234")
    QTimer.singleShot(0, slot)
    QTimer.singleShot(5000, lambda: app.exit(0))
    sys.exit(app.exec())
""")


def test_an_uncaught_exception_is_logged_and_restarts_instead_of_carrying_on() -> None:
    done = subprocess.run([sys.executable, "-c", CRASHING_APP], capture_output=True, text=True, timeout=30,
                          env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == power.RESTART_EXIT_CODE, done.stderr
    assert "uncaught ValueError; restarting the kiosk" in done.stderr and "in slot" in done.stderr
    assert "110101199003071234" not in done.stderr          # the message may hold a citizen's data


TWO_SCREENS = {"screens": [
    {"name": "HDMI-A-1", "x": 0, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96},
    {"name": "DP-2", "x": 1920, "y": 0, "width": 1080, "height": 1920, "logicalDpi": 96}]}
RUN_ON_DP2 = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication
    from kiosk import config
    from ui import runner

    def report(window, when):
        print(when, window.screen().name(), window.geometry().getRect(), window.isFullScreen(), flush=True)

    def built(kiosk):
        window, app = kiosk.window, QApplication.instance()
        def moved_away():
            report(window, "placed")
            window.showNormal()                                    # the compositor moves it to the other display
            window.setGeometry(100, 100, 800, 600)
            app.screenAdded.emit(QGuiApplication.screens()[0])      # and a display comes
            QTimer.singleShot(1000, lambda: (report(window, "after"), app.exit(0)))
        QTimer.singleShot(1500, moved_away)

    settings = config.load(None, {}, data_dir=sys.argv[1], centre_url="http://127.0.0.1:9", display="DP-2")
    sys.exit(runner.run(settings, on_built=built))
""")


def test_kiosk24_run_keeps_to_its_configured_display_among_two(tmp_path) -> None:
    import json
    import os

    layout = tmp_path / "screens.json"
    layout.write_text(json.dumps(TWO_SCREENS), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={layout}"}
    done = subprocess.run([sys.executable, "-c", RUN_ON_DP2, str(tmp_path / "data")], capture_output=True,
                          text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    lines = [line.split(" ", 2) for line in done.stdout.splitlines() if line.startswith(("placed", "after"))]
    expected = ["DP-2", "(1920, 0, 1080, 1920) True"]
    assert lines == [["placed", *expected], ["after", *expected]]
