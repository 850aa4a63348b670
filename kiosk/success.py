"""What happens next after an application is stored: the success screen lists it under 接下来 and the
voice reads it after the case number, so a citizen who cannot see the glass hears the same."""
from __future__ import annotations

from kiosk import hours, receipt
from kiosk.credentials import Credential
from kiosk.i18n import Translator
from kiosk.session import Session

# documents laid on a reader or a camera, which stay there unless taken: a phone's e-credential and a typed
# principal leave nothing behind
_LAID_DOWN = frozenset({Credential.RESIDENT, Credential.FOREIGN, Credential.HMT, Credential.PASSPORT})


def left_on_the_kiosk(session: Session) -> bool:
    """Whether a card or passport of this visit (the applicant's or an agent's) lies on the kiosk:
    forgetting the ID card on the reader is the commonest loss at self-service kiosks."""
    people = (session.identity, session.agent)
    return any(p is not None and p.credential in {c.value for c in _LAID_DOWN} for p in people)


def next_steps(session: Session, tr: Translator) -> list[str]:
    """In the order it happens: the card back first, who decides by when, how the citizen hears, how the
    result reaches them, what they still owe, how to follow it."""
    app, service = session.application, session.service
    assert app is not None and service is not None
    lines = [tr.t("done.next.take_card")] if left_on_the_kiosk(session) else []
    if app.promised_date is not None:
        lines.append(tr.t("done.next.decide", department=tr.local(service.department),
                          date=hours.long_date(app.promised_date, tr)))
    else:
        lines.append(tr.t("done.next.on_the_spot"))
    if app.form.get("mobile"):
        lines.append(tr.t("done.next.text_message"))
    delivery = receipt.delivery_lines(app, service, tr)
    if delivery:
        lines.append(tr.t("common.pair", label=delivery[0].label, value=delivery[0].value))
    if app.missing:
        lines.append(tr.t("done.next.missing", date=hours.long_date(app.missing[0].deadline, tr)))
    # no paper came out: no code to scan on it; the number on the glass is what the citizen keeps
    lines.append(tr.t("done.next.follow_no_paper" if session.print_problem else "done.next.follow"))
    return lines
