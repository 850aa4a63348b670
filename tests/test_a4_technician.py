"""The A4 printer as the technician meets it, in the real kiosk window with a real cupsd behind it: its
queue's state and IPP reasons on the devices page, its pages counted on the paper page, and "A4 paper
loaded" restarting a queue an empty tray stopped. And what a citizen would be told, in both languages."""
from __future__ import annotations

import io

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from devices.cups_sandbox import QUEUE, CupsSandbox
from kiosk import a4_printing
from kiosk.consumables import CountingA4Printer
from kiosk.i18n import Translator
from kiosk.ports import A4PrintError, A4Status
from kiosk.technician import PIN_FILE, PinStore
from tests.fixtures.kiosk import KioskUnderTest, newest


@pytest.fixture
def kiosk_overrides(cupsd: CupsSandbox) -> dict[str, object]:
    return {"a4_printer": f"{QUEUE}@{cupsd.server}"}


def a4_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text(app: KioskUnderTest) -> str:
    return " ".join(label.text() for label in app.kiosk.technician.shell.findChildren(QLabel) if label.isVisible())


def a4_row(app: KioskUnderTest) -> str:
    shell = app.kiosk.technician.shell
    rows = [w for w in shell.findChildren(QWidget) if w.property("device") == "a4printer"]
    return " ".join(label.text() for row in rows for label in row.findChildren(QLabel))


@pytest.mark.gui
def test_the_technician_sees_the_empty_tray_fills_it_and_counts_the_pages(kiosk_app: KioskUnderTest,
                                                                         cupsd: CupsSandbox) -> None:
    app, ops = kiosk_app, kiosk_app.kiosk.technician.ops
    assert ops.a4_printer is not None and ops.a4_paper is not None
    printing = CountingA4Printer(ops.a4_printer, ops.a4_paper)      # as a printing service holds it
    cupsd.paper_out()
    with pytest.raises(A4PrintError, match="media-empty"):
        printing.print_pdf(a4_pdf(2), "公积金缴存证明")
    PinStore(app.kiosk.config.data_dir / PIN_FILE).set_pin("246810")
    app.kiosk.technician.open_shell("pin")
    app.qtbot.waitUntil(lambda: "A4 打印机" in a4_row(app) and "故障" in a4_row(app)
                        and f"{QUEUE}: media-empty" in a4_row(app))

    cupsd.paper_loaded()
    app.tap("TechPage", page="paper")
    counts = newest(app.kiosk.technician.shell, QLabel, "A4Counts")
    app.qtbot.waitUntil(lambda: counts.text() == "加纸后已打印 0 页（累计 0 页）")
    app.tap("", role="a4_paper_loaded")
    app.qtbot.waitUntil(lambda: "上次加纸：2" in text(app))             # the date it was filled, no longer "no record"
    assert printing.status() == A4Status(True, ())
    assert printing.print_pdf(a4_pdf(3), "公积金缴存证明") == 3
    app.tap("TechPage", page="paper")
    counts = newest(app.kiosk.technician.shell, QLabel, "A4Counts")
    app.qtbot.waitUntil(lambda: counts.text() == "加纸后已打印 3 页（累计 3 页）")
    app.tap("TechPage", page="devices")
    app.qtbot.waitUntil(lambda: "正常" in a4_row(app))


@pytest.mark.parametrize(("status", "key"), [
    (A4Status(True, ()), None),
    (A4Status(True, ("toner-low",)), None),
    (A4Status(False, ("paused", "media-empty")), "a4_printer.paper_out"),
    (A4Status(False, ("media-jam",)), "a4_printer.jam"),
    (A4Status(False, ("toner-empty",)), "a4_printer.toner_out"),
    (A4Status(False, ("offline",)), "a4_printer.offline"),
    (A4Status(False, ("queue-not-found",)), "a4_printer.offline"),
    (None, "a4_printer.absent"),
])
def test_the_reason_a_citizen_is_told_names_the_cause_and_promises_no_text_message(
        status: A4Status | None, key: str | None) -> None:
    """The guide's problem before identifying (what follows it on the glass: tests/test_document_not_printed.py).
    Nothing on this kiosk sends a text message, so no word offers one."""
    assert a4_printing.status_key(status) == key
    if key is not None:
        for language in ("zh_CN", "en"):
            text = Translator(language).t(key)
            assert text != key and "短信" not in text and "text message" not in text


def test_a_failed_job_is_told_by_its_reason() -> None:
    assert a4_printing.reason_key("media-empty") == "a4_printer.paper_out"
    assert a4_printing.reason_key("timed-out") == "a4_printer.failed"
    assert a4_printing.reason_key("cover-open") == "a4_printer.jam"
    assert a4_printing.reason_key("marker-supply-empty") == "a4_printer.toner_out"
    assert a4_printing.reason_key("anything-else") == "a4_printer.offline"
