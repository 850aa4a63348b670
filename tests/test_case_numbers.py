"""A case number typed back on the code keypad, which has no dash: found as printed."""
from __future__ import annotations

import pytest

from kiosk.case_numbers import as_printed

KIOSK = "XY-DEMO-01"


@pytest.mark.parametrize(("typed", "printed"), [
    ("XYDEMO01202611250007", "XY-DEMO-01-20261125-0007"),         # this kiosk's, without its dashes
    ("xy-demo-01-20261125-0007", "XY-DEMO-01-20261125-0007"),     # as printed, in small letters
    ("XY2026112500000007", "XY20261125-00000007"),                # the centre's, on a reprint, without its dash
    ("XY20261125-00000007", "XY20261125-00000007"),
    ("AB01202611250007", "AB01-20261125-0007"),                   # another kiosk's: the dashes round the date
    ("XY1234202611250007", "XY1234-20261125-0007"),               # a kiosk's that reads as the centre's too
    (" 7KQ3 ", "7KQ3"),                                           # anything else as typed
])
def test_a_number_typed_without_its_dashes_is_asked_for_as_printed(typed: str, printed: str) -> None:
    assert as_printed(typed, KIOSK) == printed
