"""Help requests (帮办代办): kept on the kiosk at once, durably, for sync to deliver; told to the real case
store while the citizen waits, shown on the fleet page, acknowledged there by an operator, and the kiosk
says each stage only once it is true."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from sqlalchemy.orm import Session

from kiosk import catalog
from kiosk.application import CHINA_TZ
from kiosk.closure import Closure
from kiosk.help import Answer, HelpRequest
from kiosk.messages import QueuedHelpDesk, help_body
from kiosk.session import State
from kiosk.storage import open_database
from sync.casestore import operators
from sync.casestore.db import Base, HelpCall, make_engine
from sync.casestore.help_desk import LATE, open_calls
from sync.messages import MessageOutbox
from tests.fixtures.core import NOW

if TYPE_CHECKING:
    from ui.mainwindow import MainWindow


def request(screen: str = "form") -> HelpRequest:
    return HelpRequest.new(kiosk_id="XY-TEST-01", location="信阳市政务服务中心", screen=screen, service_code="T-001",
                           language="zh_CN", assisted=True, audio_only=False,
                           requested_at=dt.datetime(2026, 11, 25, 10, 30, tzinfo=CHINA_TZ))


def queue(path: Path) -> MessageOutbox:
    return MessageOutbox(open_database(path / "kiosk.db"), "XY-TEST-01")


def test_requests_are_kept_in_order_across_restarts(tmp_path: Path) -> None:
    first, second = request("form"), request("review")
    assert QueuedHelpDesk(queue(tmp_path)).request_help(first).value is Answer.OFFLINE     # kept, not yet told
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
def test_a_call_only_kept_is_never_said_to_be_told(qtbot, session, tmp_path: Path) -> None:
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
    qtbot.waitUntil(lambda: window.help.message.text() == session.translator.t("help.call.offline"), timeout=5000)
    assert window.help.isVisible() and "12345" in window.help.headline.text()   # kept only: never "staff told"
    notice = window.help
    assert notice.headline.isVisible() and notice.picture.isVisible()        # the hotline leads, its telephone drawn
    assert notice.headline.font().pixelSize() > notice.message.font().pixelSize()
    assert notice.more.text() == "再试一次" and notice.more.font().pixelSize() > window.theme.text_px
    assert notice.home.isVisible() and notice.home.text() == "返回"     # to what the citizen was doing
    header_foot, bar_top = window.header.geometry().bottom(), window.controls.geometry().top()
    assert notice.dialog.geometry().top() > header_foot and notice.dialog.geometry().bottom() < bar_top
    assert notice.dialog.height() > (bar_top - header_foot) * 0.9    # portrait: no half of the glass empty scrim
    [recorded] = messages.claim()
    assert recorded.kind == "help"
    assert (recorded.body["screen"], recorded.body["assisted"], recorded.body["location"]) == (
        "services", True, "信阳市政务服务中心")
    qtbot.mouseClick(window.help.more, Qt.LeftButton)                 # 再试一次: a second call, kept as the first
    qtbot.waitUntil(lambda: len(messages.claim()) == 1, timeout=5000)
    qtbot.waitUntil(window.help.isVisible, timeout=5000)
    qtbot.mouseClick(window.help.home, Qt.LeftButton)
    assert not window.help.isVisible() and session.state.value == "services"     # the visit goes on
    bridge.shutdown()


@pytest.fixture
def bare_window(qtbot, session) -> Iterator[MainWindow]:
    """The kiosk's window over session with no help desk, printer or centre: a call for help cannot be made."""
    from ui.bridge import Bridge
    from ui.controller import Controller
    from ui.mainwindow import MainWindow

    bridge = Bridge()
    window = MainWindow(Controller(session, None, None, bridge), 120, 20, lock_close=False)
    qtbot.addWidget(window)
    yield window
    bridge.shutdown()


@pytest.mark.gui
def test_without_a_help_desk_the_citizen_is_told_to_call_12345(bare_window) -> None:
    window = bare_window
    window.show()
    window.controller.ask_for_help()
    assert window.help.isVisible() and "12345" in window.help.headline.text()


@pytest.mark.gui
def test_a_call_that_reaches_no_one_offers_to_call_again_or_go_back(qtbot, session, bare_window) -> None:
    """Review 2026-12-06-c, item 1: a call that reached no staff promises no later arrival (a call heard after
    the citizen has left helps no one); it offers 再试一次, the one primary, and 返回 to what they were doing."""
    window = bare_window
    window.show()
    window.controller.start()
    window.controller.ask_for_help()
    assert window.help.isVisible() and window.help.more.text() == "再试一次" and window.help.home.text() == "返回"
    assert "恢复后" not in window.help.message.text() and "12345" in window.help.message.text()
    qtbot.mouseClick(window.help.more, Qt.LeftButton)
    assert window.help.isVisible() and "12345" in window.help.headline.text()      # called again: no one again
    qtbot.mouseClick(window.help.home, Qt.LeftButton)
    assert not window.help.isVisible() and session.state is State.SERVICES


@pytest.mark.gui
def test_help_on_a_kiosk_out_of_service_offers_no_continuing_and_keeps_the_place_readable(qtbot, session,
                                                                                       bare_window) -> None:
    """Review 2026-12-06-b, 13-help: over the out-of-service notice the help message closes (there is nothing to
    continue), and the place to go, dimmed under the scrim, is on the message itself at full contrast."""
    window = bare_window
    window.resize(1366, 768)
    window.show()
    session.set_closure(Closure(catalog.load().hall("SHQ"), NOW))
    window.render()
    window.controller.ask_for_help()
    assert window.help.isVisible() and "12345" in window.help.headline.text()
    assert window.help.more.text() == "再试一次" and window.help.home.text() == "返回"
    assert "继续" not in window.help.home.accessibleDescription()        # nothing to continue on a closed kiosk
    assert window.help.detail.isVisible() and "四一路 8 号" in window.help.detail.text()
    assert window.help.dialog.geometry().bottom() < window.height()                 # the whole message on the glass
    qtbot.mouseClick(window.help.home, Qt.LeftButton)
    assert not window.help.isVisible() and session.state is State.ATTRACT and session.closure is not None
    session.set_closure(None)
    window.render()
    window.controller.ask_for_help()                 # an open kiosk: the visit goes on; the call reached no one,
    assert "继续" in window.help.home.accessibleDescription()      # so the way without a phone is there too
    assert window.help.detail.text() == session.translator.t("out_of_service.go_to_hall")     # no hall configured


@pytest.mark.gui
def test_at_night_a_call_that_reaches_no_one_names_the_hall_and_when_it_opens(qtbot, session) -> None:
    """Review g, M11: at night, to an old person with no phone, "请拨打 12345" alone is a dead end. The notice names
    the kiosk's hall, its hours, and that it opens tomorrow at 08:30 (the session's clock: Wednesday 21:30)."""
    from ui.bridge import Bridge
    from ui.controller import Controller
    from ui.mainwindow import MainWindow

    hall = catalog.load().hall("XYZX")
    bridge = Bridge()
    window = MainWindow(Controller(session, None, None, bridge, alternative_hall=hall), 120, 20, lock_close=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.controller.start()
    window.controller.ask_for_help()
    said = window.help.detail.text()
    assert window.help.detail.isVisible() and "信阳市政务服务中心（信阳市羊山新区新七大道 99 号）" in said
    assert "法定工作日 08:30–12:00、14:30–17:30" in said and "大厅现在已下班，明天 08:30 开门。" in said
    assert window.help.dialog.geometry().bottom() < window.height()                 # the whole message on the glass
    bridge.shutdown()


@pytest.mark.gui
def test_a_card_reader_down_is_no_dead_end(kiosk_app) -> None:
    """With the reader unplugged, identification offers staff (the one primary action, the 帮办代办 call),
    the hotline and the configured hall with its hours, formatted as the out-of-service notice is."""
    from kiosk import opening
    from tests.test_identity_flows import PROXY_SERVICE, open_service

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
    hall = opening.alternative_lines(controller.alternative_hall, tr, app.session.clock(), app.session.calendar)
    app.turn_to(next(label for label in app.window.screen_widget.findChildren(QLabel) if label.text() == hall[0]))
    assert "12345" in app.texts() and all(line in app.texts() for line in hall)
    app.tap("HelpMe")
    app.qtbot.waitUntil(app.window.help.isVisible, timeout=5_000)
    app.reader.plug()
    app.qtbot.waitUntil(lambda: "idcard" not in app.session.unavailable_devices, timeout=10_000)


class Forms(HTMLParser):
    """The acknowledge forms of the fleet page's help calls, by call id, and the screen each call is on."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: dict[str, dict[str, str]] = {}
        self._call = ""
        self._cell = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr" and "help-call" in (found.get("class") or ""):
            self._call = found["data-call"] or ""
            self.calls[self._call] = {"kiosk": found["data-kiosk"] or ""}
        elif tag == "td" and self._call:
            self._cell = found.get("class") or ""
        elif tag == "form" and self._call:
            self.calls[self._call]["action"] = found["action"] or ""

    def handle_data(self, data: str) -> None:
        if self._cell == "screen":
            self.calls[self._call]["screen"] = data
            self._cell = ""


def fleet_calls(url: str, auth: tuple[str, str]) -> dict[str, dict[str, str]]:
    page = requests.get(f"{url}/fleet", auth=auth, timeout=5)
    assert page.status_code == 200
    forms = Forms()
    forms.feed(page.text)
    return forms.calls


@pytest.mark.gui
def test_a_help_call_reaches_an_operator_who_answers_while_the_citizen_waits(kiosk_app) -> None:
    app = kiosk_app
    operator = ("duty-officer", operators.create(app.casestore.db_url, "duty-officer"))
    tr, help_notice = app.session.translator, app.window.help
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.qtbot.mouseClick(app.window.header_button("help"), Qt.LeftButton)
    assert help_notice.message.text() in (tr.t("help.call.calling"), tr.t("help.call.notified"))
    app.qtbot.waitUntil(lambda: help_notice.message.text() == tr.t("help.call.notified"), timeout=10_000)
    [(call_id, call)] = fleet_calls(app.casestore.url, operator).items()       # live on the page, at once
    assert (call["kiosk"], call["screen"]) == (app.kiosk.config.kiosk_id, "services")
    assert help_notice.message.text() == tr.t("help.call.notified")            # nobody has answered yet

    forged = call["action"].split("?")[0] + "?check=" + "0" * 64               # another site's form
    assert requests.post(app.casestore.url + forged, auth=operator, timeout=5).status_code == 403
    assert requests.post(app.casestore.url + call["action"], timeout=5).status_code == 401
    taken = requests.post(app.casestore.url + call["action"], auth=operator, timeout=5, allow_redirects=False)
    assert taken.status_code == 303
    app.qtbot.waitUntil(lambda: help_notice.message.text() == tr.t("help.call.acknowledged"), timeout=10_000)
    assert help_notice.isVisible() and fleet_calls(app.casestore.url, operator) == {}   # off the waiting list
    answer = app.casestore.client(app.kiosk.config.kiosk_id).request("GET", f"/help-requests/{call_id}/answer")
    assert answer.json()["acknowledged"] is True
    other = app.casestore.client("XY-OTHER-02").request("GET", f"/help-requests/{call_id}/answer")
    assert other.status_code == 404                                            # a kiosk hears only its own calls


@pytest.mark.gui
def test_with_the_centre_down_the_kiosk_says_staff_are_not_told_and_offers_12345(kiosk_app) -> None:
    app = kiosk_app
    app.casestore.stop()
    tr = app.session.translator
    app.qtbot.mouseClick(app.window.header_button("help"), Qt.LeftButton)
    app.qtbot.waitUntil(lambda: app.window.help.message.text() == tr.t("help.call.offline"), timeout=15_000)
    assert "12345" in app.window.help.headline.text()
    assert [m.kind for m in app.kiosk.worker.messages.rows()] == ["help"]      # kept: sync delivers it later


def test_a_call_delivered_long_after_it_was_made_is_recorded_but_nobody_waits_for_it(tmp_path: Path) -> None:
    """A call kept on the kiosk while its network was down reaches the centre when the network is back; the
    citizen was told to call 12345 and has most likely gone, so the fleet page sends nobody to the kiosk."""
    engine = make_engine(f"sqlite:///{tmp_path / 'centre.db'}")
    Base.metadata.create_all(engine)
    now = dt.datetime.now(dt.UTC)
    made = {"kiosk_id": "XY-DEMO-01", "location": "大厅", "screen": "form", "service_code": "", "language": "zh_CN",
            "assisted": False, "audio_only": False}
    with Session(engine) as session:
        session.add_all([HelpCall(id="fresh", requested_at=now - dt.timedelta(minutes=1), at=now, **made),
                         HelpCall(id="late", requested_at=now - LATE - dt.timedelta(minutes=1), at=now, **made)])
        session.commit()
        assert [c.id for c in open_calls(session, now)] == ["fresh"]
        assert session.get(HelpCall, "late") is not None                    # recorded all the same
