"""What a citizen is told when the A4 printer cannot print: one key per cause, each saying honestly that
this kiosk cannot print now and what to do instead (an electronic copy by text message, or the nearest
hall). The printing services ask before the citizen identifies, and again with a failed job's reason."""
from __future__ import annotations

from kiosk.ports import A4Status

PAPER_OUT = frozenset({"media-empty", "media-needed", "input-tray-missing"})
JAMMED = frozenset({"media-jam", "door-open", "cover-open", "interlock-open", "output-area-full"})
JOB_FAILED = frozenset({"document-invalid", "document-too-large", "timed-out", "job-aborted", "job-canceled"})
ABSENT = "a4_printer.absent"


def reason_key(reason: str) -> str:
    """The message for one reason (an A4PrintError's): paper out, a jam, a job that failed, or not working."""
    if reason in PAPER_OUT:
        return "a4_printer.paper_out"
    if reason in JAMMED:
        return "a4_printer.jam"
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
    said = [r for r in status.reasons if r in PAPER_OUT | JAMMED]       # what a citizen can picture first
    return reason_key(said[0]) if said else "a4_printer.offline"
