"""The fictional citizen and the fixed clock every picture, audit and identity test uses.

Apart from tooling/screenshots.py so that the technician's screenshots (which render_all calls)
take them without importing the walk that imports them.
"""
from __future__ import annotations

import datetime as dt

from kiosk import idnumber
from kiosk.application import CHINA_TZ
from kiosk.identity import CardType, Identity, Sex

CLOCK = dt.datetime(2026, 11, 25, 10, 30, tzinfo=CHINA_TZ)      # a Wednesday in opening hours


def sample_identity() -> Identity:
    first17 = "41150219850312123"
    return Identity(name="王秀英", sex=Sex.FEMALE, birth_date=dt.date(1985, 3, 12),
                    id_number=first17 + idnumber.check_digit(first17), card_type=CardType.RESIDENT,
                    nation="01", address="河南省信阳市浉河区民权路1号", authority="信阳市公安局浉河分局",
                    valid_from=dt.date(2016, 3, 12), valid_to=dt.date(2036, 3, 12))
