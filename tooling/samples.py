"""The fictional citizen and the fixed clock every picture, audit and identity test uses.

Apart from tooling/screenshots.py so that the technician's screenshots (which render_all calls)
take them without importing the walk that imports them.
"""
from __future__ import annotations

import datetime as dt

from kiosk import idnumber
from kiosk.application import CHINA_TZ
from kiosk.catalog import FieldType, Service
from kiosk.identity import CardType, Identity, Sex

# The sample kiosk: named as an installed one is (city, district, number), so a case number on a screenshot
# reads as a citizen's would, not as "DEMO" (kiosk.config's default id is for a kiosk not yet configured).
KIOSK_ID = "XY-SH-01"
CLOCK = dt.datetime(2026, 11, 25, 10, 30, tzinfo=CHINA_TZ)      # a Wednesday in opening hours
# the hall the sample kiosk sends citizens to instead (config alternative_hall): the catalog's hall its guides
# name and its appointments offer, so every picture names one hall and writes its hours one way
ALTERNATIVE_HALL = "XYZX"


def sample_identity() -> Identity:
    first17 = "41150219850312123"
    return Identity(name="王秀英", sex=Sex.FEMALE, birth_date=dt.date(1985, 3, 12),
                    id_number=first17 + idnumber.check_digit(first17), card_type=CardType.RESIDENT,
                    nation="01", address="河南省信阳市浉河区民权路1号", authority="信阳市公安局浉河分局",
                    valid_from=dt.date(2016, 3, 12), valid_to=dt.date(2036, 3, 12))


# What a citizen would type, for the pictures and the audit: realistic words, never "示例".
SAMPLE_BY_TYPE = {FieldType.MOBILE: "13812345678", FieldType.DATE: "20261101", FieldType.NUMBER: "5",
                  FieldType.ADDRESS: "浉河区民权路1号3单元201室"}
SAMPLE_TEXT = {
    "purpose_detail": "赴新加坡工作签证使用", "address": "浉河区民权路1号3单元201室",
    "destination": "上海市浦东新区", "hospital": "信阳市中心医院", "location": "浉河区东方红大道18号",
    "baby_name": "王小雨", "birth_certificate": "Q410123456", "bank_card": "6222021304012345678",
    "account": "3012345678", "certificate_number": "YU2021XY0012345", "acceptance_number": "XY4101202611250001",
}


def sample_form(service: Service, who: Identity) -> dict[str, str]:
    """Every field answered as a citizen would: the first choice, the card's number, realistic text;
    an optional field without a sample, or one the other answers make moot, left empty."""
    form = {}
    for field in service.fields:
        if field.type is FieldType.ID_NUMBER:
            form[field.key] = who.id_number
        elif field.choices:
            form[field.key] = field.choices[0].zh
        else:
            form[field.key] = SAMPLE_BY_TYPE.get(field.type) or SAMPLE_TEXT.get(field.key, "")
    return {f.key: form[f.key] if f.applies(form) else "" for f in service.fields}
