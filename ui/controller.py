"""Forwards taps to the session and performs the I/O a state asks for, off the UI thread."""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk import feedback
from kiosk.accessibility import Profile
from kiosk.catalog import Domain, Hall
from kiosk.session import Event, Intent, Session, State
from ui.bridge import Bridge

# The first frame's controller answers no tap (ui/bootstrap.py): what calling staff, sending feedback, printing
# and devices' health need (kiosk.help, kiosk.messages, kiosk.outcome, kiosk.print_status, devices.health) is
# imported where used.
if TYPE_CHECKING:
    from devices.credential_codes import CredentialCodes  # cryptography: made once the kiosk is up
    from devices.health import Health
    from devices.scanner.payload import Code
    from kiosk.certified import PrintLog
    from kiosk.help import Answer
    from kiosk.identity import Identity
    from kiosk.outcome import Outcome
    from kiosk.ports import (
        A4Printer,
        ApplicationStore,
        CentreLink,
        DocumentCamera,
        FaceVerifier,
        HelpDesk,
        MessageQueue,
        ReceiptPrinter,
    )
    from ui.apply_steps import ApplySteps
    from ui.face_steps import FaceSteps
    from ui.online import OnlineFlows

log = logging.getLogger(__name__)
HELP_POLL_S = 2.0       # how often the kiosk asks whether an operator took the call
HELP_WAIT_S = 600.0     # and for how long, at most


class Controller(QObject):
    changed = Signal()          # the session changed: show its state
    news = Signal()             # the centre or a printer answered: the screen shown takes it in place if it can
    printing_done = Signal()
    help_answered = Signal(str)    # where the call for staff stands: a kiosk.help.Answer value
    steps: ApplySteps           # materials, commitment, signature
    face: FaceSteps             # 人证核验
    online: OnlineFlows         # the centre's online services

    def __init__(self, session: Session, store: ApplicationStore | None, printer: ReceiptPrinter | None,
                 bridge: Bridge, on_queued: Callable[[], None] = lambda: None,
                 demo_insert: Callable[[], None] | None = None, demo_scan: Callable[[], None] | None = None,
                 help_desk: HelpDesk | None = None, location: str = "", messages: MessageQueue | None = None,
                 codes: CredentialCodes | None = None, camera: DocumentCamera | None = None,
                 centre: CentreLink | None = None, has_scanner: bool = False, alternative_hall: Hall | None = None,
                 a4: A4Printer | None = None, print_log: PrintLog | None = None,
                 face: FaceVerifier | None = None, flows: bool = True) -> None:
        """Every collaborator is given here, none patched in later. on_queued wakes the sync worker;
        centre is the link for the online services (None: the centre is unreachable); alternative_hall
        (configuration, from the catalog): the hall a citizen this kiosk cannot serve is sent to; a4 prints the
        centre's signed documents, print_log records each print. flows=False only for the controller the
        first frame is painted with, which no tap reaches (ui/bootstrap.py): it has no steps, face or online
        flows, whose modules (~10 ms) load after the first paint."""
        super().__init__()
        self.flows = flows
        self.session = session
        self.store = store
        self.printer = printer
        self.bridge = bridge
        self.help_desk = help_desk
        self.location = location
        self.alternative_hall = alternative_hall
        self.on_queued = on_queued            # wakes the sync worker
        self.demo_insert = demo_insert        # demo mode: put a simulated card on the reader
        self.demo_scan = demo_scan            # demo mode: show a simulated e-credential
        self.printing = False
        self.revise_field = ""                # 修改 on review: the form field the citizen went back to
        self.messages = messages              # ratings and complaints, delivered to the centre by sync
        self.sending = False                  # a rating or complaint is being written: one tap sends once
        self._help_call: str | None = None     # the key of the call the centre confirmed, until an operator answers
        self._help_polls_left, self._help_asking = 0, False
        self._help_timer = QTimer(self)
        self._help_timer.setInterval(int(HELP_POLL_S * 1000))
        self._help_timer.timeout.connect(self._poll_help)
        if flows:
            from ui.apply_steps import ApplySteps
            from ui.face_steps import FaceSteps
            from ui.online import OnlineFlows

            self.steps = ApplySteps(session, bridge, camera, self.changed.emit)
            self.face = FaceSteps(session, bridge, face, self.changed.emit)
            self.online = OnlineFlows(session, centre, printer, bridge, self.changed, self.news, has_scanner, a4=a4,
                                      print_log=print_log, alternative_hall=alternative_hall, parent=self)
        bridge.identity_read.connect(self.identity_read)
        bridge.credential_problem.connect(self.credential_problem)
        self.codes = codes                    # e-credentials and passports from the code scanner
        bridge.code_scanned.connect(self.code_scanned)
        bridge.health_changed.connect(self.device_health)

    def _fire(self, event: Event) -> None:
        if self.session.can(event):
            self.session.fire(event)
            self.changed.emit()

    # taps
    def start(self) -> None:
        self._fire(Event.START)

    def back(self) -> None:
        """One step back; from the accessible mode's whole guide, to the guide in short it was opened from (by
        the screen's button and the tactile keypad's back key alike)."""
        session = self.session
        if session.state is State.DETAIL and session.whole_guide and session.profile.assisted:
            session.read_whole_guide(False)
            self.changed.emit()
            return
        self._fire(Event.BACK)

    def home(self) -> None:
        self._fire(Event.HOME)

    def timeout(self) -> None:
        self._fire(Event.TIMEOUT)

    def apply(self) -> None:
        self._apply_as(Intent.APPLY)

    def apply_for_other(self) -> None:
        """代为办理: the agent identifies first, then the principal."""
        self._apply_as(Intent.PROXY_AGENT)

    def _apply_as(self, intent: Intent) -> None:
        if self.session.can(Event.APPLY):
            self.session.apply_as(intent)
            self.changed.emit()

    def type_principal(self) -> None:
        self._fire(Event.TYPE_PRINCIPAL)

    def choose_bundle(self, code: str) -> None:
        self.session.choose_bundle(code)
        self.changed.emit()

    def set_language(self, language: str) -> None:
        self.session.set_language(language)
        self.changed.emit()

    def set_profile(self, profile: Profile, rebuild: bool = True) -> None:
        """Volume and rate change nothing on the glass, so they need no redraw."""
        self.session.set_profile(profile)
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
        """帮办代办: kept and told to the centre off the UI thread; the window says each stage as it is known:
        staff told only once the centre confirmed, someone coming only once an operator acknowledged."""
        from kiosk.help import Answer, HelpRequest

        session = self.session
        if self.help_desk is None:
            self.help_answered.emit(Answer.FAILED.value)
            return
        request = HelpRequest.new(kiosk_id=session.kiosk_id, location=self.location, screen=session.state.value,
                                  service_code=session.service.code if session.service else "",
                                  language=session.language, assisted=session.profile.assisted,
                                  audio_only=session.profile.audio_only, requested_at=session.clock())
        desk = self.help_desk
        self.help_answered.emit(Answer.CALLING.value)
        self.bridge.run(lambda: desk.request_help(request), lambda outcome: self._help_told(request.key, outcome))

    def _help_told(self, key: str, outcome: Outcome[Answer]) -> None:
        from kiosk.help import Answer

        answer = outcome.value if outcome.ok and outcome.value is not None else Answer.FAILED
        self.help_answered.emit(answer.value)
        if answer is Answer.NOTIFIED:       # then ask, every few seconds while the citizen waits, if someone answered
            self._help_call, self._help_polls_left = key, int(HELP_WAIT_S / HELP_POLL_S)
            self._help_timer.start()

    def _poll_help(self) -> None:
        key, desk = self._help_call, self.help_desk
        if key is None or desk is None or self._help_polls_left <= 0 or self.session.state is State.ATTRACT:
            self._help_timer.stop()          # answered, given up, or the citizen has gone
            self._help_call = None
            return
        if self._help_asking:
            return
        self._help_polls_left -= 1
        self._help_asking = True
        self.bridge.run(lambda: desk.answered(key), lambda outcome: self._help_heard(key, outcome))

    def _help_heard(self, key: str, outcome: Outcome[bool]) -> None:
        from kiosk.help import Answer

        self._help_asking = False
        if key == self._help_call and outcome.ok and outcome.value:
            self._help_timer.stop()
            self._help_call = None
            self.help_answered.emit(Answer.ACKNOWLEDGED.value)

    def choose_domain(self, domain: Domain) -> None:
        self.session.choose_domain(domain)
        self.changed.emit()

    def browse(self, category: str | None) -> None:
        """Accessibility mode: open a category of the service list (None: back to the categories)."""
        self.session.browse(category)
        self.changed.emit()

    def turn_page(self, step: int, count: int) -> None:
        self.session.turn_page(step, count)
        self.changed.emit()

    def choose_service(self, code: str) -> None:
        self.session.choose_service(code)
        self.changed.emit()

    def edit_field(self, key: str, value: str) -> None:
        """Typed values live in the session, so a re-render (language, text size) keeps them."""
        self.session.edit_field(key, value)

    def submit_form(self) -> None:
        self.session.submit_form(dict(self.session.form))
        self.changed.emit()

    def confirm(self) -> None:
        assert self.store is not None, "a tap reached the first frame's controller"
        application = self.session.confirm()
        batch = self.session.applications
        self.changed.emit()
        store = self.store
        if len(batch) > 1:          # 一件事一次办: every department's application in one transaction
            self.bridge.run(lambda: store.submit_many(batch), self._stored)
        else:
            self.bridge.run(lambda: store.submit(application), self._stored)

    def revise(self, step: State, key: str = "") -> None:
        """修改 on review: to the step holding the answer; `key` names the form field to go to."""
        self.revise_field = key
        self.session.revise(step)
        self.changed.emit()

    def finish(self) -> None:
        self._fire(Event.FINISH)

    # the printed guide (一次性告知) and feedback (好差评, complaints)
    def whole_guide(self) -> None:
        self.session.read_whole_guide(True)
        self.changed.emit()

    def print_guide(self) -> None:
        """Print the detail screen's guide on the receipt printer, off the UI thread; it identifies nobody, so
        anyone may."""
        from kiosk.print_status import Printing, PrintStatus

        session = self.session
        printing = session.guide_print == PrintStatus(Printing.PRINTING)
        if session.state is not State.DETAIL or session.service is None or printing:
            return
        if self.printer is None:
            session.set_guide_print(PrintStatus(Printing.NOT_PRINTED, "printer.absent"))
            self.changed.emit()
            return
        service, printer = session.service, self.printer
        # here: kiosk.guide, and kiosk.voice with it, are not loaded before the first paint
        from kiosk import guide

        paper = guide.compose(service, session.translator, session.kiosk_id, session.clock(), self.alternative_hall,
                              guide.a4_step(session))
        session.set_guide_print(PrintStatus(Printing.PRINTING))
        self.changed.emit()

        def printed(outcome: Outcome[None]) -> None:
            if session.state is State.DETAIL and session.service is service:
                session.set_guide_print(PrintStatus.after(outcome))
                self.changed.emit()
        self.bridge.run(lambda: printer.print_receipt(paper), printed)

    def rate(self, score: feedback.Score) -> None:
        self.session.rate(score)
        self.changed.emit()

    def skip_rating(self) -> None:
        self._fire(Event.SKIP)

    def toggle_reason(self, code: str) -> None:
        """Reasons and typed text live in the session's draft, so a re-render keeps them."""
        self.session.toggle_reason(code)

    def edit_feedback(self, name: str, value: object) -> None:
        self.session.edit_feedback(name, value)

    def complain(self) -> None:
        self._fire(Event.COMPLAIN)

    def send_rating(self) -> None:
        from kiosk.messages import RATING

        if self.session.state is State.RATING_REASONS:
            rating = self.session.rating()
            self._send([(RATING, rating.id, dict(rating.body()))])

    def send_complaint(self) -> None:
        """The complaint, and before it the rating that led to it when the citizen came from a score."""
        from kiosk.messages import COMPLAINT, RATING

        session = self.session
        if session.state is not State.COMPLAINT:
            return
        complaint = session.complaint()
        if complaint is None:
            self.changed.emit()          # show what to fix
            return
        messages = [(COMPLAINT, complaint.id, dict(complaint.body()))]
        if session.complaint_from is State.RATING_REASONS:
            rating = session.rating()
            messages.insert(0, (RATING, rating.id, dict(rating.body())))
        self._send(messages)

    def _send(self, messages: list[tuple[str, str, dict[str, object]]]) -> None:
        from kiosk.outcome import Outcome

        if self.sending:
            return
        queue = self.messages
        if queue is None:
            self.session.feedback_failed()
            self.changed.emit()
            return

        def work() -> Outcome[None]:
            for kind, key, body in messages:
                outcome = queue.send(kind, key, body)
                if not outcome.ok:
                    return outcome
            return Outcome.success(None)
        self.sending = True
        self.changed.emit()
        self.bridge.run(work, self._sent)

    def _sent(self, outcome: Outcome[None]) -> None:
        self.sending = False
        if self.session.state not in (State.RATING_REASONS, State.COMPLAINT):
            return                       # the visit timed out meanwhile: what was stored stays stored
        if outcome.ok:
            self.session.feedback_sent()
            self.bridge.after_paint(self.on_queued)     # the push once the thanks are up (it took the GIL from them)
            if self.session.state is State.COMPLAINT_SENT:
                self._print_slip()
        else:
            log.warning("feedback not stored: %s %s", outcome.problem, outcome.detail)
            self.session.feedback_failed()
        self.changed.emit()

    def _print_slip(self) -> None:
        """The complaint's reference on paper (有诉必办: the citizen keeps the number to quote), off the UI thread."""
        from kiosk import feedback_sent
        from kiosk.print_status import Printing, PrintStatus

        session, sent = self.session, self.session.acknowledgement
        assert sent is not None
        if self.printer is None:
            session.set_slip_print(PrintStatus(Printing.NOT_PRINTED, "printer.absent"))
            return
        paper, printer = feedback_sent.slip(sent, session.translator, session.kiosk_id, session.clock()), self.printer
        session.set_slip_print(PrintStatus(Printing.PRINTING))

        def printed(outcome: Outcome[None]) -> None:
            if session.state is State.COMPLAINT_SENT and session.acknowledgement is sent:
                session.set_slip_print(PrintStatus.after(outcome))
                self.changed.emit()
        # as the receipt's: once the screen with the number is painted, python-escpos takes the GIL from its build
        self.bridge.after_paint(lambda: self.bridge.run(lambda: printer.print_receipt(paper), printed))

    # device and background results
    def identity_read(self, identity: Identity) -> None:
        if self.session.state is State.IDENTIFY:
            self.session.identified(identity)
            self.changed.emit()
        else:
            self.session.read_again(identity)      # the same card laid again renews the centre's proof

    def code_scanned(self, code: Code) -> None:
        """On the identify screen a scanned code may be an e-credential or a passport's MRZ line."""
        if self.session.state is not State.IDENTIFY or self.codes is None:
            return
        read = self.codes.feed(code.text or "")
        if read is None:
            return
        if read.ok and read.value is not None:
            identity, via = read.value
            self.session.identified(identity, via)
        else:
            log.info("identity code refused: %s (%s)", read.problem, read.detail)
            self.session.credential_problem(read.problem or "identity.ecredential.not_ours")
        self.changed.emit()

    def device_health(self, health: Health) -> None:
        """A reader that is absent or faulty leaves the identify screen's choices, and comes back."""
        from devices.health import State as HealthState

        works = health.state not in (HealthState.ABSENT, HealthState.FAULT)
        if self.session.device_health(health.device, works) and self.session.state is State.IDENTIFY:
            self.changed.emit()

    def credential_problem(self, key: str) -> None:
        if self.session.state is State.IDENTIFY:
            self.session.credential_problem(key)
            self.changed.emit()

    def _stored(self, outcome: Outcome[str] | Outcome[list[str]]) -> None:
        if not outcome.ok:
            self.session.store_failed(outcome.problem or "error.store_failed")
            self.changed.emit()
            return
        self.session.stored_all(outcome.value if isinstance(outcome.value, list) else [outcome.value or ""])
        self.bridge.after_paint(self.on_queued)     # the push, as the printing, once the receipt screen is up
        self.print_receipt()

    def print_receipt(self) -> None:
        """The receipt to the printer, off the UI thread once the screen that says so is painted; again from the
        success screen when no paper came out the first time (staff refilled it, the cover is shut)."""
        if self.printing or self.session.state is not State.RECEIPT:
            return
        self.printing = self.printer is not None
        if self.printer is None:
            self.session.printed("printer.absent")
        else:
            receipt, printer = self.session.receipt, self.printer
            assert receipt is not None      # stored_all composed it
            self.bridge.after_paint(lambda: self.bridge.run(lambda: printer.print_receipt(receipt), self._printed))
        self.changed.emit()

    def _printed(self, outcome: Outcome[None]) -> None:
        self.printing = False
        if self.session.state is State.RECEIPT:
            self.session.printed(outcome.problem)
            self.changed.emit()
        self.printing_done.emit()
