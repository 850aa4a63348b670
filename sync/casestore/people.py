"""The centre's record of whose ID number is whose (the population register, 人口库, in a deployment):
/queries, /benefits and /documents answer only when the name sent is the one on record for the ID
number, so a valid number with any name reads nobody's records and prints nobody's name on a document.

DEMO DATA. The reference store knows the demo cardholders (kiosk.demo_people, on the cards of
devices/idcard/simulator.py, which the kiosk's demo reads) by name and makes up a name for any other
number, derived from it as the records are (sync/casestore/demo_data.py), so one number is always one
person. A deployment replaces `name_of` with the register's answer; the check stays as it is.
"""
from __future__ import annotations

import unicodedata

from fastapi import HTTPException, status

from kiosk.demo_people import demo_people
from sync.casestore.demo_data import SeededNumbers

MISMATCH = "name refused: it is not the name on record for this ID number"

DEMO_CARDHOLDERS = {person.id_number: person.name for person in demo_people()}
SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林")
GIVEN_NAMES = ("秀英", "建国", "桂兰", "志强", "海燕", "文博", "静", "磊", "丽娟", "德明", "雨欣", "子涵")


def name_of(id_number: str) -> str:
    """The name on record for id_number (demo: a cardholder's, or one made up from the number)."""
    held = DEMO_CARDHOLDERS.get(id_number)
    if held is not None:
        return held
    rng = SeededNumbers(id_number, "name")
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def _normal(name: str) -> str:
    """Full-width and half-width forms, and spaces around the name, are the same name (NFKC)."""
    return unicodedata.normalize("NFKC", name).strip()


def check(id_number: str, name: str) -> None:
    """Nothing when name is the one on record for id_number; HTTPException 409 naming the problem (never
    the name) otherwise. Called after the look-up was counted, so guessing names uses up the quota."""
    if _normal(name) != _normal(name_of(id_number)):
        raise HTTPException(status.HTTP_409_CONFLICT, MISMATCH)
