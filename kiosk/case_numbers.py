"""Case numbers as citizens type them back: the receipt prints KIOSK-YYYYMMDD-NNNN (sync.outbox), and an old
person reading it aloud or typing it leaves out the dashes and the capitals (the code keypad has no dash).
A reprint also carries the centre's number, XY20261125-00000007 (sync.casestore). Pure, for the progress screen."""
from __future__ import annotations

import datetime as dt
import re

_DATED = re.compile(r"(?P<kiosk>[A-Z0-9]+?)-?(?P<day>\d{8})-?(?P<seq>\d{4})")
_CENTRAL = re.compile(r"(?P<prefix>[A-Z]+)(?P<day>\d{8})-?(?P<seq>\d{8})")


def _compact(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def _is_day(digits: str) -> bool:
    try:
        dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return False
    return True


def as_printed(typed: str, kiosk_id: str) -> str:
    """typed in the printed form: this kiosk's numbers with every dash back, the centre's with its dash,
    another kiosk's typed without dashes with those around the date; anything else (dashes typed) upper-cased
    as typed. Where a centre's number and another kiosk's read the same, the one whose date is a day wins."""
    text = typed.strip().upper()
    compact = _compact(text)
    match = _DATED.fullmatch(compact)
    if match is not None and match["kiosk"] == _compact(kiosk_id):
        return f"{kiosk_id}-{match['day']}-{match['seq']}"
    central = _CENTRAL.fullmatch(compact)
    if central is not None and _is_day(central["day"]) and (match is None or not _is_day(match["day"])):
        return f"{central['prefix']}{central['day']}-{central['seq']}"
    if match is None or "-" in text:
        return text
    return f"{match['kiosk']}-{match['day']}-{match['seq']}"
