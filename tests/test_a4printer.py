"""The A4 printer driver against a real cupsd started here (tests/fixtures/cups.py): a PDF out of the
queue byte for byte, an empty tray said before the next job, a stopped or unknown queue and a dead
server said as reasons, never as a crash."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices import diagnostics
from devices.a4printer import CupsA4Printer, health_of, page_count, parse_queue, status_of
from devices.cups_sandbox import QUEUE, CupsSandbox
from devices.health import Health, State
from kiosk.config import Config
from kiosk.ports import A4PrintError, A4Status


def pdf_of(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)            # A4 in points
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def printer(server: CupsSandbox, queue: str = QUEUE) -> tuple[CupsA4Printer, list[Health]]:
    seen: list[Health] = []
    return CupsA4Printer(queue, server.server, on_health=seen.append, poll_s=0.02, job_timeout_s=10), seen


def test_a_pdf_comes_out_of_the_queue_byte_for_byte_with_its_pages(cupsd: CupsSandbox) -> None:
    a4, seen = printer(cupsd)
    document = pdf_of(3)
    assert a4.status() == A4Status(True, ())
    assert a4.print_pdf(document, "社保参保缴费证明") == 3
    [printed] = cupsd.printed()
    assert printed.read_bytes() == document
    assert cupsd.spooled() == [] and cupsd.jobs() == 0          # purged: no copy left in CUPS's spool
    assert [h.state for h in seen] == [State.OK, State.OK, State.OK]     # the look, before and after the job


def test_an_empty_tray_is_said_before_the_next_job_and_nothing_comes_out_later(cupsd: CupsSandbox) -> None:
    a4, seen = printer(cupsd)
    cupsd.paper_out()
    with pytest.raises(A4PrintError) as first:          # the backend finds the tray empty and stops the queue
        a4.print_pdf(pdf_of(1), "不动产登记信息查询结果")
    assert first.value.reason == "media-empty"
    assert cupsd.connection().getJobs(which_jobs="not-completed") == {}   # cancelled, not printed at 3 a.m.
    status = a4.status()
    assert not status.ready and "media-empty" in status.reasons
    assert seen[-1].state is State.FAULT and "media-empty" in seen[-1].detail
    jobs = cupsd.jobs()
    with pytest.raises(A4PrintError) as second:
        a4.print_pdf(pdf_of(1), "不动产登记信息查询结果")
    assert second.value.reason == "media-empty"
    assert cupsd.jobs() == jobs                          # refused before a job was made
    assert cupsd.printed() == []


def test_restart_after_the_paper_is_loaded_prints_again(cupsd: CupsSandbox) -> None:
    a4, _ = printer(cupsd)
    cupsd.paper_out()
    with pytest.raises(A4PrintError):
        a4.print_pdf(pdf_of(1), "test")
    cupsd.paper_loaded()                                 # cupsenable: CUPS still holds the backend's reason
    assert "media-empty" in a4.status().reasons
    assert a4.restart() == A4Status(True, ())
    assert a4.print_pdf(pdf_of(2), "test") == 2
    assert len(cupsd.printed()) == 1


def test_a_stopped_or_refusing_queue_is_not_ready(cupsd: CupsSandbox) -> None:
    a4, _ = printer(cupsd)
    cupsd.connection().disablePrinter(QUEUE, reason="service")      # cupsdisable -r service
    assert a4.status() == A4Status(False, ("paused",))
    with pytest.raises(A4PrintError, match="paused"):
        a4.print_pdf(pdf_of(1), "test")
    cupsd.connection().enablePrinter(QUEUE)
    cupsd.connection().rejectJobs(QUEUE)                             # cupsreject
    assert a4.status() == A4Status(False, ("not-accepting-jobs",))
    assert cupsd.jobs() == 0


def test_a_printer_that_never_finishes_is_given_up_and_its_job_cancelled(cupsd: CupsSandbox) -> None:
    a4 = CupsA4Printer(QUEUE, cupsd.server, poll_s=0.02, job_timeout_s=0.5)
    cupsd.hang()
    with pytest.raises(A4PrintError, match="timed-out"):
        a4.print_pdf(pdf_of(1), "test")
    assert cupsd.connection().getJobs(which_jobs="all") == {} and cupsd.spooled() == []
    assert a4.status() == A4Status(True, ())


def test_an_unknown_queue_is_named_as_such(cupsd: CupsSandbox) -> None:
    a4, seen = printer(cupsd, "no-such-queue")
    assert a4.status() == A4Status(False, ("queue-not-found",))
    assert seen[-1].detail == "no-such-queue: queue-not-found"
    with pytest.raises(A4PrintError, match="queue-not-found"):
        a4.print_pdf(pdf_of(1), "test")
    assert a4.restart() == A4Status(False, ("queue-not-found",))   # and lpadmin did not make one
    assert "no-such-queue" not in cupsd.connection().getPrinters()


def test_a_server_that_is_down_is_offline_not_a_crash(cupsd: CupsSandbox) -> None:
    a4, seen = printer(cupsd)
    cupsd.stop()
    assert a4.status() == A4Status(False, ("offline",))
    assert seen[-1] == Health("a4printer", State.FAULT, f"{QUEUE}: offline", seen[-1].since)
    seen.clear()
    with pytest.raises(A4PrintError, match="offline"):
        a4.print_pdf(pdf_of(1), "test")
    assert [h.detail for h in seen] == [f"{QUEUE}: offline"]               # the technician sees why it failed
    closed_port = CupsA4Printer(QUEUE, "127.0.0.1:9")                 # discard: nothing listens there
    assert closed_port.status() == A4Status(False, ("offline",))


def test_what_is_not_a_pdf_never_reaches_the_queue(cupsd: CupsSandbox) -> None:
    a4, _ = printer(cupsd)
    for junk in (b"", b"hello", b"%PDF-1.7\n garbage", pdf_of(1)[:200]):
        with pytest.raises(A4PrintError, match="document-invalid"):
            a4.print_pdf(junk, "test")
    assert cupsd.jobs() == 0


def test_devices_status_names_the_queue_and_its_reasons(cupsd: CupsSandbox, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """`kiosk24 devices status`: monitoring alarms on the exit code, a technician reads the reasons."""
    import argparse

    def status(setting: str) -> tuple[int, dict[str, object]]:
        code = diagnostics.cmd_status(argparse.Namespace(json=True), Config(data_dir=tmp_path, a4_printer=setting))
        [a4] = [d for d in json.loads(capsys.readouterr().out)["devices"] if d["device"] == "a4printer"]
        return code, a4

    code, a4 = status(f"{QUEUE}@{cupsd.server}")
    assert (code, a4["state"], a4["detail"], a4["where"]) == (0, "ok", QUEUE, f"{QUEUE}@{cupsd.server}")
    cupsd.paper_out()
    with pytest.raises(A4PrintError):
        printer(cupsd)[0].print_pdf(pdf_of(1), "test")
    code, a4 = status(f"{QUEUE}@{cupsd.server}")
    assert (code, a4["state"], a4["detail"]) == (1, "fault", f"{QUEUE}: media-empty, paused")
    code, a4 = status("two words")
    assert (code, a4["state"]) == (1, "fault") and "not a CUPS queue name" in str(a4["detail"])


@pytest.mark.parametrize(("raw", "state", "expected"), [
    (["none"], 3, A4Status(True, ())),
    (["toner-low-warning"], 3, A4Status(True, ("toner-low",))),
    (["media-empty-error"], 4, A4Status(False, ("media-empty",))),
    (["media-jam"], 3, A4Status(False, ("media-jam",))),
    (["offline-report"], 3, A4Status(False, ("offline",))),
    (["marker-waste-full-error"], 3, A4Status(False, ("marker-waste-full",))),   # any "-error" blocks
    (["none"], 5, A4Status(False, ("paused",))),
])
def test_ipp_reasons_as_the_kiosk_reads_them(raw: list[str], state: int, expected: A4Status) -> None:
    assert status_of(state, True, raw) == expected


def test_health_says_warning_for_a_printer_that_still_prints() -> None:
    assert health_of("a4", A4Status(True, ("toner-low",))).state is State.WARNING
    ok = health_of("a4", A4Status(True, ()))
    assert (ok.device, ok.state, ok.detail) == ("a4printer", State.OK, "a4")


@given(st.lists(st.text(max_size=40), max_size=8), st.sampled_from([3, 4, 5]), st.booleans())
def test_any_reasons_give_a_status_and_blocked_always_has_a_reason(raw: list[str], state: int, accepting: bool) -> None:
    status = status_of(state, accepting, raw)
    assert status.ready or status.reasons


def test_queue_setting() -> None:
    assert parse_queue("kiosk-a4") == ("kiosk-a4", "")
    assert parse_queue("kiosk-a4@/run/cups/cups.sock") == ("kiosk-a4", "/run/cups/cups.sock")
    assert parse_queue("a4@printhost:631") == ("a4", "printhost:631")
    for bad in ("", "two words", "a/b", "a4@", "x" * 128):
        with pytest.raises(ValueError):
            parse_queue(bad)


def test_page_count_and_size_bound() -> None:
    assert page_count(pdf_of(5)) == 5
    with pytest.raises(A4PrintError, match="document-too-large"):
        page_count(b"%PDF-" + bytes(40 * 1024 * 1024))


def test_the_demo_says_once_why_it_has_no_a4_printer_or_prints_into_its_data_dir(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from devices import cups_sandbox, factory
    from tooling import demo

    with monkeypatch.context() as without:
        without.setattr(cups_sandbox, "CUPSD", str(tmp_path / "no-cupsd"))
        assert demo.start_a4_printer(tmp_path / "elsewhere") is None
        said = f"demo: no A4 printer, so no certified documents printed: {cups_sandbox.missing()}"
    assert [r.message for r in caplog.records] == [said]
    if cups_sandbox.missing():
        pytest.skip(cups_sandbox.missing())
    sandbox = demo.start_a4_printer(tmp_path / "demo" / "documents")
    assert sandbox is not None
    try:    # the kiosk's own factory reaches it by the setting the demo gives the kiosk
        a4 = factory.a4_printer(Config(data_dir=tmp_path, a4_printer=sandbox.queue))
        assert a4 is not None and a4.print_pdf(pdf_of(1), "营业执照") == 1
        assert [p.parent for p in sandbox.printed()] == [tmp_path / "demo" / "documents"]
    finally:
        sandbox.stop()
    assert sandbox.process.returncode is not None and not Path(sandbox.server).exists()
    assert sandbox.printed()                                         # the demo's PDFs outlive its cupsd
