"""Help requests (帮办代办) are queued on the kiosk at once, durably, for sync to deliver."""
import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from kiosk.application import CHINA_TZ
from kiosk.help import HelpRequest
from kiosk.messages import QueuedHelpDesk, help_body
from kiosk.session import State
from kiosk.storage import open_database
from sync.messages import MessageOutbox


def request(screen: str = "form") -> HelpRequest:
    return HelpRequest.new(kiosk_id="XY-TEST-01", location="信阳市政务服务中心", screen=screen, service_code="T-001",
                           language="zh_CN", assisted=True, audio_only=False,
                           requested_at=dt.datetime(2026, 11, 25, 10, 30, tzinfo=CHINA_TZ))


def queue(path: Path) -> MessageOutbox:
    return MessageOutbox(open_database(path / "kiosk.db"), "XY-TEST-01")


def test_requests_are_kept_in_order_across_restarts(tmp_path: Path) -> None:
    first, second = request("form"), request("review")
    assert QueuedHelpDesk(queue(tmp_path)).request_help(first).ok
    assert QueuedHelpDesk(queue(tmp_path)).request_help(second).ok
    claimed = queue(tmp_path).claim()
    assert [(c.kind, c.key) for c in claimed] == [("help", first.key), ("help", second.key)]
    assert claimed[0].body == help_body(first) and claimed[0].body["id"] == first.key
    assert first.key != second.key


def test_a_call_that_cannot_be_kept_is_a_named_failure(tmp_path: Path) -> None:
    messages = queue(tmp_path)
    (tmp_path / "outbox.key").unlink()              # the key file is gone: nothing can be sealed
    outcome = QueuedHelpDesk(messages).request_help(request())
    assert outcome.problem == "help.failed" and "key file" in outcome.detail


@pytest.mark.gui
def test_the_help_button_records_the_call_and_tells_what_happens_next(qtbot, session, tmp_path: Path) -> None:
    from ui.access import Access
    from ui.bridge import Bridge
    from ui.controller import Controller
    from ui.mainwindow import MainWindow

    bridge = Bridge()
    messages = queue(tmp_path)
    controller = Controller(session, None, None, bridge, help_desk=QueuedHelpDesk(messages),
                            location="信阳市政务服务中心")
    window = MainWindow(controller, 120, 20, lock_close=False, access=Access())
    qtbot.addWidget(window)
    window.resize(1080, 1920)
    window.show()
    controller.start()
    controller.toggle_assisted()
    qtbot.mouseClick(window.header_button("help"), Qt.LeftButton)
    qtbot.waitUntil(window.help.isVisible, timeout=5000)
    assert window.help.message.text() == session.translator.t("help.sent")
    [recorded] = messages.claim()
    assert recorded.kind == "help"
    assert (recorded.body["screen"], recorded.body["assisted"], recorded.body["location"]) == (
        "services", True, "信阳市政务服务中心")
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


@pytest.mark.gui
def test_a_card_reader_down_is_no_dead_end(kiosk_app) -> None:
    """With the reader unplugged, identification offers staff (the one primary action, the 帮办代办 call),
    the hotline and the configured hall with its hours, formatted as the out-of-service notice is."""
    from kiosk import hours
    from tests.test_identity_flows import PROXY_SERVICE, open_service, texts

    app = kiosk_app
    open_service(app, PROXY_SERVICE)
    app.tap("Primary")
    app.wait_state(State.IDENTIFY)
    assert not app.buttons("HelpMe")                          # the reader works: laying the card is the action
    app.reader.unplug()
    app.qtbot.waitUntil(lambda: "idcard" in app.session.unavailable_devices, timeout=10_000)
    app.qtbot.waitUntil(lambda: bool(app.buttons("HelpMe")), timeout=5_000)
    [ask] = app.buttons("Primary")
    assert ask.property("handle") == "HelpMe" and ask.text() == "请工作人员帮我"
    controller, tr = app.kiosk.controller, app.session.translator
    hall = hours.alternative_lines(controller.alternative_place, controller.alternative_hours, tr)
    app.turn_to(next(label for label in app.window.findChildren(QLabel) if label.text() == hall[0]))
    assert "12345" in texts(app) and all(line in texts(app) for line in hall)
    app.tap("HelpMe")
    app.qtbot.waitUntil(app.window.help.isVisible, timeout=5_000)
    app.reader.plug()
    app.qtbot.waitUntil(lambda: "idcard" not in app.session.unavailable_devices, timeout=10_000)
