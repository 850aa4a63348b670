"""A certified document from the attract screen to paper, through the real widgets and the real case
store: the A4 printer's state said before identification, the centre's signed bytes printed as they
are (the signature verifies), a reprint the same original, each print recorded; and a printed
document's QR scanned at the kiosk says it is genuine."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel

from devices.a4printer import CupsA4Printer
from devices.cups_sandbox import QUEUE, CupsSandbox
from devices.scanner.simulator import SerialScannerSimulator
from kiosk.certified import PRINT_LOG, PrintLog, grouped, verification_code
from kiosk.ports import A4PrintError
from kiosk.session import State
from kiosk.voice import announcement
from sync.document_signature import Verdict, certificate_path, verify
from tests.fixtures.kiosk import KioskUnderTest, identify, open_guide, resident_card
from tests.test_a4printer import pdf_of
from ui.keyboard import TextKeyboard
from ui.widgets import CodeField

pytestmark = pytest.mark.gui
SOCIAL = "1141150041700395202000117061000"


@pytest.fixture
def kiosk_overrides(serial_scanner_simulator: SerialScannerSimulator, cupsd: CupsSandbox) -> dict[str, object]:
    """The code scanner, and the A4 printer as a queue of the tests' own cupsd (tests/fixtures/cups.py)."""
    return {"scanner": f"serial://{serial_scanner_simulator.port}?suffix=cr", "a4_printer": f"{QUEUE}@{cupsd.server}"}


def tray_found_empty(cupsd: CupsSandbox) -> None:
    """The paper ran out on the last job: the backend said media-empty and CUPS stopped the queue."""
    cupsd.paper_out()
    with pytest.raises(A4PrintError):
        CupsA4Printer(QUEUE, cupsd.server).print_pdf(pdf_of(1), "test")


def jobs(cupsd: CupsSandbox) -> list[bytes]:
    return [path.read_bytes() for path in cupsd.printed()]


def test_verification_codes_are_read_from_the_qr_address_or_as_typed() -> None:
    assert verification_code("https://centre.example/verify/ABCDEFGHJKLMNPQR") == "ABCDEFGHJKLMNPQR"
    assert verification_code(" abcdefghjklmnpqr ") == "ABCDEFGHJKLMNPQR"
    for other in ("ABCDEFGHJKLMNPQ", "ABCDEFGHJKLMNPQO", "https://x/verify/ABCDEFGHJKLMNPQR/more", "", "X" * 4096):
        assert verification_code(other) is None


def test_paper_out_is_said_before_identification_then_the_signed_document_prints_once_as_an_original(
        kiosk_app: KioskUnderTest, cupsd: CupsSandbox, serial_scanner_simulator: SerialScannerSimulator) -> None:
    app = kiosk_app
    tray_found_empty(cupsd)
    open_guide(app, SOCIAL)
    app.qtbot.waitUntil(lambda: app.session.online.a4_ready is False, timeout=10_000)
    [start] = app.buttons("Primary")                         # a slip instead (tests/test_document_not_printed.py)
    assert start.text() == "办理并打印凭条" and app.session.problem == "a4_printer.paper_out"
    assert "本机 A4 打印机缺纸" in app.texts() and app.session.identity is None

    cupsd.paper_loaded()                                      # paper in, and the technician's "A4 已加纸":
    assert CupsA4Printer(QUEUE, cupsd.server).restart().ready  # the guide asks again on arrival
    app.tap("back")
    app.wait_state(State.SERVICES)
    app.tap("Service", code=SOCIAL)
    app.qtbot.waitUntil(lambda: app.session.online.a4_ready is True and app.session.online.centre_online is True,
                        timeout=10_000)
    app.tap("Primary")
    identify(app, State.FORM)
    app.tap("choice_content_0")
    app.tap("choice_period_0")
    app.onward()                                              # 下一步: the centre is asked for the document
    app.wait_state(State.QUERY_RESULT)
    app.qtbot.waitUntil(lambda: app.session.online.printed, timeout=15_000)
    document = app.session.online.document
    assert "社会保险参保缴费证明" in app.texts() and grouped(document.document_id) in app.texts()
    assert "已打印，请取走" in panel_text(app, "Panel") and grouped(document.document_id) in panel_text(app, "Panel")
    assert any(w.isVisible() for w in app.window.findChildren(QLabel, "Pictogram"))     # where the paper comes out
    [printed] = jobs(cupsd)                                   # through CUPS to the queue's backend
    assert printed == document.pdf                            # the centre's bytes, not a kiosk's composition
    said = announcement(app.session, app.session.translator)
    assert "社会保险参保缴费证明" in said and "已在 A4 纸上打印" in said
    pinned = certificate_path(app.casestore.signing_key.with_name("centre-documents.key")).read_bytes()
    assert verify(printed, pinned) is Verdict.VALID

    app.tap("PrintAgain")
    app.qtbot.waitUntil(lambda: len(jobs(cupsd)) == 2 and not app.session.online.printing, timeout=10_000)
    assert jobs(cupsd)[1] == printed and "文书编号不变" in app.texts()
    log = PrintLog(app.kiosk.config.data_dir / PRINT_LOG)
    first, again = log.entries()
    assert (first.document_id, first.reprint, again.document_id, again.reprint) == \
        (document.document_id, False, document.document_id, True)
    assert first.pages == 1 and log.pages() == 2
    card = resident_card()
    assert card.id_number not in log.path.read_text(encoding="utf-8") and first.holder.endswith(card.id_number[-4:])

    app.tap("Primary")                                        # 办结: the rating, then a bank clerk's check
    app.wait_state(State.RATING)
    app.tap("Skip")
    app.wait_state(State.ATTRACT)
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("VerifyDocument")
    app.wait_state(State.VERIFY_DOCUMENT)
    serial_scanner_simulator.scan(b"https://example.com/not-a-document")
    app.qtbot.waitUntil(lambda: app.session.problem == "verify.not_a_code", timeout=10_000)
    serial_scanner_simulator.scan(f"{app.casestore.url}/verify/{document.code}".encode())
    app.qtbot.waitUntil(lambda: app.session.online.document_check is not None, timeout=10_000)
    assert app.session.online.document_check.valid and "真实有效" in app.texts()
    assert "真实有效" in announcement(app.session, app.session.translator)
    app.tap("CheckAnother")
    app.qtbot.waitUntil(lambda: app.field("check_code") is not None and app.field("check_code").isVisible(),
                        timeout=5_000)
    assert app.session.online.document_check is None
    assert card.id_number not in app.texts() and card.name not in app.texts()
    app.type_code("check_code", document.code)               # without the scanner: tapped on the code keypad
    assert app.field("check_code").text() == grouped(document.code)
    app.tap("Primary")                                        # 核验
    app.qtbot.waitUntil(lambda: app.session.online.document_check is not None, timeout=10_000)
    assert app.session.online.document_check.valid and "真实有效" in panel_text(app, "Panel")



def to_verify(app: KioskUnderTest) -> None:
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("VerifyDocument")
    app.wait_state(State.VERIFY_DOCUMENT)


def panel_text(app: KioskUnderTest, name: str) -> str:
    """The words in the visible outcome panels of that name (Panel: good; ErrorSummary: not good)."""
    return "\n".join(w.text() for frame in app.window.findChildren(QFrame, name) if frame.isVisible()
                     for w in frame.findChildren(QLabel))


def test_a_code_tapped_on_the_code_keypad_is_grouped_in_fours_and_its_problem_says_what_is_missing(
        kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    to_verify(app)
    field = app.field("check_code")
    assert isinstance(field, CodeField) and not field.testAttribute(Qt.WA_InputMethodEnabled)
    assert not [k for k in app.window.findChildren(TextKeyboard) if k.isVisible()]   # Qt's is for Chinese text
    app.type_code("check_code", "7KQ3MX9DPA2HW5")                         # two characters short
    assert field.text() == "7KQ3 MX9D PA2H W5" and app.session.online.check_code == "7KQ3MX9DPA2HW5"
    assert "14 / 16" in app.texts()
    app.tap("Primary")
    app.qtbot.waitUntil(lambda: "还差 2 位" in app.texts(), timeout=5_000)
    field = app.field("check_code")
    assert field.property("problem") is True and field.text() == "7KQ3 MX9D PA2H W5"
    [bar] = [w for w in app.window.findChildren(QFrame, "InlineError") if w.isVisible()]   # the sentence at the field
    assert "还差 2 位" in bar.findChild(QLabel, "ErrorMessage").text()
    assert bar.mapTo(app.window, bar.rect().bottomLeft()).y() <= field.mapTo(app.window, field.rect().topLeft()).y()
    assert "不是证明上的验证码" not in app.texts()
    assert "还差 2 位" in announcement(app.session, app.session.translator)


def test_a_verdict_clears_the_problem_said_before_it_and_is_the_largest_thing_on_the_screen(
        kiosk_app: KioskUnderTest) -> None:
    """A red "not the code" beside 真实有效 leaves a clerk unable to tell whether the paper is genuine:
    the verdict redraws the screen whole, in a panel larger than anything else on it, and 核验另一份
    starts clean."""
    import dataclasses

    from kiosk import online_flow
    from kiosk.outcome import Outcome
    from tooling.online_samples import check

    app = kiosk_app
    to_verify(app)
    app.field("check_code").setText("7KQ3MX9DPA2HW5")                       # two characters short
    app.tap("Primary")
    app.qtbot.waitUntil(lambda: app.session.problem is not None, timeout=5_000)
    said = app.session.translator.t(app.session.problem)
    assert "还差" in app.texts()
    online_flow.check_answered(app.session, Outcome.success(check()))      # the centre's verdict arrives
    app.kiosk.controller.online.changed.emit()
    app.qtbot.waitUntil(lambda: "真实有效" in panel_text(app, "Panel"), timeout=5_000)
    assert app.session.problem is None and said not in app.texts() and "还差" not in app.texts()
    assert "7KQ3 MX9D PA2H W5TR" in panel_text(app, "Panel")
    [verdict] = [w for w in app.window.findChildren(QLabel, "PanelTitle") if w.isVisible()]
    others = [w for w in app.window.findChildren(QLabel) if w.isVisible() and w.text() and w is not verdict
              and w.objectName() not in ("PanelReference", "Title")]
    assert all(verdict.fontInfo().pixelSize() > w.fontInfo().pixelSize() for w in others)

    app.tap("CheckAnother")
    app.qtbot.waitUntil(lambda: app.field("check_code") is not None, timeout=5_000)
    online_flow.check_answered(app.session, Outcome.success(dataclasses.replace(check(), valid=False)))
    app.kiosk.controller.online.changed.emit()
    app.qtbot.waitUntil(lambda: "已撤销" in panel_text(app, "ErrorSummary"), timeout=5_000)
    assert not panel_text(app, "Panel")
    app.tap("CheckAnother")
    app.qtbot.waitUntil(lambda: app.field("check_code") is not None, timeout=5_000)
    online_flow.check_answered(app.session, Outcome.failure("verify.unknown_code", "404"))
    app.kiosk.controller.online.changed.emit()
    app.qtbot.waitUntil(lambda: "查不到这份证明" in panel_text(app, "ErrorSummary"), timeout=5_000)
    assert app.texts().count(app.session.translator.t("verify.unknown_code")) == 1     # said once, in its panel


def test_with_the_printer_out_the_way_out_is_on_the_first_page_with_the_halls_hours_named_as_the_halls() -> None:
    """The accessible mode pages the guide (18 to 21 pages): the way out (12345, the hall and its hours,
    预约到大厅办理) stays on the first, under the problem, and nothing points to "below" that is not."""
    from PySide6.QtWidgets import QPushButton

    from kiosk import hours
    from kiosk.catalog import load
    from kiosk.i18n import Translator
    from tooling.screenshots import MODES, walk

    certified = next(s for s in load().services if s.a4_document)
    assert certified.guide.hall is not None
    hall = hours.hall_opening(certified.guide.hall, Translator("zh_CN"))
    seen = 0
    for frame in walk({"assisted": MODES["assisted"]}, sizes=((1366, 768), (1920, 1080)),
                      screens="49-document-printer-out"):
        shown = "\n".join(w.text() for w in frame.window.findChildren(QLabel) if w.isVisible())
        assert f"大厅窗口办理时间：{hall}" in shown and "12345" in shown and "见本页下方" not in shown
        assert "24 小时" not in hall and "08:30" in hall
        assert [b for b in frame.window.findChildren(QPushButton, "BookAtHall") if b.isVisible()]
        seen += 1
    assert seen == 2
