"""Case numbers as citizens type them back: the receipt prints KIOSK-YYYYMMDD-NNNN (sync.outbox), and an old
person reading it aloud or typing it leaves out the dashes and the capitals. Pure, for the progress screen."""
from __future__ import annotations

import re

_DATED = re.compile(r"(?P<kiosk>[A-Z0-9]+?)-?(?P<day>\d{8})-?(?P<seq>\d{4})")


def _compact(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def as_printed(typed: str, kiosk_id: str) -> str:
    """typed in the printed form: this kiosk's numbers with every dash back, another kiosk's typed without
    dashes with those around the date; anything else (a centre's number, dashes typed) upper-cased as typed."""
    text = typed.strip().upper()
    match = _DATED.fullmatch(_compact(text))
    if match is not None and match["kiosk"] == _compact(kiosk_id):
        return f"{kiosk_id}-{match['day']}-{match['seq']}"
    if match is None or "-" in text:
        return text
    return f"{match['kiosk']}-{match['day']}-{match['seq']}"
