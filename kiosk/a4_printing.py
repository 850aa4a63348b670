"""Why the A4 printer cannot print, in a citizen's words, and what the kiosk can do instead.

The printing services ask before the citizen identifies (the guide says it up front) and read a failed
job's reason after it (the result screen says it). What is offered instead is only what this kiosk
really does: a slip on the receipt printer with the document's number and verification code (the
document is issued and kept at the centre either way; anyone it is shown to checks it by its code), the
nearest hall and 12345. Nothing here sends a text message, so no screen offers one.
"""
from __future__ import annotations

from kiosk.ports import A4Status

PAPER_OUT = frozenset({"media-empty", "media-needed", "input-tray-missing"})
JAMMED = frozenset({"media-jam", "door-open", "cover-open", "interlock-open", "output-area-full"})
TONER_OUT = frozenset({"toner-empty", "marker-supply-empty"})
JOB_FAILED = frozenset({"document-invalid", "document-too-large", "timed-out", "job-aborted", "job-canceled"})
ABSENT = "a4_printer.absent"
RECEIPT_PRINTER = "printer"     # the receipt printer's name in device health (devices/printer/driver.py)


def reason_key(reason: str) -> str:
    """The message for one reason (an A4PrintError's): paper out, a jam, no toner, a job that failed, or not working."""
    if reason in PAPER_OUT:
        return "a4_printer.paper_out"
    if reason in JAMMED:
        return "a4_printer.jam"
    if reason in TONER_OUT:
        return "a4_printer.toner_out"
    if reason in JOB_FAILED:
        return "a4_printer.failed"
    return "a4_printer.offline"


def status_key(status: A4Status | None) -> str | None:
    """None when the printer can print now (toner low is the technician's business, not the citizen's);
    status None: this kiosk has no A4 printer."""
    if status is None:
        return ABSENT
    if status.ready:
        return None
    said = [r for r in status.reasons if r in PAPER_OUT | JAMMED | TONER_OUT]     # what a citizen can picture first
    return reason_key(said[0]) if said else "a4_printer.offline"


def slip_possible(unavailable_devices: frozenset[str]) -> bool:
    """A slip can be offered: the kiosk has a receipt printer (ui/bootstrap.py marks a missing one) and its
    last health report did not find it down."""
    return RECEIPT_PRINTER not in unavailable_devices
