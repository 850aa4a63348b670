"""The one place that wires real parts together, in two steps. First what the attract screen needs to be
painted: the catalog, the session, the window (its modules kept light: no SQLAlchemy, requests, pydantic,
Qt Multimedia or Qt Quick on that path). Then, right after the first paint, the rest: database, outbox,
sync, devices, voice, technician mode, nightly upkeep, and every other screen's module. Taps in between
are held (ui.held_input) and acted on by the finished kiosk."""
from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk import i18n, local_services, workdays
from kiosk.accessibility import Profile
from kiosk.config import Config
from kiosk.out_of_service import ServiceSwitch
from kiosk.session import Session, State
from sync.catalog_cache import current_catalog
from ui import access
from ui.bridge import Bridge
from ui.controller import Controller
from ui.held_input import HeldInput
from ui.mainwindow import MainWindow

if TYPE_CHECKING:
    from PySide6.QtCore import QSize

    from ui.running import Kiosk

log = logging.getLogger(__name__)


@dataclasses.dataclass
class FirstFrame:
    """The kiosk as far as its attract screen: shown and painted before anything else is made."""
    config: Config
    session: Session
    switch: ServiceSwitch
    window: MainWindow
    held: HeldInput


def first_frame(config: Config, *, demo: bool = False, size: QSize | None = None) -> FirstFrame:
    """The session and the window, painted with a controller that has neither store nor devices: no tap
    reaches it, the window holds them until `bring_up` has attached the whole kiosk. size: the window's
    when shown, so the attract screen is laid out once."""
    i18n.keep_parsed_in(config.data_dir / "cache")     # the strings as parsed at the last start, if unchanged
    catalog = current_catalog(config.catalog_path, config.data_dir)
    offered = local_services.restrict(catalog, config.services, config.service_hours)   # what this kiosk offers, when
    # the out-of-service switch as it was left (it outlives restarts), with the hall citizens are sent to instead
    switch = ServiceSwitch(config.data_dir, local_services.alternative_hall(catalog, config.alternative_hall))
    # no working days are counted on the attract screen: the holiday arrangements (chinesecalendar, ~3 ms to
    # import) come with the rest of the kiosk, before any tap is acted on
    session = Session(offered, workdays.Calendar(frozenset(), frozenset()), config.kiosk_id, config.language,
                      Profile().with_assisted(config.accessibility_default), location=config.location,
                      closure=switch.current(), reader_place=config.reader_place)
    # its bridge is its own, which no device reports to: until it is gone it cannot act on a card or a code
    # that the whole kiosk's controller receives too; nor does it run jobs (no tap reaches its controller)
    controller = Controller(session, None, None, Bridge(runs_jobs=False), location=config.location,
                            alternative_hall=switch.hall, flows=False)
    controller.bridge.setParent(controller)     # Qt's to delete, with the controller (see bring_up)
    window = MainWindow(controller, config.idle_timeout_s, config.idle_warning_s, demo=demo, lock_close=not demo,
                        access=access.silent(config), size=size, frameless=config.fullscreen)
    return FirstFrame(config, session, switch, window, HeldInput(window, lambda: window.screen_widget))


def build(config: Config, *, demo: bool = False, demo_insert: Callable[[], None] | None = None,
          demo_scan: Callable[[], None] | None = None) -> Kiosk:
    """Both steps at once, for those who do not paint in between (tests, benchmarks)."""
    return bring_up(first_frame(config, demo=demo), demo_insert=demo_insert, demo_scan=demo_scan)


def bring_up(first: FirstFrame, *, demo_insert: Callable[[], None] | None = None,
             demo_scan: Callable[[], None] | None = None) -> Kiosk:
    """The rest of the kiosk around the first frame's session and window; devices.factory picks each device
    from configuration. Each part gets its collaborators when it is made, so the order below is the order
    of dependence."""
    from PySide6.QtWidgets import QApplication

    from devices import factory
    from devices.credential_codes import CredentialCodes
    from devices.health_book import HealthBook
    from kiosk import a4_printing, ecredential
    from kiosk.certified import PRINT_LOG, PrintLog
    from kiosk.closure import Closure
    from kiosk.consumables import A4_PAGES, Consumables, CountingA4Printer, CountingPrinter
    from kiosk.messages import QueuedHelpDesk
    from kiosk.storage import open_database
    from sync import centre_link
    from sync.help_call import LiveHelpDesk
    from sync.identity import token_gate
    from sync.keyring import Keyring
    from sync.messages import MessageOutbox
    from sync.outbox import Outbox
    from sync.worker import worker_for
    from ui import mainwindow
    from ui.nightly import Nightly
    from ui.running import Kiosk
    from ui.technician.entry import Technician
    from ui.technician.operations import Operations
    from ui.watchdog import EventLoopWatchdog, SystemdNotifier

    config, session, switch, window = first.config, first.session, first.switch, first.window
    session.set_calendar(workdays.load())
    bridge = Bridge()
    # Qt's to delete, on the UI thread, with the window (which owns the controllers too: ui/mainwindow.py).
    # Left to Python, a QObject in a reference cycle is deleted by the garbage collector on whichever thread
    # it runs, and Qt objects must go on their own thread.
    bridge.setParent(window)
    engine = open_database(config.database_path)
    outbox = Outbox(engine, config.kiosk_id, Keyring.for_config(config.secrets_path, config.data_dir))
    device_health = HealthBook()        # each device's latest health (heartbeats) and last problem (technicians)

    def on_health(health: Any) -> None:
        device_health.record(health)
        bridge.on_health(health)

    printer = factory.receipt_printer(config)
    # nothing else asks the printer between receipts: each heartbeat does (alerts)
    probes = (lambda: on_health(printer.status()),) if printer is not None else ()
    a4_printer = factory.a4_printer(config, on_health)          # each look at its queue reports its health
    probes += (a4_printer.status,) if a4_printer is not None else ()
    wake = threading.Event()            # a help call, rating or application leaves now, not at the next interval
    messages = MessageOutbox(engine, config.kiosk_id, outbox.keyring, on_queued=wake.set)
    worker = worker_for(config, outbox, on_status=bridge.on_queue, device_health=device_health.as_dicts,
                        messages=messages, wake=wake, probes=probes)
    poller = factory.card_poller(config, bridge.on_identity, bridge.on_problem, on_health)
    scanner = factory.code_scanner(config)
    for name, device in (("idcard", poller), ("scanner", scanner), (a4_printing.RECEIPT_PRINTER, printer)):
        if device is None:      # a reader this kiosk does not have is never offered, nor a slip without a printer
            session.device_health(name, works=False)
    consumables = Consumables(engine)
    counted = CountingPrinter(printer, consumables) if printer is not None else None   # receipts since the paper change
    a4_paper = Consumables(engine, A4_PAGES) if a4_printer is not None else None         # A4 pages since the same
    a4_counted = CountingA4Printer(a4_printer, a4_paper) if a4_printer is not None and a4_paper is not None else None
    centre = centre_link.for_config(config)       # the centre while a citizen waits: online services, 帮办代办
    controller = Controller(session, outbox, counted, bridge, on_queued=worker.wake, demo_insert=demo_insert,
                            demo_scan=demo_scan, help_desk=LiveHelpDesk(QueuedHelpDesk(messages), centre),
                            location=config.location,
                            messages=worker.messages,
                            codes=CredentialCodes(ecredential.parse_public_keys(config.ecredential_public_keys)),
                            camera=factory.document_camera(config),
                            centre=centre, has_scanner=scanner is not None,
                            alternative_hall=switch.hall, a4=a4_counted,
                            print_log=PrintLog(config.data_dir / PRINT_LOG),
                            face=factory.face_verifier(config))
    mainwindow.load_screens()
    import uuid6  # noqa: F401  kiosk.application's keys: its import reads every package's metadata, now not on a tap
    first_controller = window.controller
    window.attach(controller, access.from_config(config, bridge, on_health))
    first_controller.deleteLater()
    if poller is not None:
        def ask_for_card() -> None:
            # after an agent (代为办理) only a card laid down anew counts: their own is not read again
            if session.state is State.IDENTIFY and session.identity is None and session.agent is None:
                poller.rearm()
        controller.changed.connect(ask_for_card)

    def closure_changed(closure: Closure | None) -> None:      # closed or reopened by the technician
        session.set_closure(closure)
        controller.changed.emit()

    ops = Operations(config, outbox, worker, switch, device_health, closure_changed, QApplication.exit,
                     printer=counted, consumables=consumables, card_poller=poller, scanner=scanner,
                     a4_printer=a4_printer, a4_paper=a4_paper)
    technician = Technician(window, config, worker.messages, bridge, ops, tokens=token_gate(config))
    Nightly(window, config, outbox, worker.messages, bridge).start()
    watchdog = (EventLoopWatchdog(SystemdNotifier(config.notify_socket), config.watchdog_usec)
                if config.notify_socket else None)
    first.held.release()                # the kiosk is whole: what was touched meanwhile is acted on now
    return Kiosk(config, outbox, worker, bridge, controller, window, poller, watchdog, technician=technician,
                 scanner=scanner, on_health=on_health, centre=centre)
