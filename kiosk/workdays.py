"""Working-day arithmetic for promised completion dates (承诺办结时限 counts working days)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from importlib import resources


@dataclasses.dataclass(frozen=True)
class Calendar:
    holidays: frozenset[dt.date]
    working_weekends: frozenset[dt.date]     # 调休: Saturdays/Sundays that are working days

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.holidays:
            return False
        return day.weekday() < 5 or day in self.working_weekends

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date `days` working days after start (start itself not counted); 0 gives start."""
        day = start
        while days > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day


def load() -> Calendar:
    """The bundled statutory holiday schedule."""
    document = json.loads(resources.files("kiosk").joinpath("data/holidays.json").read_text(encoding="utf-8"))
    holidays: set[dt.date] = set()
    working: set[dt.date] = set()
    for year in document["years"].values():
        holidays.update(dt.date.fromisoformat(d) for d in year.get("holidays", ()))
        working.update(dt.date.fromisoformat(d) for d in year.get("working_weekends", ()))
    return Calendar(frozenset(holidays), frozenset(working))
