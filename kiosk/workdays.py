"""Working-day arithmetic for promised completion dates (承诺办结时限 counts working days).

The State Council publishes each year's holiday arrangement (days off and make-up working weekends,
调休) every November; the maintained `chinesecalendar` package carries them, so an update of that
package is all a new year needs. For a year it does not cover yet the kiosk counts plain weekdays and
flags such dates provisional (is_provisional): a date near a festival may then come out a few days
early, which is better than refusing to accept an application.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Calendar:
    holidays: frozenset[dt.date]             # every day off in a published arrangement, weekends inside it too
    working_weekends: frozenset[dt.date]     # 调休: Saturdays/Sundays that are working days
    covered_years: frozenset[int] = frozenset()   # years whose arrangement is known; others count weekdays

    def is_provisional(self, day: dt.date) -> bool:
        """True when day falls in a year without a published arrangement: counted as weekdays only."""
        return day.year not in self.covered_years

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
    """The statutory holiday arrangements that the installed chinesecalendar package knows."""
    import chinese_calendar

    covered = frozenset(range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1))
    this_year = dt.date.today().year
    missing = sorted({this_year, this_year + 1} - covered)
    if missing:
        log.warning("no holiday arrangement for %s in chinesecalendar %s: counting weekdays there, dates provisional;"
                    " update the package", missing, getattr(chinese_calendar, "__version__", "?"))
    return Calendar(frozenset(chinese_calendar.holidays), frozenset(chinese_calendar.workdays), covered)
