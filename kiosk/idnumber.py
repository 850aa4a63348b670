"""Resident identity numbers (GB 11643-1999): the check digit is the only offline proof a
typed or read number is not mistyped, so every number entering the kiosk goes through here."""
from __future__ import annotations

import datetime as dt
import re

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


def check_digit(first17: str) -> str:
    """The 18th character for the first 17 digits (ISO 7064 MOD 11-2)."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("need exactly 17 digits")
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalise(number: str) -> str:
    """Upper-case, trimmed, full-width digits folded: what citizens and readers actually send."""
    folded = number.strip().translate({0xFF10 + i: 0x30 + i for i in range(10)} | {0xFF38: 0x58})
    return folded.replace("x", "X")


def problem(number: str) -> str | None:
    """None if the number is valid, else an i18n key naming what is wrong."""
    number = normalise(number)
    if not _SHAPE.match(number):
        return "error.id_number.shape"
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "error.id_number.birth_date"
    if check_digit(number[:17]) != number[17]:
        return "error.id_number.check_digit"
    return None


def is_valid(number: str) -> bool:
    return problem(number) is None


def mask(number: str) -> str:
    """The form in logs and on receipts: region and last four kept, birth date hidden."""
    number = normalise(number)
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
