"""The personal-information notice (PIPL arts. 17 and 29; the regulation's art. 21) shown before the citizen
identifies: what is collected, why, who receives it and how long the kiosk keeps it, in four short lines;
and the separate consent asked before any document is photographed.

The glass shows these lines and the accessible mode reads them aloud (kiosk.identifying), so what is
heard is what is seen.
"""
from __future__ import annotations

from kiosk.i18n import Translator
from kiosk.session import Intent, Session


def notice(session: Session, tr: Translator) -> list[tuple[str, str]]:
    """(heading, line) for what is collected, why, who receives it, how long it is kept."""
    service = session.service
    if session.intent in (Intent.BENEFITS, Intent.APPOINTMENT) or service is None:
        why, who = tr.t("privacy.why_lookup"), tr.t("privacy.who_centre")
    else:
        why = tr.t("privacy.why_apply", service=tr.local(service.name))
        who = tr.t("privacy.who_department", department=tr.local(service.department))
    return [(tr.t("privacy.collected_label"), tr.t("privacy.collected")),
            (tr.t("privacy.why_label"), why),
            (tr.t("privacy.who_label"), who),
            (tr.t("privacy.kept_label"), tr.t("privacy.kept"))]


def spoken(session: Session, tr: Translator) -> str:
    """The notice as one paragraph, for the voice."""
    lines = (tr.t("common.pair", label=heading, value=line) for heading, line in notice(session, tr))
    return tr.t("privacy.title") + tr.t("privacy.spoken_separator") + " ".join(lines)


def photo_consent(session: Session, tr: Translator) -> str:
    """What the citizen agrees to, separately, before documents are photographed."""
    service = session.service
    assert service is not None
    return tr.t("privacy.photo_consent", department=tr.local(service.department))
