"""Device faults become heartbeat alerts with stable codes: from the printer's real status bytes to the centre."""
from __future__ import annotations

import json

import sqlalchemy as sa

from devices.health import Health, State
from devices.printer.driver import NetworkConnection, ReceiptPrinter
from devices.printer.profile import PROFILE_80MM
from devices.printer.simulator import PrinterSimulator, PrinterState
from sync import alerts
from sync.casestore.db import Heartbeat, make_engine
from tests.fixtures.common import free_port
from tests.fixtures.kiosk import KioskUnderTest


def codes(*healths: Health) -> list[str]:
    return [a["code"] for a in alerts.from_devices([h.as_dict() for h in healths])]


def test_each_fault_that_stops_a_citizen_has_its_code() -> None:
    assert codes(Health("printer", State.ABSENT, "printer.unreachable")) == ["printer.absent"]
    assert codes(Health("printer", State.FAULT, "printer.paper_out")) == ["printer.paper_out"]
    assert codes(Health("printer", State.FAULT, "printer.cover_open")) == ["printer.cover_open"]
    assert codes(Health("printer", State.FAULT, "printer.offline")) == ["printer.fault"]
    assert codes(Health("idcard", State.ABSENT, "no such port")) == ["idcard.absent"]
    assert codes(Health("scanner", State.ABSENT)) == ["scanner.absent"]
    assert codes(Health("printer", State.OK), Health("idcard", State.OK)) == []
    [low] = alerts.from_devices([Health("printer", State.WARNING, "printer.paper_near_end").as_dict()])
    assert (low["code"], low["severity"]) == ("printer.paper_near_end", "warning")
    [odd] = alerts.from_devices([{"device": "doccam", "state": "melted"}])   # a state nobody knows is a fault
    assert (odd["code"], odd["severity"]) == ("doccam.fault", "fault")


def test_the_printers_own_status_bytes_raise_paper_out_and_absent() -> None:
    with PrinterSimulator() as simulator:
        printer = ReceiptPrinter(NetworkConnection("127.0.0.1", simulator.port), PROFILE_80MM, timeout=1.0)
        assert codes(printer.status()) == []
        simulator.state = PrinterState.PAPER_END
        assert codes(printer.status()) == ["printer.paper_out"]
    gone = ReceiptPrinter(NetworkConnection("127.0.0.1", free_port()), PROFILE_80MM, timeout=0.5)
    assert codes(gone.status()) == ["printer.absent"]


def test_the_kiosk_asks_its_printer_at_each_heartbeat_and_tells_the_centre(kiosk_app: KioskUnderTest) -> None:
    kiosk_app.printer.state = PrinterState.PAPER_END
    kiosk_app.kiosk.worker.heartbeat()
    engine = make_engine(kiosk_app.casestore.db_url)
    with engine.connect() as connection:
        [beat] = connection.execute(sa.select(Heartbeat)).all()
    engine.dispose()
    report = json.loads(beat.report)
    assert "printer.paper_out" in [a["code"] for a in report["alerts"]]     # beside any other (no sound card here)
    [printer] = [d for d in report["devices"] if d["device"] == "printer"]
    assert (printer["state"], printer["detail"]) == ("fault", "printer.paper_out")
    assert report["version"] and report["interval_s"] == kiosk_app.kiosk.config.heartbeat_interval_s
