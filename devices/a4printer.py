"""The A4 laser printer, through CUPS: a signed PDF to a queue, the queue's state and reasons over IPP.

pycups (OpenPrinting's binding of libcups) speaks IPP to cupsd, synchronously, on the caller's (a
device) thread. The state is read before each job, so a citizen is told about an empty tray before
the document is sent, and the job is followed until CUPS says it was printed: a job left waiting
behind a jam is cancelled, so a citizen's certificate never comes out hours later in an empty hall, and
every job is purged once followed, so no copy of it stays in CUPS's spool.
CUPS counts no pages of a PDF sent as it is, so the pages are counted from the PDF (pypdf).
"""
from __future__ import annotations

import io
import shutil
import subprocess
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from devices.health import Health, State
from kiosk.ports import A4PrintError, A4Status

if TYPE_CHECKING:
    import cups

DEVICE = "a4printer"
MAX_PDF_BYTES = 32 * 1024 * 1024     # a few signed certificates are well under 1 MB
MAX_TITLE = 120                      # CUPS keeps job names to 255 bytes; ours name a document type only
QUEUE_FORBIDDEN = set(" \t/\\#?@'\"")  # what lpadmin refuses in a queue name (and our @SERVER separator)
# Reasons that stop paper coming out, whatever severity the printer gives them; any "-error" one also does.
BLOCKING = frozenset({"media-empty", "media-needed", "media-jam", "door-open", "cover-open", "interlock-open",
                      "input-tray-missing", "output-area-full", "marker-supply-empty", "toner-empty",
                      "offline", "paused", "shutdown", "queue-not-found", "not-accepting-jobs"})
SEVERITIES = ("-error", "-warning", "-report")
PRINTER_ATTRIBUTES = ["printer-state", "printer-state-reasons", "printer-is-accepting-jobs"]
IPP_PRINTER_STOPPED = 5
IPP_NOT_FOUND = 0x0406
PURGE_WAIT_S = 5.0                   # for CUPS to stop a job's backend before the job can be purged
JOB_DONE = {9: "", 7: "job-canceled", 8: "job-aborted"}    # completed, canceled, aborted


def parse_queue(setting: str) -> tuple[str, str]:
    """'kiosk-a4' or 'kiosk-a4@SERVER' (host, host:port or a socket path) into (queue, server)."""
    queue, _, server = setting.partition("@")
    if not queue or len(queue) > 127 or QUEUE_FORBIDDEN & set(queue) or not queue.isprintable():
        raise ValueError(f"a4_printer: {setting!r} is not a CUPS queue name (printable, no spaces, / # ? @)")
    if "@" in setting and not server:
        raise ValueError(f"a4_printer: {setting!r} names no server after '@'")
    return queue, server


def reason_of(raw: str) -> str:
    """'toner-low-warning' -> 'toner-low': the kiosk's words do not depend on how a printer grades them."""
    for suffix in SEVERITIES:
        if raw.endswith(suffix):
            return raw[: -len(suffix)]
    return raw


def status_of(state: int, accepting: bool, raw_reasons: list[str]) -> A4Status:
    """The queue's IPP attributes as the kiosk's value: blocked by a stop, a refusal or a blocking reason."""
    reasons = tuple(dict.fromkeys(reason_of(r) for r in raw_reasons if r != "none"))
    if not accepting:
        reasons += ("not-accepting-jobs",)
    if state == IPP_PRINTER_STOPPED and "paused" not in reasons:
        reasons += ("paused",)
    blocked = any(r in BLOCKING for r in reasons) or any(r.endswith("-error") for r in raw_reasons)
    return A4Status(not blocked, reasons)


def blocking_reason(status: A4Status) -> str:
    """The reason to give for not printing: the first that blocks, a stop ('paused') only when nothing says why."""
    named = [r for r in status.reasons if r in BLOCKING and r != "paused"]
    return (named or list(status.reasons) or ["offline"])[0]


def health_of(queue: str, status: A4Status) -> Health:
    """For the technician's devices page and the heartbeat: the queue's name and its IPP reasons."""
    detail = f"{queue}: {', '.join(status.reasons)}" if status.reasons else queue
    if status.ready:
        return Health(DEVICE, State.WARNING if status.reasons else State.OK, detail)
    return Health(DEVICE, State.FAULT, detail)


def page_count(pdf: bytes) -> int:
    """Pages of a PDF; a file that is not one is refused before it reaches the printer."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if len(pdf) > MAX_PDF_BYTES:
        raise A4PrintError("document-too-large")
    if not pdf.startswith(b"%PDF-"):
        raise A4PrintError("document-invalid")
    try:
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
    except (PyPdfError, ValueError, KeyError, TypeError):
        raise A4PrintError("document-invalid") from None
    if pages < 1:
        raise A4PrintError("document-invalid")
    return pages


class CupsA4Printer:
    """kiosk.ports.A4Printer over a CUPS queue. Every status read, before and after each job, also goes to
    on_health, so the technician sees what the last citizen met."""

    def __init__(self, queue: str, server: str = "", *, on_health: Callable[[Health], None] | None = None,
                 job_timeout_s: float = 180.0, poll_s: float = 0.1) -> None:
        self.queue = queue
        self.server = server              # "": libcups' own choice (the local cupsd)
        self.on_health = on_health
        self.job_timeout_s = job_timeout_s
        self.poll_s = poll_s

    def _connect(self) -> cups.Connection:
        import cups

        try:
            if not self.server:
                return cups.Connection()
            host, _, port = self.server.rpartition(":") if not self.server.startswith("/") else (self.server, "", "")
            if port.isdigit():
                return cups.Connection(host=host, port=int(port))
            return cups.Connection(host=self.server)
        except RuntimeError:                  # libcups: "failed to connect to server"
            raise A4PrintError("offline") from None

    def _read(self, connection: cups.Connection) -> A4Status:
        import cups

        try:
            attrs = connection.getPrinterAttributes(self.queue, requested_attributes=PRINTER_ATTRIBUTES)
        except cups.IPPError as exc:
            return A4Status(False, ("queue-not-found",) if exc.args[0] == IPP_NOT_FOUND else ("offline",))
        raw = attrs.get("printer-state-reasons", [])
        return status_of(int(attrs.get("printer-state", IPP_PRINTER_STOPPED)),
                         bool(attrs.get("printer-is-accepting-jobs", False)), raw if isinstance(raw, list) else [raw])

    def _reported(self, status: A4Status) -> A4Status:
        if self.on_health is not None:
            self.on_health(health_of(self.queue, status))
        return status

    def status(self) -> A4Status:
        try:
            connection = self._connect()
        except A4PrintError as exc:
            return self._reported(A4Status(False, (exc.reason,)))
        return self._reported(self._read(connection))

    def print_pdf(self, pdf: bytes, title: str) -> int:
        """title names the document (its type), never the citizen: CUPS keeps it in its logs and job list."""
        import cups

        pages = page_count(pdf)
        try:
            connection = self._connect()
        except A4PrintError as exc:
            self._reported(A4Status(False, (exc.reason,)))
            raise
        before = self._reported(self._read(connection))
        if not before.ready:
            raise A4PrintError(blocking_reason(before))
        name = "".join(c for c in title if c.isprintable())[:MAX_TITLE] or "Kiosk24"
        try:
            job = connection.createJob(self.queue, name, {})
            connection.startDocument(self.queue, job, name, "application/pdf", True)
            connection.writeRequestData(pdf, len(pdf))
            connection.finishDocument(self.queue)
        except cups.IPPError:
            raise A4PrintError(blocking_reason(self._reported(self._read(connection)))) from None
        self._follow(connection, job)
        return pages

    def _follow(self, connection: cups.Connection, job: int) -> None:
        """Until CUPS reports the job printed; a job the printer cannot finish is cancelled and the reason raised.
        Either way the job is purged: CUPS would keep the citizen's document in its spool for a day."""
        import cups

        deadline = time.monotonic() + self.job_timeout_s
        while True:
            try:
                state = int(connection.getJobAttributes(job, requested_attributes=["job-state"])["job-state"])
            except (cups.IPPError, KeyError):
                state = 8                     # gone from CUPS before it said it printed: not printed
            if state in JOB_DONE:
                self._purge(connection, job)
                after = self._reported(self._read(connection))
                if JOB_DONE[state]:
                    raise A4PrintError(blocking_reason(after) if not after.ready else JOB_DONE[state])
                return
            after = self._read(connection)
            if not after.ready or time.monotonic() > deadline:
                self._purge(connection, job)
                self._reported(after)
                raise A4PrintError(blocking_reason(after) if not after.ready else "timed-out")
            time.sleep(self.poll_s)

    def restart(self) -> A4Status:
        """After the technician loaded paper or cleared a jam: the queue enabled and accepting, and the reasons
        the backend left from the last job forgotten. CUPS keeps a backend's 'media-empty' until the next job,
        and the kiosk sends none while it is there; pycups cannot send this request, lpadmin (cups-client)
        can, as a CUPS administrator (root, or the kiosk's user in the lpadmin group)."""
        known = self.status()
        if known.reasons in (("offline",), ("queue-not-found",)):
            return known                      # lpadmin -p would make a queue of that name
        lpadmin = shutil.which("lpadmin") or "/usr/sbin/lpadmin"
        server = ["-h", self.server] if self.server else []
        try:
            subprocess.run([lpadmin, *server, "-p", self.queue, "-E", "-o", "printer-state-reasons=none"],
                           check=True, capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError):
            pass                              # the status read next says what is still wrong
        return self.status()

    def _purge(self, connection: cups.Connection, job: int) -> None:
        """Cancel what is left of the job and delete its document and its history from CUPS. A job still
        printing is only stopped by the first request; the next one, once CUPS has stopped it, purges it."""
        import cups

        deadline = time.monotonic() + PURGE_WAIT_S
        while time.monotonic() < deadline:
            try:
                connection.cancelJob(job, purge_job=True)
                connection.getJobAttributes(job, requested_attributes=["job-state"])
            except cups.IPPError:
                return                        # gone: nothing is left to print later or to read
            time.sleep(self.poll_s)
