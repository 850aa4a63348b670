"""代为办理 (articles 11 and 24): an agent applies for someone else, the principal.

The agent always identifies with their own credential. The principal then presents their card, or
the agent types the principal's name and ID number: a typed number is checked with its check digit
(kiosk.idnumber), and the department verifies the person behind it on acceptance.
"""
from __future__ import annotations

import datetime as dt

from kiosk import idnumber
from kiosk.application import field_problem
from kiosk.catalog import FieldType, FormField, Localized
from kiosk.credentials import Credential
from kiosk.i18n import table
from kiosk.identity import CardType, Identity, Sex

NAME, ID_NUMBER = "principal_name", "principal_id_number"
_MAX_NAME = 40


def _label(key: str) -> Localized:
    """Field labels are keyed strings like every text on the glass, carried in both languages."""
    return Localized(table("zh_CN")[key], table("en")[key])


def principal_fields() -> tuple[FormField, ...]:
    """What the agent types when the principal's card is not here."""
    return (FormField(NAME, FieldType.TEXT, _label("identity.proxy.principal_name")),
            FormField(ID_NUMBER, FieldType.ID_NUMBER, _label("identity.proxy.principal_id_number")))


def problems(values: dict[str, str]) -> dict[str, str]:
    found = {}
    for field in principal_fields():
        problem = field_problem(field.type, values.get(field.key, ""), field.required)
        if problem:
            found[field.key] = problem
    if NAME not in found and len(values[NAME].strip()) > _MAX_NAME:
        found[NAME] = "identity.proxy.name_too_long"
    return found


def typed_identity(values: dict[str, str]) -> Identity:
    """The principal from typed, validated values; sex and birth date as the number encodes them."""
    number = idnumber.normalise(values[ID_NUMBER])
    return Identity(name=values[NAME].strip(), id_number=number, card_type=CardType.RESIDENT,
                    credential=Credential.TYPED.value,
                    sex=Sex.MALE if int(number[16]) % 2 else Sex.FEMALE,
                    birth_date=dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])))


def same_person(agent: Identity | None, principal: Identity) -> bool:
    """An agent cannot act for themselves: they would simply apply."""
    return agent is not None and idnumber.normalise(agent.id_number) == idnumber.normalise(principal.id_number)
