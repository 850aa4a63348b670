"""Check your answers (review before submitting): one row per answer, each with the step that changes it.

The glass shows these rows and the voice reads them, so what is heard is what is seen. An answer is
shown once: the ID number read from the card is not repeated by the form's prefilled copy of it, and an
optional field left empty is not listed, nor one the other answers make moot (a postal address when the
citizen collects in person: the catalog's "when").
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable

from kiosk import idnumber, materials
from kiosk.catalog import FieldType
from kiosk.grouping import MOBILE, in_groups
from kiosk.i18n import Translator
from kiosk.session import Session, State


@dataclasses.dataclass(frozen=True)
class Row:
    label: str
    value: str
    step: State | None = None     # where 修改 leads; None: read from a credential, not changed here
    key: str = ""                 # the form field to go to


def grouped_mobile(number: str) -> str:
    """138 1234 5678: a mobile number as it is printed and read back, so the citizen can check it at a glance."""
    return in_groups(number, MOBILE) if len(number) == 11 and number.isdigit() else number


def rows(session: Session, tr: Translator, spell: Callable[[str], str] | None = None) -> list[Row]:
    """What the citizen is about to submit. spell: how numbers are said aloud (None on the glass)."""
    service, identity = session.service, session.identity
    assert service is not None and identity is not None
    said = spell or (lambda value: value)
    id_number = idnumber.mask(identity.id_number)
    found = [Row(tr.t("receipt.service"), tr.local(service.name)),
             Row(tr.t("form.applicant"), said(identity.masked_name())),
             Row(tr.t("form.id_number"), said(id_number))]
    if session.agent is not None:       # 代为办理: who applies, masked like the applicant
        found += [Row(tr.t("identity.proxy.agent"), said(session.agent.masked_name())),
                  Row(tr.t("identity.receipt.agent_id_number"), said(idnumber.mask(session.agent.id_number)))]
    for field in service.fields:
        value = session.form.get(field.key, "")
        if (not value and not field.required) or not field.applies(session.form):
            continue
        if field.type is FieldType.ID_NUMBER:
            if value == identity.id_number:
                continue                # the card's number, already shown above
            value = said(idnumber.mask(value))
        elif field.type is FieldType.MOBILE:
            value = spell(value) if spell else grouped_mobile(value)
        elif field.type is FieldType.CHOICE:
            value = next((tr.local(c) for c in field.choices if c.zh == value), value)
        found.append(Row(tr.local(field.named), value, State.FORM, field.key))
    return found + _after_the_form(session, tr)


def _after_the_form(session: Session, tr: Translator) -> list[Row]:
    """Materials photographed and owed, the commitment and the signature."""
    service = session.service
    assert service is not None
    found = []
    if service.to_capture:
        value = tr.t("apply.review.captured", count=len(session.captures))
        owed = materials.missing(service, session.later, session.captures, session.clock().date(), session.calendar)
        if owed:
            names = tr.t("common.list_separator").join(
                tr.local(m.name) for i, m in service.to_capture if i in session.later)
            value += tr.t("common.list_separator") + tr.t("apply.review.missing", names=names,
                                                          date=owed[0].deadline.isoformat())
        found.append(Row(tr.t("apply.review.materials"), value, State.MATERIALS))
    if session.commitment is not None:
        found.append(Row(tr.t("apply.review.commitment"), tr.t("apply.review.committed"), State.COMMITMENT))
    if session.signature is not None:
        found.append(Row(tr.t("apply.review.signature"), tr.t("apply.review.signed"), State.SIGN))
    return found
