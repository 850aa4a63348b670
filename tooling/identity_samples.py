"""The identity screens in `kiosk24 screenshots` and the audit: a bundle (一件事一次办) from its guide to
its one receipt, the identify screen with the card reader down, and 代为办理 with a typed principal."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from kiosk import idnumber
from kiosk.identity import CardType, Identity, Sex
from kiosk.session import Event, Intent, Session, State
from tooling.samples import KIOSK_ID, sample_form

Steps = list[tuple[str, Callable[[], object]]]


def agent() -> Identity:
    first17 = "41150219700101001"
    return Identity(name="李建国", sex=Sex.MALE, birth_date=dt.date(1970, 1, 1),
                    id_number=first17 + idnumber.check_digit(first17), card_type=CardType.RESIDENT)


def _to_review(session: Session, signature: Callable[[], bytes]) -> None:
    """Past the steps after the form that this walk does not show again (materials, commitment, signature)."""
    while session.state is not State.REVIEW:
        if session.state is State.MATERIALS:
            session.materials_done()
        elif session.state is State.COMMITMENT:
            session.commit()
        else:
            session.signed(signature())


def steps(session: Session, who: Identity, signature: Callable[[], bytes]) -> Steps:
    bundle = session.catalog.bundles[0]
    proxied = session.catalog.get(session.catalog.bundles[-1].members[0])     # 职工退休申请: proxy allowed

    def bundle_guide() -> None:
        session.fire(Event.HOME)
        session.fire(Event.START)
        session.choose_bundle(bundle.code)

    def reader_down() -> None:
        session.device_health("idcard", works=False)
        session.apply_as(Intent.APPLY)

    def bundle_form() -> None:
        session.device_health("idcard", works=True)
        session.identified(who)

    def bundle_receipt() -> None:
        session.submit_form(sample_form(session.service, who))
        _to_review(session, signature)
        session.confirm()
        session.stored_all([f"{KIOSK_ID}-20261125-{n:04d}" for n in range(3, 3 + len(bundle.members))])
        session.printed(None)

    def proxy_agent() -> None:
        session.fire(Event.HOME)
        session.fire(Event.START)
        session.choose_service(proxied.code)
        session.apply_as(Intent.PROXY_AGENT)

    def principal_problems() -> None:
        session.submit_form({"principal_name": "王秀英", "principal_id_number": who.id_number[:-1] + "0"})

    def proxy_review() -> None:
        session.submit_form(sample_form(session.service, who))
        _to_review(session, signature)

    return [
        ("60-bundle-detail", bundle_guide),
        ("61-identify-reader-down", reader_down),
        ("62-bundle-form", bundle_form),
        ("63-bundle-receipt", bundle_receipt),
        ("64-proxy-agent", proxy_agent),
        ("65-proxy-principal", lambda: session.identified(agent())),
        ("66-principal-typed", session.type_principal),
        ("67-principal-problems", principal_problems),
        ("68-proxy-form", lambda: session.submit_form({"principal_name": "王秀英",
                                                       "principal_id_number": who.id_number})),
        ("69-proxy-review", proxy_review),
    ]
