"""DEMO DATA: the fictional people of the demo and the tests, in one place. The ID-card simulator carries them
on its cards (devices/idcard/simulator.py adds the chip photos) and the reference centre's register knows them
by name (sync/casestore/people.py): two copies of the names would let the two drift apart, and the centre would
then refuse the demo's own cardholders."""
from __future__ import annotations

import datetime as dt

from kiosk.identity import CardType, Identity, Sex


def demo_people() -> list[Identity]:
    """Three Xinyang residents, a foreigner with permanent residence and a Hong Kong resident; the numbers
    pass the GB 11643 check. No photos: the card simulator adds them (the first two have genuine faces)."""
    return [
        Identity(name="刘桂芳", sex=Sex.FEMALE, birth_date=dt.date(1957, 6, 14), id_number="411502195706140321",
                 nation="01", address="河南省信阳市浉河区民权街道胜利路58号院3号楼2单元501室",
                 authority="信阳市公安局浉河分局", valid_from=dt.date(2015, 4, 20), valid_to=None),
        Identity(name="张明远", sex=Sex.MALE, birth_date=dt.date(1983, 2, 17), id_number="41150319830217439X",
                 nation="03", address="河南省信阳市平桥区平桥街道龙江路126号",
                 authority="信阳市公安局平桥分局", valid_from=dt.date(2016, 8, 22), valid_to=dt.date(2036, 8, 22)),
        Identity(name="周雨萱", sex=Sex.FEMALE, birth_date=dt.date(2002, 11, 9), id_number="411502200211090629",
                 nation="01", address="河南省信阳市浉河区湖东街道新华东路21号",
                 authority="信阳市公安局浉河分局", valid_from=dt.date(2019, 3, 15), valid_to=dt.date(2029, 3, 15)),
        Identity(name="安娜", english_name="MUELLER, ANNA MARIA", sex=Sex.FEMALE, birth_date=dt.date(1988, 3, 12),
                 id_number="DEU411588031201", card_type=CardType.FOREIGN_PERMANENT, nation="DEU",
                 authority="1500", valid_from=dt.date(2020, 6, 1), valid_to=dt.date(2030, 6, 1)),
        Identity(name="陈家明", sex=Sex.MALE, birth_date=dt.date(1992, 5, 17), id_number="810000199205170030",
                 card_type=CardType.HMT_RESIDENCE, address="河南省信阳市浉河区湖东街道新六大街88号",
                 authority="信阳市公安局", valid_from=dt.date(2021, 9, 1), valid_to=dt.date(2026, 9, 1)),
    ]
