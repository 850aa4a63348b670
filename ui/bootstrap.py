"""The one place that wires real parts together: database, outbox, sync, devices, session, window."""
from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QApplication

from devices.credential_codes import CredentialCodes
from devices.health_book import HealthBook
from kiosk import ecredential, local_services, workdays
from kiosk.accessibility import Profile
from kiosk.config import Config
from kiosk.consumables import Consumables, CountingPrinter
from kiosk.messages import QueuedHelpDesk
from kiosk.out_of_service import Closure, ServiceSwitch
from kiosk.session import Session, State
from kiosk.storage import open_database
from sync import centre_link
from sync.catalog_cache import current_catalog
from sync.identity import token_gate
from sync.keyring import Keyring
from sync.messages import MessageOutbox
from sync.outbox import Outbox
from sync.worker import SyncWorker, worker_for
from ui import access
from ui.bridge import Bridge
from ui.controller import Controller
from ui.mainwindow import MainWindow
from ui.nightly import Nightly
from ui.technician.entry import Technician
from ui.technician.operations import Operations
from ui.watchdog import EventLoopWatchdog, SystemdNotifier

log = logging.getLogger(__name__)


@dataclasses.dataclass
class Kiosk:
    config: Config
    outbox: Outbox
    worker: SyncWorker
    bridge: Bridge
    controller: Controller
    window: MainWindow
    card_poller: Any = None          # devices.idcard.reader.CardPoller when a reader is configured
    watchdog: EventLoopWatchdog | None = None    # when started by systemd as a notify service
    technician: Any = None           # ui.technician.entry.Technician: the way into technician mode
    scanner: Any = None              # devices.scanner.source.Scanner when a code scanner is configured
    on_health: Callable[[Any], None] = lambda health: None     # what devices report their health to

    def start(self) -> None:
        self.worker.start()
        if self.card_poller is not None:
            self.card_poller.start()
        if self.scanner is not None:
            self.scanner.start(self.bridge.on_code, self.bridge.on_problem, self.on_health)
        if self.watchdog is not None:
            self.watchdog.start()

    def stop(self) -> None:
        """Stop threads before the window goes: no callback may reach a deleted widget."""
        if self.watchdog is not None:
            self.watchdog.stop()
        if self.card_poller is not None:
            self.card_poller.stop()
        if self.scanner is not None:
            self.scanner.stop()
        self.worker.stop()
        self.bridge.shutdown()
        if self.window.voice is not None:
            self.window.voice.close()    # after the pool: no synthesis can queue a new source now


def build(config: Config, *, demo: bool = False, demo_insert: Callable[[], None] | None = None,
          demo_scan: Callable[[], None] | None = None) -> Kiosk:
    """Assemble a kiosk from configuration; devices.factory picks each device from it. Each part gets
    its collaborators when it is made, so the order below is the order of dependence."""
    from devices import factory

    engine = open_database(config.database_path)
    outbox = Outbox(engine, config.kiosk_id, Keyring.for_config(config.secrets_path, config.data_dir))
    bridge = Bridge()
    device_health = HealthBook()        # each device's latest health (heartbeats) and last problem (technicians)

    def on_health(health: Any) -> None:
        device_health.record(health)
        bridge.on_health(health)

    printer = factory.receipt_printer(config)
    # nothing else asks the printer between receipts: each heartbeat does (alerts)
    probes = (lambda: on_health(printer.status()),) if printer is not None else ()
    wake = threading.Event()            # a help call, rating or application leaves now, not at the next interval
    messages = MessageOutbox(engine, config.kiosk_id, outbox.keyring, on_queued=wake.set)
    worker = worker_for(config, outbox, on_status=bridge.on_queue, device_health=device_health.as_dicts,
                        messages=messages, wake=wake, probes=probes)
    poller = factory.card_poller(config, bridge.on_identity, bridge.on_problem, on_health)
    scanner = factory.code_scanner(config)
    # the out-of-service switch as it was left (it outlives restarts)
    switch = ServiceSwitch(config.data_dir, config.alternative_place, config.alternative_hours)
    offered = local_services.restrict(current_catalog(config.catalog_path, config.data_dir),
                                      config.services, config.service_hours)     # what this kiosk offers, when
    session = Session(offered, workdays.load(), config.kiosk_id, config.language,
                      Profile().with_assisted(config.accessibility_default), location=config.location,
                      closure=switch.current(),
                      # a reader this kiosk does not have is never offered on the identify screen
                      unavailable_devices=[name for name, device in (("idcard", poller), ("scanner", scanner))
                                           if device is None])
    consumables = Consumables(engine)
    counted = CountingPrinter(printer, consumables) if printer is not None else None   # receipts since the paper change
    controller = Controller(session, outbox, counted, bridge, on_queued=worker.wake, demo_insert=demo_insert,
                            demo_scan=demo_scan, help_desk=QueuedHelpDesk(messages), location=config.location,
                            messages=worker.messages,
                            codes=CredentialCodes(ecredential.parse_public_keys(config.ecredential_public_keys)),
                            camera=factory.document_camera(config),
                            centre=centre_link.for_config(config), has_scanner=scanner is not None,
                            alternative_place=config.alternative_place, alternative_hours=config.alternative_hours,
                            face=factory.face_verifier(config))
    window = MainWindow(controller, config.idle_timeout_s, config.idle_warning_s, demo=demo, lock_close=not demo,
                        access=access.from_config(config, bridge, on_health))
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
                     printer=counted, consumables=consumables, card_poller=poller, scanner=scanner)
    technician = Technician(window, config, worker.messages, bridge, ops, tokens=token_gate(config))
    Nightly(window, config, outbox, worker.messages, bridge).start()
    watchdog = (EventLoopWatchdog(SystemdNotifier(config.notify_socket), config.watchdog_usec)
                if config.notify_socket else None)
    return Kiosk(config, outbox, worker, bridge, controller, window, poller, watchdog, technician=technician,
                 scanner=scanner, on_health=on_health)
