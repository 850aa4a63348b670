"""The session's side of the online services: what a tap asks and what the centre's answer changes.

The controller calls the centre (kiosk.ports.CentreLink) off the UI thread and hands the Outcome
here; these functions only move the session, so the flows are testable without Qt or network.
"""
from __future__ import annotations

from kiosk import a4_printing, application, printouts
from kiosk.catalog import FieldType, ServiceKind
from kiosk.certified import code_problem, verification_code
from kiosk.online import Benefit, Booking, CertifiedDocument, DocumentCheck, Progress, Record, Slot, id_tail_problem
from kiosk.outcome import Outcome
from kiosk.ports import A4Status
from kiosk.print_status import PrintStatus
from kiosk.receipt import Receipt, parse_tracking_payload
from kiosk.session import Event, Session, State


def centre_checked(session: Session, online: bool) -> None:
    """On a guide: whether the centre answers. When it does not, the guide says so before anyone
    identifies: a query cannot be done, nor an appointment booked."""
    if session.state is not State.DETAIL or session.service is None:
        return
    session.update_online(centre_online=online)
    if not online:
        query = session.service.kind is ServiceKind.QUERY_PRINT
        session.show_problem("online.query_offline" if query else "online.book_offline")


def a4_checked(session: Session, status: A4Status | None) -> None:
    """On a document's guide: the A4 printer's state (None: this kiosk has none), said with its reason
    before anyone identifies. A visit started from here while it cannot print takes a slip instead."""
    if session.state is not State.DETAIL or session.service is None or not session.service.a4_document:
        return
    problem = a4_printing.status_key(status)
    session.update_online(a4_ready=problem is None, a4_problem=problem)
    if problem is not None and session.online.centre_online is not False:
        session.show_problem(problem)


def record_answered(session: Session, outcome: Outcome[Record]) -> Receipt | None:
    """The record arrived (the printout to print is returned), or back to the form saying why not."""
    session.update_online(waiting=False)
    if session.state is not State.QUERY_RESULT:
        return None                 # the citizen left meanwhile: nothing of the answer is kept
    if not outcome.ok or outcome.value is None:
        session.fire(Event.QUERY_FAILED)
        session.show_problem(outcome.problem or "centre.error")
        return None
    assert session.service is not None and session.identity is not None
    session.update_online(record=outcome.value)
    return printouts.record(outcome.value, session.service, session.identity, session.kiosk_id, session.translator)


def document_key(session: Session) -> str:
    """The key to ask the centre for this service's document with: the visit's, while the service and
    the answers are the ones it was first asked for, so asking again returns the same original."""
    assert session.service is not None
    asked = (session.service.code, *(f"{k}={v}" for k, v in sorted(session.form.items())))
    if session.online.document_asked != asked or not session.online.document_key:
        session.update_online(document_key=application.new_key(), document_asked=asked, document=None,
                              document_prints=0)
    return session.online.document_key


def document_answered(session: Session, outcome: Outcome[CertifiedDocument]) -> CertifiedDocument | None:
    """The signed document arrived (returned, to print as it is), or back to the form saying why not.
    A visit the guide told the A4 printer was down keeps that as why it is not printed: it takes a slip."""
    session.update_online(waiting=False)
    if session.state is not State.QUERY_RESULT:
        return None
    if not outcome.ok or outcome.value is None:
        session.fire(Event.QUERY_FAILED)
        session.show_problem(outcome.problem or "centre.error")
        return None
    session.update_online(document=outcome.value, print_problem=session.online.a4_problem)
    return outcome.value


def document_printed(session: Session, outcome: Outcome[int]) -> None:
    """Whether the A4 printer took the document (its pages), if the citizen still sees it; when it did
    not, outcome.problem is an a4_printing key, and the screen offers the slip."""
    session.update_online(printing=False)
    if session.state is State.QUERY_RESULT:
        session.update_online(print_problem=outcome.problem, printed=outcome.ok,
                              document_prints=session.online.document_prints + int(outcome.ok))


def slip_printed(session: Session, outcome: Outcome[None]) -> None:
    """Whether the document's slip came out of the receipt printer, if the citizen still sees the document."""
    if session.state is State.QUERY_RESULT:
        session.update_online(slip=PrintStatus.after(outcome))


def check_asked(session: Session, text: str, typed: bool = False) -> str | None:
    """The verification code to ask the centre about, from a scan or the typed code; else a problem shown:
    for a typed code what to put right (code_problem), for a scan that it is no certificate's code."""
    if session.state is not State.VERIFY_DOCUMENT or session.online.waiting:
        return None
    code = verification_code(text)
    session.update_online(document_check=None)
    if code is None:
        session.show_problem(code_problem(text)[0] if typed else "verify.not_a_code")
    else:
        session.show_problem(None)
    return code


def check_answered(session: Session, outcome: Outcome[DocumentCheck]) -> None:
    session.update_online(waiting=False)
    if session.state is not State.VERIFY_DOCUMENT:
        return
    if outcome.ok and outcome.value is not None:     # a new verdict: nothing said before it still stands
        session.update_online(document_check=outcome.value, check_code="")
        session.show_problem(None)
    else:
        session.show_problem(outcome.problem or "centre.error")


def typed_progress_problem(session: Session) -> str | None:
    """What is wrong with the typed case number and ID tail, if anything."""
    visit = session.online
    if not visit.case_number.strip():
        return "progress.case_number_missing"
    return id_tail_problem(visit.id_tail)


def scanned_progress(session: Session, text: str) -> tuple[str, str] | None:
    """(case number, token) from a scanned receipt on the progress screen, else a problem shown there."""
    if session.state is not State.PROGRESS or session.online.waiting:
        return None
    found = parse_tracking_payload(text)
    if found is None:
        session.show_problem("progress.scan_unknown")
    return found


def progress_answered(session: Session, outcome: Outcome[Progress]) -> None:
    session.update_online(waiting=False)
    if session.state is not State.PROGRESS:
        return
    if not outcome.ok or outcome.value is None:
        session.show_problem(outcome.problem or "centre.error")
        return
    session.update_online(progress=outcome.value)
    session.fire(Event.FOUND)


def benefits_answered(session: Session, outcome: Outcome[tuple[Benefit, ...]]) -> None:
    session.update_online(waiting=False)
    if session.state is not State.BENEFITS:
        return
    if outcome.ok and outcome.value is not None:
        session.update_online(benefits=outcome.value)
    else:
        session.show_problem(outcome.problem or "centre.error")


def slots_answered(session: Session, outcome: Outcome[tuple[Slot, ...]]) -> None:
    session.update_online(waiting=False)
    if session.state is not State.APPOINTMENT:
        return
    if outcome.ok and outcome.value is not None:
        session.update_online(slots=outcome.value)
        chosen = session.online.slot
        if chosen is None or chosen.full:
            session.update_online(slot_id="")
    elif session.online.slots is None:
        session.show_problem(outcome.problem or "centre.error")


def choose_slot(session: Session, slot_id: str) -> None:
    slot = next((s for s in session.online.slots or () if s.slot_id == slot_id), None)
    if slot is not None and not slot.full and slot_id != session.online.slot_id:
        session.update_online(slot_id=slot_id, booking_key="")
        session.show_problem(None)


def booking_problem(session: Session) -> str | None:
    """Before asking the centre: a free slot chosen and a mobile number that can take a text."""
    if session.online.slot is None:
        return "appointment.choose_slot"
    return application.field_problem(FieldType.MOBILE, session.online.mobile, required=True)


def booked(session: Session, outcome: Outcome[Booking]) -> Receipt | None:
    """The slip to print once booked; on a full slot the list is asked for again by the caller."""
    session.update_online(waiting=False)
    if session.state is not State.APPOINTMENT:
        return None
    if not outcome.ok or outcome.value is None:
        session.show_problem(outcome.problem or "centre.error")
        if outcome.problem in ("appointment.full", "appointment.gone"):
            session.update_online(slot_id="")
        return None
    assert session.service is not None and session.identity is not None
    session.update_online(booking=outcome.value)
    session.fire(Event.BOOKED)
    return printouts.appointment(outcome.value, session.service, session.identity, session.online.mobile,
                                 session.translator)


def printed(session: Session, state: State, outcome: Outcome[None]) -> None:
    """Whether paper came out, if the citizen is still on the screen that printed it."""
    session.update_online(printing=False)
    if session.state is state:
        session.update_online(print_problem=outcome.problem, printed=outcome.ok)
