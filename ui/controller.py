"""Forwards taps to the session and performs the I/O a state asks for, off the UI thread."""
from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtCore import QObject, Signal

from kiosk.accessibility import Profile
from kiosk.catalog import Domain
from kiosk.help import HelpRequest
from kiosk.identity import Identity
from kiosk.outcome import Outcome
from kiosk.ports import ApplicationStore, HelpDesk, ReceiptPrinter
from kiosk.session import Event, Session, State
from ui.bridge import Bridge

log = logging.getLogger(__name__)


class Controller(QObject):
    changed = Signal()          # the session changed: show its state
    printing_done = Signal()
    help_answered = Signal(bool)   # the help request was recorded (True) or could not be (False)

    def __init__(self, session: Session, store: ApplicationStore, printer: ReceiptPrinter | None,
                 bridge: Bridge, on_queued: Callable[[], None] = lambda: None,
                 demo_insert: Callable[[], None] | None = None,
                 help_desk: HelpDesk | None = None, location: str = "") -> None:
        super().__init__()
        self.session = session
        self.store = store
        self.printer = printer
        self.bridge = bridge
        self.help_desk = help_desk
        self.location = location
        self.on_queued = on_queued            # wakes the sync worker
        self.demo_insert = demo_insert        # demo mode: put a simulated card on the reader
        self.printing = False
        bridge.identity_read.connect(self.identity_read)
        bridge.credential_problem.connect(self.credential_problem)

    def _fire(self, event: Event) -> None:
        if self.session.can(event):
            self.session.fire(event)
            self.changed.emit()

    # taps
    def start(self) -> None:
        self._fire(Event.START)

    def back(self) -> None:
        self._fire(Event.BACK)

    def home(self) -> None:
        self._fire(Event.HOME)

    def timeout(self) -> None:
        self._fire(Event.TIMEOUT)

    def apply(self) -> None:
        self._fire(Event.APPLY)

    def set_language(self, language: str) -> None:
        self.session.set_language(language)
        self.changed.emit()

    def set_profile(self, profile: Profile, rebuild: bool = True) -> None:
        """Volume and rate change nothing on the glass, so they need no redraw."""
        self.session.profile = profile
        if rebuild:
            self.changed.emit()

    def toggle_assisted(self) -> None:
        self.set_profile(self.session.profile.with_assisted(not self.session.profile.assisted))

    def next_text_size(self) -> None:
        self.set_profile(self.session.profile.next_text_size())

    def next_colours(self) -> None:
        profile = self.session.profile
        self.set_profile(profile.toggled(colours=profile.colours.next()))

    def ask_for_help(self) -> None:
        """帮办代办: recorded off the UI thread; the window then tells the citizen what happens next."""
        session = self.session
        if self.help_desk is None:
            self.help_answered.emit(False)
            return
        request = HelpRequest.new(kiosk_id=session.kiosk_id, location=self.location, screen=session.state.value,
                                  service_code=session.service.code if session.service else "",
                                  language=session.language, assisted=session.profile.assisted,
                                  audio_only=session.profile.audio_only, requested_at=session.clock())
        desk = self.help_desk
        self.bridge.run(lambda: desk.request_help(request), lambda outcome: self.help_answered.emit(outcome.ok))

    def choose_domain(self, domain: Domain) -> None:
        self.session.choose_domain(domain)
        self.changed.emit()

    def choose_service(self, code: str) -> None:
        self.session.choose_service(code)
        self.changed.emit()

    def edit_field(self, key: str, value: str) -> None:
        """Typed values live in the session, so a re-render (language, text size) keeps them."""
        self.session.form[key] = value

    def submit_form(self) -> None:
        self.session.submit_form(dict(self.session.form))
        self.changed.emit()

    def confirm(self) -> None:
        application = self.session.confirm()
        self.changed.emit()
        self.bridge.run(lambda: self.store.submit(application), self._stored)

    def finish(self) -> None:
        self._fire(Event.FINISH)

    # device and background results
    def identity_read(self, identity: Identity) -> None:
        if self.session.state is State.IDENTIFY:
            self.session.identified(identity)
            self.changed.emit()

    def credential_problem(self, key: str) -> None:
        if self.session.state is State.IDENTIFY:
            self.session.credential_problem(key)
            self.changed.emit()

    def _stored(self, outcome: Outcome[str]) -> None:
        if not outcome.ok:
            self.session.store_failed(outcome.problem or "error.store_failed")
            self.changed.emit()
            return
        self.session.stored(outcome.value or "")
        self.on_queued()
        self.printing = self.printer is not None
        if self.printer is None:
            self.session.printed("printer.absent")
        else:
            receipt, printer = self.session.receipt, self.printer
            self.bridge.run(lambda: printer.print_receipt(receipt), self._printed)
        self.changed.emit()

    def _printed(self, outcome: Outcome[None]) -> None:
        self.printing = False
        if self.session.state is State.RECEIPT:
            self.session.printed(outcome.problem)
            self.changed.emit()
        self.printing_done.emit()
