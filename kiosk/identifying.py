"""What the identify, principal, bundle guide and bundle receipt screens say, on the glass and aloud.

Composed here once from the session, so the screen and voice guidance can never disagree about which
credentials are offered or which readers are down.
"""
from __future__ import annotations

from collections.abc import Callable

from kiosk import credentials, privacy
from kiosk.i18n import Translator
from kiosk.receipt import readable
from kiosk.session import Intent, Session, State

_TITLES = {Intent.PROXY_AGENT: "identity.title_agent", Intent.PROXY_PRINCIPAL: "identity.title_principal"}


def title(session: Session, tr: Translator) -> str:
    return tr.t(_TITLES.get(session.intent, "identity.title"))


def way_lines(session: Session, tr: Translator) -> list[tuple[str, str, bool]]:
    """(name, what to do, available) for each way the service accepts; what to do for a way whose device
    is down says so. When none works, a last line says whom to ask."""
    lines = []
    for way in session.identify_ways():
        how = tr.t(f"identity.way.{way.key}") if way.available else tr.t("identity.unavailable")
        lines.append((tr.t(f"identity.way_name.{way.key}"), how, way.available))
    if not any(available for _, _, available in lines) and session.intent is not Intent.PROXY_PRINCIPAL:
        lines.append(("", tr.t("identity.none_available"), False))
    return lines


def card_reader_down(session: Session) -> bool:
    """The service takes an ID card and the card reader does not work: most citizens' one way is gone (the
    other needs a smartphone), so the screen offers staff, the hotline and the hall instead of a dead end."""
    return any(not way.available and credentials.DEVICE[way.credentials[0]] == "idcard"
               for way in session.identify_ways())


def member_lines(session: Session, tr: Translator) -> list[str]:
    """A bundle's members, each with the department that accepts it."""
    assert session.bundle is not None
    return [tr.t("identity.bundles.member", index=index, service=tr.local(service.name),
                 department=tr.local(service.department))
            for index, service in enumerate((session.catalog.get(c) for c in session.bundle.members), 1)]


def case_lines(session: Session, tr: Translator) -> list[str]:
    """A bundle's receipt screen: every department's case number, grouped as the panel's is (review f: the
    panel said XY-SH-01-2026 1125-0003, the list XY-SH-01-20261125-0003)."""
    assert session.bundle is not None
    return [tr.t("identity.bundles.case", service=tr.local(session.catalog.get(app.service_code).name),
                 case_number=readable(number))
            for app, number in zip(session.applications, session.case_numbers, strict=True)]


def announcement(session: Session, tr: Translator, paper: str,
                 spell: Callable[[str, Translator], str]) -> str | None:
    """The spoken form of this area's screens; None for the others."""
    state = session.state
    separator = tr.t("common.list_separator")
    if state is State.IDENTIFY and session.service is not None:
        ways = " ".join(tr.t("common.pair", label=name, value=how) if name else how
                        for name, how, _ in way_lines(session, tr))
        agent = [tr.t("identity.agent_done", name=spell(session.agent.masked_name(), tr))] if session.agent else []
        notice = [privacy.spoken(session, tr)] if session.profile.assisted else []    # read aloud before a card
        return " ".join([*agent, tr.t("identity.voice.identify", title=title(session, tr), ways=ways), *notice])
    if state is State.PRINCIPAL:
        problems = [tr.t("voice.problem", problem=tr.t("common.pair", label=tr.local(field.label),
                                                      value=tr.t(session.form_problems[field.key])))
                    for field in session.form_fields if field.key in session.form_problems]
        return " ".join([tr.t("identity.voice.principal"), *problems])
    if state is State.DETAIL and session.bundle is not None and session.service is not None:
        return tr.t("identity.voice.bundle", service=tr.local(session.service.name),
                    count=len(session.bundle.members), members=separator.join(member_lines(session, tr)),
                    materials=len(session.service.materials))
    if state is State.RECEIPT and session.bundle is not None and session.case_numbers:
        numbers = separator.join(spell(n, tr) for n in session.case_numbers)
        return tr.t("identity.voice.receipt", count=len(session.case_numbers), case_numbers=numbers, paper=paper)
    return None
