"""A throwaway cupsd with one A4 queue that writes each job's PDF to a directory: the A4 printer of the
tests (tests/fixtures/cups.py) and of `kiosk24 demo`, the way devices/printer/simulator.py is their
receipt printer. The kiosk's driver (devices/a4printer.py) talks to it over real IPP.

It runs under a temporary ServerRoot, spool and ServerBin, listening only on a unix socket in that
directory (no port, so nothing races for one and a system cupsd on 631, if any, is neither used nor
disturbed). The backend (cups_kioskfile.sh beside this module) is copied into the temporary ServerBin:
cupsd runs a backend that is only its owner's (mode 0700) as that owner, so the same setup works as root
(cupsd would otherwise drop to the `lp` user, who cannot write the output directory) and as any other
user. A file named `paper-out` in the output directory makes it report what a laser printer's backend
reports with an empty tray: the IPP reason media-empty, and the queue stopped.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import cups

CUPSD = "/usr/sbin/cupsd"
QUEUE = "kiosk-a4"
BACKEND = Path(__file__).resolve().parent / "cups_kioskfile.sh"
STARTUP_TIMEOUT_S = 10.0

FILES_CONF = """ServerRoot {root}/conf
ServerBin {root}/bin
DataDir /usr/share/cups
RequestRoot {root}/spool
CacheDir {root}/cache
StateDir {root}/state
TempDir {root}/tmp
ErrorLog {root}/log/error_log
AccessLog {root}/log/access_log
PageLog {root}/log/page_log
FileDevice No
"""
CUPSD_CONF = """LogLevel warn
Listen {root}/cups.sock
Browsing No
WebInterface No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  JobPrivateAccess all
  JobPrivateValues none
  SubscriptionPrivateAccess all
  SubscriptionPrivateValues none
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
"""


def missing() -> str:
    """Why there can be no sandboxed cupsd here, or ""."""
    if not os.path.exists(CUPSD):
        return "cupsd is not installed (Debian's cups-daemon; scripts/install test installs it)"
    try:
        import cups  # noqa: F401
    except ImportError:
        return "pycups is not installed: pip install -e '.[kiosk]' (needs libcups2-dev)"
    return ""


class CupsSandbox:
    """cupsd in the foreground under a temp directory; `server` is its socket, `out` where jobs land
    (a directory of the caller's, or one inside the sandbox, removed with it).

    preexec: run in the child before cupsd starts (the demo's stop-with-parent)."""

    def __init__(self, out: Path | None = None, preexec: Callable[[], None] | None = None) -> None:
        # not the caller's directory: a unix socket's path must stay under 108 bytes
        self.root = Path(tempfile.mkdtemp(prefix="kiosk24-cups-"))
        self.out = out or self.root / "out"
        self.server = str(self.root / "cups.sock")
        self.queue = f"{QUEUE}@{self.server}"       # as the kiosk's a4_printer setting names it
        for name in ("conf", "bin/backend", "spool", "cache", "state", "tmp", "log"):
            (self.root / name).mkdir(parents=True)
        self.out.mkdir(parents=True, exist_ok=True)
        (self.root / "bin" / "daemon").symlink_to("/usr/lib/cups/daemon")     # cups-exec runs each job
        backend = self.root / "bin" / "backend" / "kioskfile"
        shutil.copyfile(BACKEND, backend)
        backend.chmod(0o700)
        (self.root / "conf" / "cups-files.conf").write_text(FILES_CONF.format(root=self.root))
        (self.root / "conf" / "cupsd.conf").write_text(CUPSD_CONF.format(root=self.root))
        # A session of its own: a terminal's Ctrl+C reaches its owner, which stops it in turn.
        self.process = subprocess.Popen([CUPSD, "-f", "-c", str(self.root / "conf" / "cupsd.conf"),
                                         "-s", str(self.root / "conf" / "cups-files.conf")],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True, preexec_fn=preexec)
        try:
            self._wait_for_socket()
            self.add_queue(QUEUE)
        except BaseException:
            self.stop()
            raise

    def _wait_for_socket(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"cupsd exited ({self.process.returncode}): {self.log()}")
            try:
                self.connection()
                return
            except RuntimeError:                 # not listening yet
                if time.monotonic() > deadline:
                    raise RuntimeError(f"cupsd did not answer within {STARTUP_TIMEOUT_S:.0f}s: {self.log()}") from None
                time.sleep(0.02)

    def connection(self) -> cups.Connection:
        import cups

        return cups.Connection(host=self.server)

    def add_queue(self, name: str) -> None:
        """A raw queue (the PDF goes to the backend as it is) to the output directory, enabled and accepting."""
        connection = self.connection()
        connection.addPrinter(name, device=f"kioskfile:{self.out}")
        connection.enablePrinter(name)
        connection.acceptJobs(name)

    def paper_out(self) -> None:
        (self.out / "paper-out").touch()

    def paper_loaded(self) -> None:
        """The technician filled the tray and restarted the queue, as `cupsenable` does."""
        (self.out / "paper-out").unlink(missing_ok=True)
        self.connection().enablePrinter(QUEUE)

    def hang(self) -> None:
        (self.out / "hang").touch()

    def spooled(self) -> list[str]:
        """Documents CUPS still keeps (d<job>-<doc>): a printed certificate must not stay behind."""
        return sorted(p.name for p in (self.root / "spool").glob("d*"))

    def printed(self) -> list[Path]:
        return sorted(self.out.glob("job-*.pdf"))

    def jobs(self) -> int:
        """Every job CUPS knows of, finished or not: a refused print must not have made one."""
        return len(self.connection().getJobs(which_jobs="all"))

    def log(self) -> str:
        path = self.root / "log" / "error_log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else "(no log)"

    def stop(self) -> None:
        """cupsd ended and its directory gone; the output directory, if the caller's, stays."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)
