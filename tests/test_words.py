"""Words a citizen reads in their own language: places and hours a technician configured."""
from __future__ import annotations

import datetime as dt

from kiosk.i18n import Translator
from kiosk.out_of_service import Closure
from kiosk.voice import closure_lines


def test_the_out_of_service_notice_gives_english_readers_the_english_place_and_hours() -> None:
    closure = Closure("浉河区政务服务中心（民权路1号） | Shihe District Government Service Centre, 1 Minquan Road",
                      "周一至周六 8:30-17:30 | Monday to Saturday 08:30–17:30", dt.datetime(2026, 11, 25, 22, 0))
    english = " ".join(closure_lines(closure, Translator("en")))
    assert "Shihe District Government Service Centre" in english and "Monday to Saturday 08:30–17:30" in english
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english)
    assert "开放时间：周一至周六 08:30–17:30" in closure_lines(closure, Translator("zh_CN"))


def test_an_appointment_is_written_with_its_weekday_in_each_language() -> None:
    """Slip, voice and confirmation say the day as a person does ("11-26" was no English date, and left
    the weekday to work out); the slot list heads each day with the short form (no year)."""
    from kiosk import hours

    day = dt.date(2026, 11, 26)
    assert hours.time_span(day, "09:00", "10:30", Translator("zh_CN")) == "2026 年 11 月 26 日（星期四）09:00–10:30"
    assert hours.time_span(day, "09:00", "10:30", Translator("en")) == "Thursday 26 November 2026, 09:00–10:30"
    assert hours.time_span(day, "09:00", "10:30", Translator("zh_CN"), year=False) == "11 月 26 日（星期四）09:00–10:30"
    assert hours.short_date(day, Translator("en")) == "Thursday 26 November"
