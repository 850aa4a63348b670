"""What the technician's pages do to the kiosk, behind one interface.

The pages show and ask; an `Operations` acts: on the devices through their drivers, on the outbox
and the sync worker, on the centre, on the out-of-service switch, the settings file and the power.
It is made with the kiosk's parts when the kiosk is assembled (ui/bootstrap.py) and reaches the
pages through their TechContext, so a page never builds a client or holds a driver of its own, and
a test or the screenshots give the pages a kiosk of their making the same way.

Methods that wait on a device, the disk or the network are plain calls: a page runs them off the
UI thread with `ctx.bridge.run(...)`. `closure_changed` and `quit` are for the UI thread.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from devices.a4printer import health_of
from devices.diagnostics import print_test_receipt
from devices.health import Health
from devices.health_book import HealthBook
from devices.scanner.camera import CameraScanner
from kiosk import config_edit, power
from kiosk.closure import Closure
from kiosk.config import Config, ConfigError
from kiosk.out_of_service import ServiceSwitch
from kiosk.outcome import Outcome
from sync import health_report, usb_export
from sync.client import CentreClient
from sync.health_report import SyncReport
from sync.signing import Signer

if TYPE_CHECKING:
    from devices.a4printer import CupsA4Printer
    from devices.idcard.reader import CardPoller
    from devices.scanner.source import Scanner
    from kiosk.consumables import Consumables, CountingPrinter, PaperCount
    from sync.outbox import Outbox
    from sync.worker import SyncWorker

CENTRE_CHECK_TIMEOUT_S = 5.0


class Operations:
    """The kiosk as its technician's pages act on it. Devices the kiosk does not have are None, and the
    pages ask `has_*` before offering what needs one."""

    def __init__(self, config: Config, outbox: Outbox, worker: SyncWorker, switch: ServiceSwitch,
                 health: HealthBook, closure_changed: Callable[[Closure | None], None],
                 quit: Callable[[int], None], *, printer: CountingPrinter | None = None,
                 consumables: Consumables | None = None, card_poller: CardPoller | None = None,
                 scanner: Scanner | None = None, a4_printer: CupsA4Printer | None = None,
                 a4_paper: Consumables | None = None) -> None:
        self.config = config
        self.outbox = outbox
        self.worker = worker                   # its state, when the centre last answered, "sync now"
        self.switch = switch                   # out of service, kept in a file
        self.health = health                   # each device's latest health and last problem
        self.closure_changed = closure_changed   # on the UI thread: the citizens' session follows
        self.quit = quit                       # end the app with this exit code (QApplication.exit in the kiosk)
        self.printer = printer                 # as the citizens' receipts use it (counted)
        self.consumables = consumables         # paper counters in the kiosk database
        self.card_poller = card_poller         # the ID-card reader thread; rearm() reads the card afresh
        self.scanner = scanner                 # the running code scanner; a camera one can show a preview
        self.a4_printer = a4_printer           # the A4 printer's CUPS queue
        self.a4_paper = a4_paper               # A4 pages since the tray was filled

    # -- devices -------------------------------------------------------------------------------
    @property
    def has_printer(self) -> bool:
        return self.printer is not None

    def check_printer(self) -> Health:
        """Ask the printer itself (the readers report by themselves) and keep its answer."""
        assert self.printer is not None
        health = self.printer.status()
        self.health.record(health)
        return health

    @property
    def has_a4_printer(self) -> bool:
        return self.a4_printer is not None

    def check_printers(self) -> list[Health]:
        """Ask each printer the kiosk has, the receipt printer and the A4 printer's queue, and keep the answers."""
        found = [self.check_printer()] if self.printer is not None else []
        if self.a4_printer is not None:
            found.append(health_of(self.a4_printer.queue, self.a4_printer.status()))
            self.health.record(found[-1])
        return found

    def a4_paper_count(self) -> PaperCount:
        assert self.a4_paper is not None
        return self.a4_paper.count()

    def a4_paper_loaded(self) -> PaperCount:
        """The tray filled (or a jam cleared): the count starts again and the queue is restarted, its stale
        'media-empty' forgotten, its state read afresh for the devices page."""
        assert self.a4_paper is not None and self.a4_printer is not None
        self.a4_paper.paper_replaced()
        self.health.record(health_of(self.a4_printer.queue, self.a4_printer.restart()))
        return self.a4_paper.count()

    def print_test(self) -> Outcome[None]:
        """A test receipt through the kiosk's own driver; counted like any receipt."""
        assert self.printer is not None
        return self.printer.print_receipt(print_test_receipt(dt.datetime.now()))

    @property
    def counts_paper(self) -> bool:
        return self.consumables is not None

    def paper_count(self) -> PaperCount:
        assert self.consumables is not None
        return self.consumables.count()

    def paper_replaced(self) -> None:
        assert self.consumables is not None
        self.consumables.paper_replaced()

    @property
    def has_card_reader(self) -> bool:
        return self.card_poller is not None

    def read_card_again(self) -> None:
        """A card already lying on the reader is read once more."""
        if self.card_poller is not None:
            self.card_poller.rearm()

    @property
    def has_scanner(self) -> bool:
        return self.scanner is not None

    def camera(self) -> CameraScanner | None:
        """The code scanner when it is a camera, which can show what it sees."""
        return self.scanner if isinstance(self.scanner, CameraScanner) else None

    # -- the outbox and the centre -------------------------------------------------------------
    def sync_report(self) -> SyncReport:
        return health_report.report(self.config, self.outbox, self.worker.messages, self.worker)

    def sync_now(self) -> int:
        """Every pending application tried once now, whatever its backoff says; the messages and the
        rest follow on the worker's own thread."""
        delivered = self.worker.run_once(force=True)
        self.worker.wake()
        return delivered

    def retry_dead(self) -> int:
        """Dead letters, applications and messages, back in the queue."""
        messages = self.worker.messages
        count = self.outbox.retry_dead() + (messages.retry_dead() if messages is not None else 0)
        self.worker.wake()
        return count

    def contacts(self) -> dict[str, dt.datetime]:
        """When the centre last answered each kind of request (push, pull_statuses, heartbeat ...)."""
        return dict(self.worker.contacts)

    def credential_present(self) -> bool:
        return health_report.credential_present(self.config)

    def centre_reachable(self) -> bool:
        """The centre's health endpoint, unsigned (no key is used for a mere "are you there"), through
        the configured CA."""
        client = CentreClient(self.config.centre_url, Signer(self.config.kiosk_id),
                              timeout_s=CENTRE_CHECK_TIMEOUT_S, ca_file=self.config.centre_ca_file)
        try:
            return client.reachable()
        finally:
            client.close()

    # -- logs ----------------------------------------------------------------------------------
    def usb_sticks(self) -> list[Path]:
        return usb_export.media(self.config.media_roots)

    def export_logs(self, stick: Path) -> Outcome[usb_export.Exported]:
        """The logs and a health report, copied to the stick."""
        report = self.sync_report().as_dict()
        return usb_export.export(stick, self.config.log_dir, self.config.kiosk_id, report, dt.datetime.now())

    # -- out of service ------------------------------------------------------------------------
    def closure(self) -> Closure | None:
        return self.switch.current()

    def notice_preview(self) -> Closure:
        """The out-of-service notice as it would read if the kiosk closed now."""
        return Closure(self.switch.hall, dt.datetime.now(dt.UTC))

    @property
    def has_alternative_hall(self) -> bool:
        return self.switch.hall is not None

    def close_service(self) -> Closure:
        return self.switch.close(dt.datetime.now(dt.UTC))

    def reopen(self) -> None:
        self.switch.reopen()

    # -- settings ------------------------------------------------------------------------------
    def settings(self) -> dict[str, str]:
        """The settings a technician may edit, as text."""
        return config_edit.shown(self.config)

    def settings_file(self) -> Path:
        return config_edit.target(self.config)

    def save_settings(self, edits: dict[str, str]) -> Outcome[list[str]]:
        """The names of the settings changed; a value refused names its setting."""
        try:
            return Outcome.success(config_edit.save(self.config, edits))
        except ConfigError as exc:
            return Outcome.failure("technician_ops.settings.invalid", str(exc))
        except OSError as exc:
            return Outcome.failure("technician_ops.settings.not_written", str(exc))

    # -- power ---------------------------------------------------------------------------------
    @property
    def shutdown_command(self) -> str:
        return self.config.shutdown_command

    def restart(self) -> None:
        """The app ends with the code its unit restarts it on."""
        self.quit(power.RESTART_EXIT_CODE)

    def shut_down(self) -> Outcome[None]:
        """Returns only when the machine is still running: the command failed or is taking its time."""
        return power.shut_down(self.config.shutdown_command)
