"""What the kiosk shows on review and says on the steps after the form: materials, commitment, signature.

Kept beside kiosk.voice (which calls in here) so the words of those steps live with their area.
"""
from __future__ import annotations

from kiosk import materials
from kiosk.i18n import Translator
from kiosk.session import Session, State

STEPS = (State.MATERIALS, State.COMMITMENT, State.SIGN)


def announcement(session: Session, tr: Translator) -> str:
    """The spoken guide of a step; the commitment is read out in full, as consent needs it heard."""
    service = session.service
    assert service is not None
    if session.state is State.MATERIALS:
        names = tr.t("common.list_separator").join(tr.local(m.name) for _, m in service.to_capture)
        return tr.t("apply.voice.materials", count=len(service.to_capture), materials=names)
    if session.state is State.COMMITMENT:
        return tr.t("apply.voice.commitment", text=session.commitment_text())
    return tr.t("apply.voice.sign")


def review_pairs(session: Session, tr: Translator) -> list[tuple[str, str]]:
    """Materials photographed and owed, the commitment and the signature, as review lists them."""
    service = session.service
    assert service is not None
    pairs = []
    if service.to_capture:
        value = tr.t("apply.review.captured", count=len(session.captures))
        owed = materials.missing(service, session.later, session.captures, session.clock().date(), session.calendar)
        if owed:
            names = tr.t("common.list_separator").join(
                tr.local(m.name) for i, m in service.to_capture if i in session.later)
            value += tr.t("common.list_separator") + tr.t("apply.review.missing", names=names,
                                                          date=owed[0].deadline.isoformat())
        pairs.append((tr.t("apply.review.materials"), value))
    if session.commitment is not None:
        pairs.append((tr.t("apply.review.commitment"), tr.t("apply.review.committed")))
    if session.signature is not None:
        pairs.append((tr.t("apply.review.signature"), tr.t("apply.review.signed")))
    return pairs
