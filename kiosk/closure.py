"""A closure of the out-of-service switch (kiosk/out_of_service.py), as citizens are told of it. Apart from the
switch, which every start reads: a kiosk in service makes none, and the class costs ~0.6 ms to make."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.catalog import Hall


@dataclasses.dataclass(frozen=True)
class Closure:
    """What citizens see while the kiosk is out of service: the hall to go to instead (alternative_hall, from
    the catalog; None: the nearest, unnamed) and since when."""

    hall: Hall | None
    since: dt.datetime
