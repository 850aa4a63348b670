"""Working days from the maintained chinesecalendar package, and the weekday fallback beyond it."""
from __future__ import annotations

import datetime as dt

import pytest

from kiosk import workdays

CALENDAR = workdays.load()


@pytest.mark.parametrize("day", [
    dt.date(2025, 1, 28), dt.date(2025, 2, 4),      # 2025 Spring Festival: 除夕 to the eighth day
    dt.date(2025, 5, 5), dt.date(2025, 10, 8),      # Labour Day bridge, end of National Day week
    dt.date(2026, 1, 2),                            # the Friday after New Year 2026
    dt.date(2026, 2, 16), dt.date(2026, 2, 23),     # 2026 Spring Festival, nine days
    dt.date(2026, 10, 1), dt.date(2026, 10, 7),     # National Day 2026
])
def test_published_days_off_are_not_working_days(day: dt.date) -> None:
    assert day.weekday() < 5 and not CALENDAR.is_working_day(day)
    assert not CALENDAR.is_provisional(day)


@pytest.mark.parametrize("day", [
    dt.date(2025, 1, 26), dt.date(2025, 2, 8), dt.date(2025, 4, 27), dt.date(2025, 9, 28),   # 2025 make-up days
    dt.date(2026, 1, 4), dt.date(2026, 2, 14), dt.date(2026, 2, 28), dt.date(2026, 5, 9),
    dt.date(2026, 9, 20), dt.date(2026, 10, 10),                                              # 2026 make-up days
])
def test_make_up_weekends_are_working_days(day: dt.date) -> None:
    assert day.weekday() >= 5 and CALENDAR.is_working_day(day)


def test_promised_dates_skip_the_2026_spring_festival() -> None:
    # Friday 13 Feb 2026: Saturday 14th is worked, 15th-23rd are off, so three working days end on the 25th.
    assert CALENDAR.add_working_days(dt.date(2026, 2, 13), 3) == dt.date(2026, 2, 25)
    assert CALENDAR.add_working_days(dt.date(2026, 2, 13), 0) == dt.date(2026, 2, 13)


def test_a_year_the_package_does_not_cover_counts_weekdays_and_is_flagged() -> None:
    last = max(CALENDAR.covered_years)
    friday = next(dt.date(last + 1, 1, d) for d in range(1, 8) if dt.date(last + 1, 1, d).weekday() == 4)
    assert CALENDAR.is_provisional(friday) and CALENDAR.is_provisional(dt.date(1990, 6, 1))
    assert CALENDAR.add_working_days(friday, 1) == friday + dt.timedelta(days=3)      # the next Monday
    assert CALENDAR.is_working_day(dt.date(last + 5, 10, 1)) is (dt.date(last + 5, 10, 1).weekday() < 5)
    assert {2025, 2026} <= CALENDAR.covered_years
