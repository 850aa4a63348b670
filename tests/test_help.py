"""Help requests (帮办代办) are recorded on the kiosk at once, durably, for sync to deliver."""
import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.application import CHINA_TZ
from kiosk.help import HelpLog, HelpRequest


def request(screen: str = "form") -> HelpRequest:
    return HelpRequest.new(kiosk_id="XY-TEST-01", location="信阳市政务服务中心", screen=screen, service_code="T-001",
                           language="zh_CN", assisted=True, audio_only=False,
                           requested_at=dt.datetime(2026, 11, 25, 10, 30, tzinfo=CHINA_TZ))


def test_requests_are_kept_in_order_across_restarts(tmp_path: Path) -> None:
    path = tmp_path / "kiosk" / "help.jsonl"
    first, second = request("form"), request("review")
    assert HelpLog(path).request_help(first).ok
    assert HelpLog(path).request_help(second).ok
    assert HelpLog(path).pending() == [first, second]
    assert first.key != second.key


def test_an_unwritable_place_is_a_named_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    outcome = HelpLog(blocker / "help.jsonl").request_help(request())
    assert outcome.problem == "help.failed" and outcome.detail


@pytest.mark.gui
def test_the_help_button_records_the_call_and_tells_what_happens_next(qtbot, session, tmp_path: Path) -> None:
    from ui.access import Access
    from ui.bridge import Bridge
    from ui.controller import Controller
    from ui.mainwindow import MainWindow

    bridge = Bridge()
    desk = HelpLog(tmp_path / "help.jsonl")
    controller = Controller(session, None, None, bridge, help_desk=desk, location="信阳市政务服务中心")
    window = MainWindow(controller, 120, 20, lock_close=False, access=Access())
    qtbot.addWidget(window)
    window.resize(1080, 1920)
    window.show()
    controller.start()
    controller.toggle_assisted()
    qtbot.mouseClick(window.header_button("help"), Qt.LeftButton)
    qtbot.waitUntil(window.help.isVisible, timeout=5000)
    assert window.help.message.text() == session.translator.t("help.sent")
    [recorded] = desk.pending()
    assert (recorded.screen, recorded.assisted, recorded.location) == ("services", True, "信阳市政务服务中心")
    qtbot.mouseClick(window.help.more, Qt.LeftButton)
    assert not window.help.isVisible() and session.state.value == "services"     # the visit goes on
    bridge.shutdown()


@pytest.mark.gui
def test_without_a_help_desk_the_citizen_is_told_to_call_12345(qtbot, session) -> None:
    from ui.bridge import Bridge
    from ui.controller import Controller
    from ui.mainwindow import MainWindow

    bridge = Bridge()
    window = MainWindow(Controller(session, None, None, bridge), 120, 20, lock_close=False)
    qtbot.addWidget(window)
    window.show()
    window.controller.ask_for_help()
    assert window.help.isVisible() and "12345" in window.help.message.text()
    bridge.shutdown()
