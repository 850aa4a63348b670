"""What the kiosk says on the online services' screens (kiosk.voice asks here first)."""
from __future__ import annotations

from collections.abc import Callable

from kiosk import hours as house_style
from kiosk.i18n import Translator
from kiosk.session import Session, State

KNOWN_STATUSES = {"received", "accepted", "in_progress", "done", "rejected", "returned"}


def status_text(tr: Translator, status: str) -> str:
    """A known status in the citizen's words; an unknown one (a department's own) as the centre names it."""
    return tr.t(f"online.status.{status}") if status in KNOWN_STATUSES else status


def _paper(session: Session, tr: Translator) -> str:
    visit = session.online
    if visit.printing:
        return tr.t("done.printing")
    if visit.print_problem and visit.document is not None:     # said with the slip, as on the glass
        slip = visit.slip
        if slip is None:
            said = ""
        elif slip.problem is None:
            said = tr.t(f"document.slip.{slip.stage.value}")
        else:
            said = tr.t("document.slip.not_printed", reason=tr.t(slip.problem))
        return " ".join(filter(None, [tr.t(visit.print_problem), tr.t("document.issued_anyway"), said]))
    if visit.print_problem:
        return tr.t("done.not_printed", reason=tr.t(visit.print_problem))
    if not visit.printed:
        return ""
    return tr.t("document.printed" if visit.document is not None else "online.printed")


def screen(session: Session, tr: Translator, spell: Callable[[str, Translator], str]) -> str | None:
    """The announcement of an online screen, or None for any other screen."""
    state, visit, join = session.state, session.online, tr.t("common.list_separator").join
    if state is State.QUERY_RESULT and session.service is not None and session.service.a4_document:
        if visit.document is None:
            return tr.t("voice.documents.waiting")
        ready = tr.t("voice.documents.ready", title=tr.local(visit.document.title),
                     number=spell(visit.document.document_id, tr))
        return " ".join(filter(None, [ready, _paper(session, tr)]))
    if state is State.VERIFY_DOCUMENT:
        check = visit.document_check
        if check is None:
            return tr.t("voice.documents.verify")
        return tr.t("voice.documents.valid" if check.valid else "voice.documents.revoked",
                    title=tr.local(check.title), issuer=tr.local(check.issuer))
    if state is State.QUERY_RESULT:
        if visit.record is None:
            return tr.t("voice.query_waiting")
        rows = join(tr.t("common.pair", label=tr.local(r.label), value=tr.local(r.value)) for r in visit.record.rows)
        return " ".join(filter(None, [tr.t("voice.query_result", summary=rows), _paper(session, tr)]))
    if state is State.PROGRESS:
        return tr.t("voice.progress", hint=tr.t("progress.hint_type"))
    if state is State.PROGRESS_RESULT and visit.progress is not None:
        return tr.t("voice.progress_result", case_number=spell(visit.progress.kiosk_case_number, tr),
                    status=status_text(tr, visit.progress.status))
    if state is State.BENEFITS:
        if visit.benefits is None:
            return tr.t("voice.benefits_waiting") if session.problem is None else tr.t("benefits.title")
        if not visit.benefits:
            return tr.t("voice.benefits", summary=tr.t("benefits.none"))
        summary = join(f"{tr.local(b.name)}, {tr.local(b.amount)}, {tr.local(b.payment)}" for b in visit.benefits)
        return tr.t("voice.benefits", summary=summary)
    if state is State.APPOINTMENT and session.service is not None:
        if visit.slots is None and session.problem is None:
            return tr.t("voice.appointment_waiting")
        return tr.t("voice.appointment", service=tr.local(session.service.name))
    if state is State.APPOINTMENT_DONE and visit.booking is not None:
        slot = visit.booking.slot
        return tr.t("voice.appointment_done", number=spell(visit.booking.booking_number, tr),
                    time=house_style.time_span(slot.date, slot.starts, slot.ends, tr),
                    hall=tr.local(slot.hall), paper=_paper(session, tr))
    return None
