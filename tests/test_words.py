"""Words a citizen reads in their own language: the hall the kiosk sends them to, its place and hours, written
once in the catalog and said one way on every screen (review g, M11)."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from kiosk import catalog, hours, opening
from kiosk.application import CHINA_TZ
from kiosk.closure import Closure
from kiosk.i18n import Translator
from kiosk.voice import closure_lines
from tooling.samples import ALTERNATIVE_HALL

HALL = catalog.load().hall(ALTERNATIVE_HALL)
WEDNESDAY = dt.datetime(2026, 11, 25, 10, 30, tzinfo=CHINA_TZ)


def test_the_out_of_service_notice_gives_english_readers_the_english_place_and_hours() -> None:
    closure = Closure(HALL, WEDNESDAY)
    english = " ".join(closure_lines(closure, Translator("en")))
    assert "Xinyang Government Service Centre, 99 Xinqi Avenue" in english
    assert "Working days 08:30–12:00 and 14:30–17:30 (summer afternoons 15:00–18:00)" in english
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english)
    chinese = closure_lines(closure, Translator("zh_CN"))
    assert "开放时间：法定工作日 08:30–12:00、14:30–17:30（夏季下午 15:00–18:00）" in chinese


@pytest.mark.parametrize(("now", "zh", "en"), [
    (WEDNESDAY, "", ""),                                                           # open: nothing to add
    (WEDNESDAY.replace(hour=2), "大厅现在已下班，今天 08:30 开门。", "closed now; it opens at 08:30 today."),
    (WEDNESDAY.replace(hour=13), "大厅现在已下班，今天 14:30 开门。", "closed now; it opens at 14:30 today."),
    (WEDNESDAY.replace(hour=22), "大厅现在已下班，明天 08:30 开门。", "closed now; it opens at 08:30 tomorrow."),
    (WEDNESDAY.replace(day=27, hour=18), "大厅现在已下班，11 月 30 日（星期一）08:30 开门。", "on Monday 30 November"),
])
def test_at_night_the_way_out_says_when_the_hall_opens_next(now: dt.datetime, zh: str, en: str) -> None:
    """Review g, M11: at 02:30 "go to the hall" alone sends an old person to a locked door."""
    for language, said in (("zh_CN", zh), ("en", en)):
        lines = opening.alternative_lines(HALL, Translator(language), now)
        assert len(lines) == (3 if said else 2) and said in lines[-1]


def test_an_old_config_naming_a_place_and_hours_is_refused_naming_the_keys() -> None:
    from kiosk import config

    for old in ("alternative_place", "alternative_hours"):
        with pytest.raises(config.ConfigError, match=f"^{old}: replaced by alternative_hall"):
            config.load(None, {}, **{old: "浉河区政务服务中心（民权路1号）"})


@pytest.mark.gui
def test_every_screen_of_the_sample_kiosk_names_one_hall_and_writes_its_hours_one_way() -> None:
    """The help over the out-of-service notice, the notice, a guide and the appointment: every hall a screen names
    is the catalog's, the one the kiosk sends citizens to is the one the guides name and the appointment offers,
    and its hours are written as kiosk/hours.py writes them. Fails if a screen keeps its own hall or hours."""
    from PySide6.QtWidgets import QLabel, QPushButton

    from tooling.screenshots import MODES, walk

    tr = Translator("zh_CN")
    names = {h.name.zh for h in catalog.load().halls}
    shown: dict[str, str] = {}
    for screen in ("90-out-of-service", "13-help", "47-appointment", "49-document-printer-out"):
        for frame in walk({"normal": MODES["normal"]}, sizes=((1920, 1080),), screens=screen):
            widgets = [*frame.window.findChildren(QLabel), *frame.window.findChildren(QPushButton)]
            shown[frame.screen] = "\n".join(w.text() for w in widgets if w.isVisible())
    assert set(shown) == {"90-out-of-service", "13-help", "47-appointment", "49-document-printer-out"}
    place, opening_hours = hours.hall_place(HALL, tr), hours.hall_opening(HALL, tr)
    for screen, text in shown.items():
        named = [text[max(0, m.end() - 12):m.end()] for m in re.finditer("政务服务中心", text)]
        assert named and all(n.endswith((*names, "县（区）政务服务中心")) for n in named), (screen, named)
        written = re.findall(r"(?:开放时间|大厅窗口办理时间)：(.+?)(?=。|\n|$|），)", text)
        assert all(w == opening_hours for w in written), (screen, written)   # the hours one way
    for screen in ("90-out-of-service", "13-help"):
        assert place in shown[screen] and opening_hours in shown[screen], screen
    assert HALL.name.zh in shown["47-appointment"]
    assert place in shown["49-document-printer-out"] and opening_hours in shown["49-document-printer-out"]
    guided = {s.guide.hall for s in catalog.load().services}
    assert guided == {HALL}                     # the guides' hall is the one the kiosk sends citizens to


def test_an_appointment_is_written_with_its_weekday_in_each_language() -> None:
    """Slip, voice and confirmation say the day as a person does ("11-26" was no English date, and left
    the weekday to work out); the slot list heads each day with the short form (no year)."""
    from kiosk import hours

    day = dt.date(2026, 11, 26)
    assert hours.time_span(day, "09:00", "10:30", Translator("zh_CN")) == "2026 年 11 月 26 日（星期四）09:00–10:30"
    assert hours.time_span(day, "09:00", "10:30", Translator("en")) == "Thursday 26 November 2026, 09:00–10:30"
    assert hours.time_span(day, "09:00", "10:30", Translator("zh_CN"), year=False) == "11 月 26 日（星期四）09:00–10:30"
    assert hours.short_date(day, Translator("en")) == "Thursday 26 November"
