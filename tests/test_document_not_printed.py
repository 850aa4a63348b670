"""When the A4 printer cannot print a certificate, what the citizen is told and can do, end to end with the
real cupsd, the real case store and the receipt printer simulator: before identifying (the guide says why
and offers the slip), after a job that failed (the result says why and offers the slip, the hall and
12345), and with the receipt printer down too (no slip is promised; the hall and 12345 are)."""
from __future__ import annotations

import urllib.parse
import urllib.request

import pytest

from devices.a4printer import CupsA4Printer
from devices.cups_sandbox import QUEUE, CupsSandbox
from devices.health import Health
from devices.health import State as HealthState
from devices.printer.simulator import PrinterSimulator, PrinterState
from kiosk.certified import grouped
from kiosk.print_status import Printing, PrintStatus
from kiosk.session import State
from kiosk.voice import announcement
from tests.fixtures.kiosk import KioskUnderTest, identify, open_guide, resident_card
from tests.test_document_printing import tray_found_empty

pytestmark = pytest.mark.gui
SOCIAL = "1141150041700395202000117061000"


@pytest.fixture
def kiosk_overrides(cupsd: CupsSandbox) -> dict[str, object]:
    return {"a4_printer": f"{QUEUE}@{cupsd.server}"}


def ask_for_the_document(app: KioskUnderTest) -> None:
    """From the guide's primary action to the result: identified by card, the form's first choices. The guide asks
    the centre once it is painted: its primary waits for the answer (it failed the tap now and then, disabled)."""
    app.qtbot.waitUntil(lambda: app.session.online.centre_online is True, timeout=10_000)
    app.tap("Primary")
    identify(app, State.FORM)
    app.tap("choice_content_0")
    app.tap("choice_period_0")
    app.onward()
    app.wait_state(State.QUERY_RESULT)
    app.qtbot.waitUntil(lambda: app.session.online.document is not None, timeout=15_000)


def slip_says(printer: PrinterSimulator) -> tuple[str, tuple[str, ...]]:
    [slip] = printer.wait_for(1, timeout=10)
    return "".join(line.strip() for line in slip.lines).replace(" ", ""), slip.qr_payloads


def test_paper_out_before_identifying_the_guide_offers_a_slip_and_the_slip_checks_the_issued_document(
        kiosk_app: KioskUnderTest, cupsd: CupsSandbox) -> None:
    app = kiosk_app
    tray_found_empty(cupsd)
    open_guide(app, SOCIAL)
    app.qtbot.waitUntil(lambda: app.session.online.a4_ready is False and app.session.online.centre_online is True,
                        timeout=10_000)
    assert app.session.problem == "a4_printer.paper_out"
    shown = app.texts()
    assert "本机 A4 打印机缺纸" in shown and "凭条" in shown and "12345" in shown and "短信" not in shown
    [start] = app.buttons("Primary")
    assert start.isEnabled() and start.text() == "办理并打印凭条"
    assert app.buttons("BookAtHall")[0].isEnabled()
    assert app.session.identity is None

    ask_for_the_document(app)
    document = app.session.online.document
    app.qtbot.waitUntil(lambda: app.session.online.slip == PrintStatus(Printing.PRINTED), timeout=10_000)
    printed, codes = slip_says(app.printer)
    assert cupsd.printed() == [] and cupsd.jobs() == 0          # the A4 printer was not asked
    assert grouped(document.document_id).replace(" ", "") in printed and document.code in printed
    assert "不是证明原件" in printed and "12345" in printed
    card = resident_card()
    assert card.id_number not in printed and card.name not in printed
    assert codes == (f"{app.casestore.url}/verify/{document.code}",)
    with urllib.request.urlopen(codes[0], timeout=10) as page:      # the QR's page answers: valid
        assert "有效" in page.read().decode("utf-8")
    form = urllib.parse.urlencode({"id_number": card.id_number}).encode()
    with urllib.request.urlopen(f"{codes[0]}/pdf", data=form, timeout=10) as copy:   # the holder's electronic copy
        assert copy.read() == document.pdf
    shown = app.texts()
    assert "本机 A4 打印机缺纸" in shown and "凭条已打印" in shown and grouped(document.document_id) in shown
    assert "凭条已打印" in announcement(app.session, app.session.translator)
    [finish] = app.buttons("Primary")                           # the slip is out: 完成 leads again
    assert finish.text() == app.session.translator.t("rating.ahead.finish")


def test_paper_out_the_guide_says_it_prints_on_the_receipt_printer_and_promises_no_a4_print(
        kiosk_app: KioskUnderTest, cupsd: CupsSandbox) -> None:
    """Review g, M13: with the A4 printer's problem in red, 打印办事指南 said neither which printer prints it nor
    that 办理流程's "本机打印：即时" no longer holds. The guide prints on the receipt printer: the button says so,
    and the step says the slip, on the glass and on the paper that comes out."""
    app = kiosk_app
    tr = app.session.translator
    tray_found_empty(cupsd)
    open_guide(app, SOCIAL)
    app.qtbot.waitUntil(lambda: app.session.online.a4_ready is False, timeout=10_000)
    [button] = app.buttons("PrintGuide")
    assert button.text() == "用凭条打印办事指南" and "凭条打印机" in button.accessibleDescription()
    step = tr.t("common.pair", label=tr.t("guide.step", index=3, name="本机打印"), value="{}")
    shown = app.texts()
    assert step.format("即时") not in shown and step.format(tr.t("guide.step_a4_slip")) in shown

    app.tap("PrintGuide")
    [paper] = app.printer.wait_for(1, timeout=10)
    printed = "".join(line.strip() for line in paper.lines).replace(" ", "")
    assert tr.t("guide.step_a4_slip").replace(" ", "") in printed and "即时" not in printed.split("本机打印")[-1]
    assert cupsd.jobs() == 0                                    # the A4 printer was not asked


def test_a_job_that_fails_after_identifying_offers_the_slip_the_hall_and_12345(
        kiosk_app: KioskUnderTest, cupsd: CupsSandbox) -> None:
    app = kiosk_app
    open_guide(app, SOCIAL)
    app.qtbot.waitUntil(lambda: app.session.online.a4_ready is True and app.session.online.centre_online is True,
                        timeout=10_000)
    cupsd.paper_out()                                           # runs out on this very job
    ask_for_the_document(app)
    app.qtbot.waitUntil(lambda: app.session.online.print_problem == "a4_printer.paper_out", timeout=15_000)
    document = app.session.online.document
    shown = app.texts()
    assert "本机 A4 打印机缺纸" in shown and "证明已由出具单位出具" in shown and "12345" in shown
    assert app.printer.receipts == []                           # nothing printed before the citizen asks
    app.tap("Primary", handle="PrintSlip")
    printed, codes = slip_says(app.printer)
    assert document.code in printed and codes == (f"{app.casestore.url}/verify/{document.code}",)
    app.qtbot.waitUntil(lambda: "凭条已打印" in app.texts(), timeout=10_000)
    assert app.buttons("PrintSlip") and app.buttons("PrintAgain")     # again, or the A4 printer once more

    cupsd.paper_loaded()                                        # the technician filled the tray meanwhile,
    assert CupsA4Printer(QUEUE, cupsd.server).restart().ready   # and pressed "A4 已加纸"
    app.tap("PrintAgain")
    app.qtbot.waitUntil(lambda: app.session.online.printed, timeout=15_000)
    assert [p.read_bytes() for p in cupsd.printed()] == [document.pdf] and not app.session.online.print_problem


def test_with_the_receipt_printer_down_too_no_slip_is_promised_the_hall_can_be_booked(
        kiosk_app: KioskUnderTest, cupsd: CupsSandbox) -> None:
    app = kiosk_app
    open_guide(app, SOCIAL)
    app.qtbot.waitUntil(lambda: app.session.online.a4_ready is True, timeout=10_000)
    cupsd.paper_out()
    ask_for_the_document(app)
    app.qtbot.waitUntil(lambda: app.session.online.print_problem == "a4_printer.paper_out", timeout=15_000)
    app.printer.state = PrinterState.PAPER_END                  # the slip's roll is out as well
    app.tap("Primary", handle="PrintSlip")
    app.qtbot.waitUntil(lambda: app.session.online.slip not in (None, PrintStatus(Printing.PRINTING)), timeout=15_000)
    assert "凭条也没能打印" in app.texts() and "12345" in app.texts()
    [finish] = app.buttons("Primary")
    assert finish.text() == app.session.translator.t("rating.ahead.finish")
    app.tap("BookAtHall")                                       # 预约到大厅办理: already identified
    app.wait_state(State.APPOINTMENT)
    assert app.session.identity is not None

    app.kiosk.controller.device_health(Health("printer", HealthState.FAULT, "paper end"))   # the heartbeat's finding
    app.tap("back")
    app.wait_state(State.DETAIL)
    tr = app.session.translator                                 # no slip promised, and why 开始办理 is off
    app.qtbot.waitUntil(lambda: app.session.online.a4_ready is False, timeout=10_000)
    app.qtbot.waitUntil(lambda: tr.t("document.slip.none") in app.texts(), timeout=10_000)     # drawn after it
    shown = app.texts()
    assert "本机 A4 打印机缺纸" in shown and "12345" in shown and "短信" not in shown
    assert tr.t("document.slip.none") in shown and tr.t("document.slip.offer_before") not in shown
    assert tr.t("guide.step_a4_out") in shown and tr.t("guide.step_a4_slip") not in shown
    [start] = app.buttons("Primary")
    assert not start.isEnabled() and start.text() == app.session.translator.t("detail.apply")
