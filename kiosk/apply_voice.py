"""What the kiosk says on the steps after the form: materials, commitment, signature (review: kiosk.review).

Kept beside kiosk.voice (which calls in here) so the words of those steps live with their area.
"""
from __future__ import annotations

from kiosk import privacy
from kiosk.i18n import Translator
from kiosk.session import Session, State

STEPS = (State.MATERIALS, State.COMMITMENT, State.SIGN)


def announcement(session: Session, tr: Translator) -> str:
    """The spoken guide of a step; the commitment is read out in full, as consent needs it heard."""
    service = session.service
    assert service is not None
    if session.state is State.MATERIALS:
        names = tr.t("common.list_separator").join(tr.local(m.name) for _, m in service.to_capture)
        said = tr.t("apply.voice.materials", count=len(service.to_capture), materials=names)
        if not session.photo_consent:       # the separate consent is heard before the camera can be used
            said = " ".join([said, tr.t("privacy.photo_title"), privacy.photo_consent(session, tr),
                             tr.t("privacy.photo_needed")])
        return said
    if session.state is State.COMMITMENT:
        return tr.t("apply.voice.commitment", text=session.commitment_text())
    return tr.t("apply.voice.sign")
