"""Taps of the online services forwarded to the session, and the centre asked off the UI thread.

The controller owns the session and its `changed` signal and builds this object with them; it adds the
calls to the centre (kiosk.ports.CentreLink) and the printouts they lead to. Screens reach it as
controller.online.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, SignalInstance

from kiosk import a4_printing, application, online_flow, printouts
from kiosk import hours as house_style
from kiosk.catalog import Hall
from kiosk.certified import PrintLog
from kiosk.online import CertifiedDocument
from kiosk.outcome import Outcome
from kiosk.ports import A4Printer, A4PrintError, A4Status, CentreLink, ReceiptPrinter
from kiosk.print_status import Printing, PrintStatus
from kiosk.receipt import Receipt
from kiosk.session import Event, Intent, Session, State
from ui.bridge import Bridge

if TYPE_CHECKING:
    from devices.scanner.payload import Code

log = logging.getLogger(__name__)


class OnlineFlows(QObject):
    def __init__(self, session: Session, link: CentreLink | None, printer: ReceiptPrinter | None,
                 bridge: Bridge, changed: SignalInstance, news: SignalInstance, has_scanner: bool = False,
                 a4: A4Printer | None = None, print_log: PrintLog | None = None, alternative_hall: Hall | None = None,
                 parent: QObject | None = None) -> None:
        """changed: the controller's signal, emitted when the session changed and listened to for arrivals;
        news: its signal for answers the screen shown may show in place (the guide's centre and printer checks);
        a4 prints the centre's signed documents (None: this kiosk has no A4 printer), print_log records each;
        alternative_hall: the configured hall, for a document's slip when the guide names none."""
        super().__init__(parent)
        self.session = session
        self.changed = changed
        self.news = news
        self.link = link
        self.has_scanner = has_scanner        # else the progress screen asks only for typing
        self.printer = printer
        self.a4 = a4
        self.print_log = print_log
        self.alternative_hall = alternative_hall
        self.bridge = bridge
        self._shown: State | None = None
        changed.connect(self._entered)
        bridge.code_scanned.connect(self.scanned)

    def _changed(self) -> None:
        self.changed.emit()

    def _ask(self, job: Callable[[CentreLink], Outcome[Any]], then: Callable[[Outcome[Any]], None]) -> None:
        """One question to the centre at a time; without a link the centre is simply unreachable."""
        link = self.link
        self.session.update_online(waiting=True)

        def answered(outcome: Outcome[Any]) -> None:
            if not outcome.ok:      # problem key and HTTP status or exception name: nothing of the citizen
                log.info("centre answered %s (%s)", outcome.problem, outcome.detail)
            then(outcome)
        if link is None:
            self.bridge.run(lambda: Outcome.failure("centre.unreachable", "no centre link"), answered)
        else:
            self.bridge.run(lambda: job(link), answered)

    def _entered(self) -> None:
        """A screen that needs the centre asks once on arrival: the guide whether it answers, the
        benefits and appointment screens their lists."""
        session, state = self.session, self.session.state
        arrived, self._shown = state is not self._shown, state
        if not arrived:
            return
        if state is State.DETAIL:
            self.check_centre()
        elif state is State.BENEFITS and session.online.benefits is None and session.identity is not None:
            identity = session.identity
            self._ask(lambda link: link.benefits(identity), self._benefits)
        elif state is State.APPOINTMENT and session.online.slots is None:
            self.refresh_slots()
        elif state is State.QUERY_RESULT:
            self.query()

    # -- the guide ---------------------------------------------------------------------------------
    def check_centre(self) -> None:
        """Whether the centre (and the A4 printer, for a document) can serve, asked once the guide is painted: the
        asking (requests, TLS) took the GIL from the guide's building. Until they answer the guide says so."""
        link, run = self.link, self.bridge.run
        self.session.update_online(centre_online=None)

        def known(online: bool) -> None:
            if self.session.state is State.DETAIL:
                online_flow.centre_checked(self.session, online)
                self.news.emit()
        self.bridge.after_paint(lambda: run((lambda: False) if link is None else link.reachable, known))
        service = self.session.service
        if service is not None and service.a4_document:
            a4 = self.a4
            self.session.update_online(a4_ready=None, a4_problem=None)

            def printer_known(status: A4Status | None) -> None:
                online_flow.a4_checked(self.session, status)
                self.news.emit()
            self.bridge.after_paint(lambda: run((lambda: None) if a4 is None else a4.status, printer_known))

    def book_at_hall(self) -> None:
        """预约到大厅办理 on a guide, or on a document the A4 printer did not print (the citizen is identified)."""
        if self.session.can(Event.BOOK):
            self.session.begin(Intent.APPOINTMENT, Event.BOOK)
            self._changed()
        elif self.session.state is State.QUERY_RESULT and self.session.can(Event.BOOK_IDENTIFIED):
            self.session.begin(Intent.APPOINTMENT, Event.BOOK_IDENTIFIED)
            self._changed()

    # -- query and print ---------------------------------------------------------------------------
    def query(self) -> None:
        """The query's form is filled (the form screen's 下一步 when the intent is QUERY)."""
        session = self.session
        if session.state is not State.QUERY_RESULT or session.online.waiting:
            return
        assert session.service is not None and session.identity is not None
        code, identity, form = session.service.code, session.identity, dict(session.form)
        session.update_online(record=None, printed=False, print_problem=None, slip=None)
        if session.service.a4_document:
            key = online_flow.document_key(session)
            self._ask(lambda link: link.document(code, identity, form, key), self._document)
        else:
            self._ask(lambda link: link.query(code, identity, form), self._record)

    def _document(self, outcome: Outcome[Any]) -> None:
        document = online_flow.document_answered(self.session, outcome)
        if document is not None and self.session.online.print_problem:
            self._print_slip(document)      # taken on the guide, the A4 printer being down
        elif document is not None:
            self._print_a4(document)
        self._changed()

    def _print_a4(self, document: CertifiedDocument) -> None:
        """The centre's bytes to the A4 printer as they are; each print recorded, a second one as a reprint."""
        a4, prints, session = self.a4, self.print_log, self.session
        if a4 is None:
            session.update_online(print_problem=a4_printing.ABSENT)
            return
        assert session.identity is not None
        identity, reprint = session.identity, session.online.document_prints > 0
        session.update_online(printing=True, print_problem=None)

        def job() -> Outcome[int]:
            try:
                pages = a4.print_pdf(document.pdf, f"{document.title.zh} {document.document_id}")
            except A4PrintError as exc:
                log.info("A4 printer refused a document: %s", exc.reason)
                return Outcome.failure(a4_printing.reason_key(exc.reason), exc.reason)
            if prints is not None:
                prints.record(session.kiosk_id, identity, document, pages, reprint)
            return Outcome.success(pages)

        def done(outcome: Outcome[int]) -> None:
            online_flow.document_printed(self.session, outcome)
            self._changed()
        self.bridge.run(job, done)

    def print_slip(self) -> None:
        """打印凭条 on a document the A4 printer did not print."""
        session, document, slip = self.session, self.session.online.document, self.session.online.slip
        busy = slip is not None and slip.stage is Printing.PRINTING        # one tap prints one slip
        if session.state is State.QUERY_RESULT and document is not None and not busy:
            self._print_slip(document)
            self._changed()

    def _print_slip(self, document: CertifiedDocument) -> None:
        """The document's number and code on the receipt printer, with where to check it and get it on paper."""
        printer, session = self.printer, self.session
        if printer is None:
            session.update_online(slip=PrintStatus(Printing.NOT_PRINTED, "printer.absent"))
            return
        assert session.identity is not None and session.service is not None
        tr = session.translator
        hours = house_style.hall_hours(session.service.guide.hall or self.alternative_hall, tr)
        paper = printouts.document_slip(document, session.identity, session.kiosk_id, hours, tr)
        session.update_online(slip=PrintStatus(Printing.PRINTING))

        def done(outcome: Outcome[None]) -> None:
            online_flow.slip_printed(self.session, outcome)
            self._changed()
        self.bridge.run(lambda: printer.print_receipt(paper), done)

    def _record(self, outcome: Outcome[Any]) -> None:
        paper = online_flow.record_answered(self.session, outcome)
        if paper is not None:
            self._print(paper, State.QUERY_RESULT)
        self._changed()

    def print_again(self) -> None:
        session = self.session
        if session.state is State.QUERY_RESULT and session.online.document is not None and not session.online.printing:
            self._print_a4(session.online.document)     # the same bytes: a copy of the one original
            self._changed()
        elif session.state is State.QUERY_RESULT and session.online.record is not None and not session.online.printing:
            assert session.service is not None and session.identity is not None
            self._print(printouts.record(session.online.record, session.service, session.identity,
                                         session.kiosk_id, session.translator), State.QUERY_RESULT)
            self._changed()

    def _print(self, paper: Receipt, state: State) -> None:
        printer = self.printer
        if printer is None:
            self.session.update_online(print_problem="printer.absent")
            return
        self.session.update_online(printing=True, print_problem=None)

        def done(outcome: Outcome[None]) -> None:
            online_flow.printed(self.session, state, outcome)
            self._changed()
        self.bridge.run(lambda: printer.print_receipt(paper), done)

    # -- progress ----------------------------------------------------------------------------------
    def open_progress(self) -> None:
        if self.session.can(Event.PROGRESS):
            self.session.fire(Event.PROGRESS)
            self._changed()

    def edit_progress(self, name: str, value: str) -> None:
        """Typed values live in the session, so a re-render keeps them."""
        self.session.update_online(**{name: value.strip()})

    def find_progress(self) -> None:
        session = self.session
        if session.state is not State.PROGRESS or session.online.waiting:
            return
        problem = online_flow.typed_progress_problem(session)
        if problem is not None:
            session.show_problem(problem)
            self._changed()
            return
        number, tail = session.online.case_number, session.online.id_tail
        session.show_problem(None)
        self._ask(lambda link: link.progress(number, id_tail=tail), self._progress)
        self._changed()

    def scanned(self, code: Code) -> None:
        """A code from the scanner: on the progress screen, a receipt's QR asks at once; on the check
        screen, a printed document's."""
        if self.session.state is State.VERIFY_DOCUMENT:
            self._check(code.text or "")
            return
        found = online_flow.scanned_progress(self.session, code.text or "")
        if found is not None:
            number, token = found
            self.session.show_problem(None)
            self._ask(lambda link: link.progress(number, token=token), self._progress)
        if self.session.state is State.PROGRESS:
            self._changed()

    def _progress(self, outcome: Outcome[Any]) -> None:
        online_flow.progress_answered(self.session, outcome)
        self._changed()

    # -- checking a printed document (文书核验) -----------------------------------------------------
    def open_verify(self) -> None:
        if self.session.can(Event.VERIFY):
            self.session.fire(Event.VERIFY)
            self._changed()

    def check_typed(self) -> None:
        """查验 with the code typed from the paper."""
        self._check(self.session.online.check_code, typed=True)

    def check_another(self) -> None:
        if self.session.state is State.VERIFY_DOCUMENT:
            self.session.update_online(document_check=None, check_code="")
            self.session.show_problem(None)
            self._changed()

    def _check(self, text: str, typed: bool = False) -> None:
        found = online_flow.check_asked(self.session, text, typed)
        if found is not None:
            self._ask(lambda link: link.check_document(found), self._checked)
        self._changed()

    def _checked(self, outcome: Outcome[Any]) -> None:
        online_flow.check_answered(self.session, outcome)
        self._changed()

    # -- benefits ----------------------------------------------------------------------------------
    def open_benefits(self) -> None:
        if self.session.can(Event.BENEFITS):
            self.session.begin(Intent.BENEFITS, Event.BENEFITS)
            self._changed()

    def _benefits(self, outcome: Outcome[Any]) -> None:
        online_flow.benefits_answered(self.session, outcome)
        self._changed()

    # -- appointments ------------------------------------------------------------------------------
    def refresh_slots(self) -> None:
        service = self.session.service
        assert service is not None
        code = service.code
        self._ask(lambda link: link.slots(code), self._slots)

    def _slots(self, outcome: Outcome[Any]) -> None:
        online_flow.slots_answered(self.session, outcome)
        self._changed()

    def choose_slot(self, slot_id: str) -> None:
        online_flow.choose_slot(self.session, slot_id)
        self._changed()

    def edit_mobile(self, value: str) -> None:
        self.session.update_online(mobile=value.strip())

    def book(self) -> None:
        session = self.session
        if session.state is not State.APPOINTMENT or session.online.waiting:
            return
        problem = online_flow.booking_problem(session)
        if problem is not None:
            session.show_problem(problem)
            self._changed()
            return
        assert session.service is not None and session.identity is not None
        key = session.online.booking_key or application.new_key()    # a repeated tap books once
        session.update_online(booking_key=key)
        slot_id, mobile = session.online.slot_id, session.online.mobile
        code, identity = session.service.code, session.identity
        session.show_problem(None)
        self._ask(lambda link: link.book(key, slot_id, code, identity, mobile), self._booked)
        self._changed()

    def _booked(self, outcome: Outcome[Any]) -> None:
        paper = online_flow.booked(self.session, outcome)
        if paper is not None:
            self._print(paper, State.APPOINTMENT_DONE)
        elif self.session.state is State.APPOINTMENT and outcome.problem in ("appointment.full", "appointment.gone"):
            self.refresh_slots()        # show what is left now
        self._changed()
