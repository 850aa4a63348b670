"""Technician mode through the real kiosk window: the hidden gesture and the PIN pad, the lockout that
survives a restart, the centre's QR token, leaving by itself, and the device pages on real devices."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QWidget

from devices.health import State as State_
from kiosk import accessibility as a11y
from kiosk.session import State
from kiosk.technician import (
    AUDIT_FILE,
    CENTRE_TIME_FILE,
    LOCKED,
    MAX_FAILURES,
    PIN_FILE,
    CentreTime,
    PinStore,
    issue_token,
)
from sync.casestore.enrol import centre_key
from tests.fixtures.common import wait_until
from tests.fixtures.kiosk import KioskUnderTest, newest
from tests.test_feedback_ui import at_centre
from ui.technician import gesture

PIN = "246810"
pytestmark = pytest.mark.gui


class Clock:
    """The gesture's clock, moved by the test: a 5-second hold takes no 5 seconds."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def touch(app: KioskUnderTest, where: QPoint, press: bool) -> None:
    """Press or lift where a finger would: on the deepest widget under that point of the window."""
    window = app.window
    target = window.childAt(where) or window
    local = target.mapFrom(window, where)
    (app.qtbot.mousePress if press else app.qtbot.mouseRelease)(target, Qt.LeftButton, pos=local)


def corners(app: KioskUnderTest) -> tuple[QPoint, QPoint]:
    inset = a11y.px(gesture.CORNER_MM, app.window.ppi) // 2
    return QPoint(inset, inset), QPoint(app.window.width() - inset, inset)


def do_gesture(app: KioskUnderTest, hold_s: float = gesture.HOLD_S) -> None:
    clock = Clock()
    app.kiosk.technician.gesture.clock = clock
    left, right = corners(app)
    touch(app, left, True)
    clock.now += hold_s
    touch(app, left, False)
    for _ in range(gesture.TAPS):
        clock.now += 1
        touch(app, right, True)
        touch(app, right, False)


def type_pin(app: KioskUnderTest, pin: str) -> None:
    for digit in pin:
        app.tap("Key", key=digit)
    app.tap("Primary", role="enter")


def centre_signing_key(app: KioskUnderTest) -> Ed25519PrivateKey:
    """The centre's key, once the kiosk has heard the centre's signed time (its first heartbeat): tokens
    are checked by that time, never by the kiosk's own clock."""
    config = app.kiosk.config
    app.qtbot.waitUntil(lambda: CentreTime(config.data_dir / CENTRE_TIME_FILE).now() is not None, timeout=15000)
    return centre_key(app.casestore.db_url, app.casestore.signing_key)


def audit_actions(app: KioskUnderTest) -> list[str]:
    path = app.kiosk.config.data_dir / AUDIT_FILE
    return [json.loads(line)["action"] for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture
def with_pin(kiosk_app: KioskUnderTest) -> KioskUnderTest:
    PinStore(kiosk_app.kiosk.config.data_dir / PIN_FILE).set_pin(PIN)
    return kiosk_app


def test_gesture_and_pin_enter_and_wipe_the_citizen(with_pin: KioskUnderTest) -> None:
    app = with_pin
    app.session.set_profile(app.session.profile.with_assisted(True))     # a citizen left it in the assisted mode
    do_gesture(app)
    technician = app.kiosk.technician
    assert technician.pad is not None and technician.pad.isVisible()
    assert app.session.state is State.ATTRACT and not app.session.profile.assisted
    type_pin(app, PIN)
    app.qtbot.waitUntil(lambda: technician.shell is not None)
    assert technician.shell.isVisible() and technician.pad is None
    assert app.buttons("TechPage", page="devices")
    app.qtbot.waitUntil(lambda: audit_actions(app) == ["entry"])
    app.tap("TechPage", page="paper")
    app.qtbot.waitUntil(lambda: audit_actions(app) == ["entry", "page"])
    app.tap("HeaderButton", role="leave")
    assert technician.shell is None
    app.qtbot.waitUntil(lambda: audit_actions(app)[-1:] == ["leave"])
    # the message queue delivers the trail to the centre, each event once, as the kiosk recorded it
    local = {json.loads(line)["id"]: json.loads(line)
             for line in (app.kiosk.config.data_dir / AUDIT_FILE).read_text().splitlines()}
    rows = wait_until(lambda: (found := at_centre(app, "audit_events")) and len(found) == len(local) and found,
                      timeout=15)
    assert {row["id"]: (row["technician"], row["action"], row["detail"]) for row in rows} == {
        key: (event["technician"], event["action"], event["detail"]) for key, event in local.items()}
    assert {row["kiosk_id"] for row in rows} == {app.kiosk.config.kiosk_id}


def test_a_short_hold_or_a_touch_elsewhere_opens_nothing(with_pin: KioskUnderTest) -> None:
    app = with_pin
    do_gesture(app, hold_s=gesture.HOLD_S - 1)
    assert app.kiosk.technician.pad is None
    clock = Clock()
    app.kiosk.technician.gesture.clock = clock
    left, right = corners(app)
    touch(app, left, True)
    clock.now += gesture.HOLD_S
    touch(app, left, False)
    touch(app, right, True)
    touch(app, right, False)
    middle = QPoint(app.window.width() // 2, 10)          # the header's title: touching it starts nothing
    touch(app, middle, True)
    touch(app, middle, False)
    for _ in range(2):
        touch(app, right, True)
        touch(app, right, False)
    assert app.kiosk.technician.pad is None


def test_five_wrong_pins_lock_out_across_a_restart(with_pin: KioskUnderTest) -> None:
    app = with_pin
    technician = app.kiosk.technician
    do_gesture(app)
    for _attempt in range(MAX_FAILURES):
        type_pin(app, "111111")
        app.qtbot.waitUntil(lambda: not technician.pad.busy)
    problem = newest(technician.pad, QLabel, "Problem")
    assert problem is not None and problem.isVisible()
    assert not technician.pad.control("enter").isEnabled()
    app.qtbot.waitUntil(lambda: "lockout" in audit_actions(app))
    assert audit_actions(app).count("pin_failed") == MAX_FAILURES
    technician.cancel_pad()
    # the same data directory in a new window, as after a restart: still locked, the right PIN too
    from ui.technician.entry import Technician
    restarted = Technician(app.window, app.kiosk.config, None, app.kiosk.bridge, technician.ops, technician.tokens)
    technician.deleteLater()
    app.kiosk.technician = restarted
    do_gesture(app)
    assert restarted.pad is not None and restarted.pad.locked_until is not None
    assert not restarted.pad.control("enter").isEnabled()
    assert restarted.pins.check(PIN).problem == LOCKED


def test_token_valid_expired_and_forged(with_pin: KioskUnderTest) -> None:
    app = with_pin
    technician = app.kiosk.technician
    centre = centre_signing_key(app)
    kiosk_id = app.kiosk.config.kiosk_id
    an_hour_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    expired = issue_token(centre, kiosk_id, "李工", 5, now=an_hour_ago)
    forged = issue_token(Ed25519PrivateKey.generate(), kiosk_id, "李工", 30)
    other_kiosk = issue_token(centre, "XY-OTHER-02", "李工", 30)
    for refused in (expired, forged, other_kiosk):
        assert technician.accept_code(refused)
        assert technician.shell is None
    app.qtbot.waitUntil(lambda: audit_actions(app).count("token_refused") == 3)
    assert not technician.accept_code("K24:XY-20261125-0007:a tracking code")      # not ours: left alone
    app.kiosk.controller.start()                                                     # a citizen is on the kiosk
    token = issue_token(centre, kiosk_id, "李工", 30)
    assert technician.accept_code(token)
    assert technician.shell is not None and app.session.state is State.ATTRACT
    assert technician.who == "李工"
    technician.leave()
    assert technician.accept_code(token) and technician.shell is None               # a token opens once


def test_leaves_by_itself_after_inactivity(with_pin: KioskUnderTest) -> None:
    app = with_pin
    technician = app.kiosk.technician
    technician.idle.timeout_s = 1
    technician.open_shell("pin")
    assert technician.shell is not None
    app.qtbot.waitUntil(lambda: technician.shell is None, timeout=4000)
    assert app.session.state is State.ATTRACT
    app.qtbot.waitUntil(lambda: audit_actions(app)[-1:] == ["leave"])
    events = [json.loads(line) for line in (app.kiosk.config.data_dir / AUDIT_FILE).read_text().splitlines()]
    assert events[-1]["detail"] == "timeout"


def test_devices_page_shows_an_unplugged_printer_with_its_last_error(with_pin: KioskUnderTest) -> None:
    app = with_pin
    technician = app.kiosk.technician
    technician.open_shell("pin")
    app.printer.stop()
    app.tap("Primary", role="check")
    shell = technician.shell

    def printer_row() -> str:
        rows = [w for w in shell.findChildren(QWidget) if w.property("device") == "printer"]
        return " ".join(label.text() for row in rows for label in row.findChildren(QLabel))

    app.qtbot.waitUntil(lambda: "未连接" in printer_row() and "最近故障：打印机" in printer_row())
    app.tap("HeaderButton", role="tech_language")              # the same page in English
    assert "Not connected" in printer_row() and "Last fault: the printer is not connected" in printer_row()


def run_scanner(app: KioskUnderTest, scanner) -> None:
    """Start a scanner as the kiosk does (Kiosk.start), as the kiosk's own."""
    app.kiosk.scanner = scanner
    app.kiosk.technician.ops.scanner = scanner
    scanner.start(app.kiosk.bridge.on_code, app.kiosk.bridge.on_problem, app.kiosk.on_health)
    app.qtbot.waitUntil(lambda: any(h.device == "scanner" and h.state is State_.OK
                                    for h in app.kiosk.technician.ops.health.latest()), timeout=5000)


def test_a_token_scanned_by_the_code_scanner_enters(with_pin: KioskUnderTest, serial_scanner_simulator) -> None:
    from devices.scanner.payload import PayloadRules
    from devices.scanner.serial_port import SerialScanner

    app = with_pin
    run_scanner(app, SerialScanner(serial_scanner_simulator.port, 9600, "cr", PayloadRules()))
    config = app.kiosk.config
    serial_scanner_simulator.scan(issue_token(centre_signing_key(app), config.kiosk_id, "王工", 1).encode())
    app.qtbot.waitUntil(lambda: app.kiosk.technician.shell is not None, timeout=5000)
    assert app.kiosk.technician.who == "王工"


def test_test_print_comes_out_of_the_printer_and_is_counted(with_pin: KioskUnderTest) -> None:
    app = with_pin
    technician = app.kiosk.technician
    technician.open_shell("pin")
    app.tap("TechPage", page="print")
    app.tap("Primary", role="print")
    [receipt] = app.printer.wait_for(1)
    assert "打印测试" in receipt.lines and any(p.startswith("K24:PRINT-TEST:") for p in receipt.qr_payloads)
    result = newest(technician.shell, QLabel, "Result")
    app.qtbot.waitUntil(lambda: result.text() == "已打印，打印机报告正常出纸")
    app.tap("TechPage", page="paper")
    counts = newest(technician.shell, QLabel, "Counts")
    app.qtbot.waitUntil(lambda: counts.text() == "换纸后已打印 1 张（累计 1 张）")
    app.tap("Primary", role="paper_replaced")
    app.qtbot.waitUntil(lambda: counts.text() == "换纸后已打印 0 张（累计 1 张）")
    app.qtbot.waitUntil(lambda: {"print_test", "paper_replaced"} <= set(audit_actions(app)))


def test_idcard_page_shows_masked_fields_only(with_pin: KioskUnderTest) -> None:
    from tests.fixtures.kiosk import resident_card

    app = with_pin
    technician = app.kiosk.technician
    technician.open_shell("pin")
    app.tap("TechPage", page="idcard")
    card = resident_card()
    app.reader.insert(card)
    fields = newest(technician.shell, QLabel, "CardFields")
    app.qtbot.waitUntil(lambda: fields.text().startswith("读取成功"), timeout=5000)
    assert card.masked_name() in fields.text() and card.id_number[-4:] in fields.text()
    assert card.name not in fields.text() and card.id_number not in fields.text()
    assert app.session.identity is None                  # the citizen's side never saw it


def test_scanner_page_previews_the_camera_and_lists_codes(with_pin: KioskUnderTest, tmp_path) -> None:
    import cv2
    import numpy as np
    import qrcode
    from PySide6.QtWidgets import QLabel as Label

    from devices.scanner.camera import CameraScanner
    from devices.scanner.payload import PayloadRules
    from devices.scanner.simulator import camera_frames

    app = with_pin
    picture = tmp_path / "code.png"
    qrcode.make("K24:SCANNER-TEST").save(picture)
    image = cv2.imread(str(picture), cv2.IMREAD_GRAYSCALE)
    assert isinstance(image, np.ndarray)
    source = camera_frames([image] * 5 + [None] * 8, tmp_path / "camera.avi")      # held up, taken away, again
    run_scanner(app, CameraScanner(source, PayloadRules(duplicate_window_s=0.2)))   # seen again, listed again
    technician = app.kiosk.technician
    technician.open_shell("pin")
    app.tap("TechPage", page="scanner")
    preview = newest(technician.shell, Label, "Preview")
    codes = newest(technician.shell, Label, "Codes")
    app.qtbot.waitUntil(lambda: preview.pixmap() is not None and not preview.pixmap().isNull(), timeout=5000)
    app.qtbot.waitUntil(lambda: "K24:SCANNER-TEST" in codes.text(), timeout=5000)
    app.tap("TechPage", page="devices")
    assert app.kiosk.scanner.on_frame is None                # no preview work once the page has gone


def test_keys_do_not_reach_the_citizen_screens_beneath(with_pin: KioskUnderTest) -> None:
    app = with_pin
    technician = app.kiosk.technician
    [start] = app.buttons("Primary")                                     # the attract screen's "touch to start"
    start.setFocus()
    technician.open_shell("pin")
    app.qtbot.keyClick(start, Qt.Key_Space)                              # even with focus left on it
    app.qtbot.keyClick(start, Qt.Key_Return)
    assert app.session.state is State.ATTRACT
    technician.leave()
    [start] = app.buttons("Primary")                                     # the attract screen drawn afresh
    app.qtbot.keyClick(start, Qt.Key_Space)
    assert app.session.state is State.SERVICES                           # the kiosk's own keys work again


def test_technician_screens_are_touch_sized_named_and_whole(tmp_path) -> None:
    """The screenshot walk's screens, measured as `kiosk24 audit` measures the citizens': every control
    at least MIN_TARGET_MM and named with a description, no text cut off, at every size in both languages."""
    from PySide6.QtWidgets import QPushButton

    from tooling.audit import clipped
    from tooling.technician_screenshots import walk

    found = []
    screens = 0
    for name, language, size, window in walk(tmp_path):
        screens += 1
        ppi = a11y.assumed_ppi(*size)
        for widget in window.findChildren(QWidget):
            if not widget.isVisibleTo(window):
                continue
            where = f"{name} {language} {size}: {type(widget).__name__} {getattr(widget, 'text', lambda: '')()!r}"
            if isinstance(widget, QPushButton):
                if not widget.accessibleName() or not widget.accessibleDescription():
                    found.append(f"{where} unnamed")
                if min(a11y.mm(widget.width(), ppi), a11y.mm(widget.height(), ppi)) < a11y.MIN_TARGET_MM:
                    found.append(f"{where} {widget.width()}x{widget.height()} px is too small to touch")
            if isinstance(widget, (QPushButton, QLabel)) and clipped(widget):
                found.append(f"{where} clipped")
    assert screens == 7 * 3 * 2
    assert not found, "\n".join(found)
