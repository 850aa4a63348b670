"""The one source of hours and places as citizens read and hear them: the attract screen, the service
list, the guide on screen and on paper, the out-of-service notice and the voice all format through
here, so "24 小时", "07:00–22:00" and "工作日 08:30–17:30" are written one way (docs/strings.md)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from kiosk.catalog import Hours, Localized, Service
from kiosk.i18n import Translator

# the kiosk's clock: here, not with the applications (kiosk.application), for the attract screen shows it
CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")
PLACE_SEPARATOR = " | "      # a configured place written "中文 | English": each reader gets their own
_TIME = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?!\d)")
_SPAN = re.compile(r"(\d{2}:\d{2})\s*[-–~～至到]\s*(\d{2}:\d{2})")
_CJK = r"[\u4e00-\u9fff]"


def clock(text: str) -> str:
    """'8:30' → '08:30': times always have two-digit hours."""
    return _TIME.sub(lambda m: f"{int(m.group(1)):02d}:{m.group(2)}", text)


def service_hours(hours: Hours, tr: Translator) -> str:
    """When a service can be done: '24 小时', '07:00–22:00' or '工作日 08:30–17:30'."""
    if hours.opens is None or hours.closes is None:
        return tr.t("hours.always")
    key = "hours.weekdays" if hours.weekdays_only else "hours.range"
    return tr.t(key, opens=hours.opens.strftime("%H:%M"), closes=hours.closes.strftime("%H:%M"))


def kiosk_hours(services: Iterable[Service], tr: Translator) -> str:
    """This kiosk's honest hours for the attract screen, from the services it offers as configured
    (service_hours): never "24 小时" unless something here can really be done around the clock."""
    offered = [s.hours for s in services]
    if not offered or all(h.always for h in offered):
        return tr.t("hours.kiosk_always")
    if any(h.opens is None or h.closes is None for h in offered):
        widest = Hours()
    else:
        weekdays = all(h.weekdays_only for h in offered)
        widest = Hours(min(h.opens for h in offered if h.opens), max(h.closes for h in offered if h.closes), weekdays)
    if widest.opens is None:
        return tr.t("hours.kiosk_mixed", hours=tr.t("hours.always"))
    text = service_hours(widest, tr)
    same = all(h == offered[0] for h in offered)
    return tr.t("hours.kiosk_range" if same else "hours.kiosk_mixed", hours=text)


def free_hours(text: str) -> str:
    """Hours a technician typed (a service centre's door: '周一至周六 8:30-17:30') in the house style:
    two-digit hours, an en dash between times, a space between Chinese and digits."""
    text = _SPAN.sub(r"\1–\2", clock(text.strip()))
    text = re.sub(rf"({_CJK})(\d)", r"\1 \2", text)
    return re.sub(rf"(\d)({_CJK})", r"\1 \2", text)


def hall_hours(text: str) -> str:
    """A hall's hours from a guide's 办理时间 in the house style, without the note about this kiosk a guide
    may add after a semicolon ("；本终端 24 小时可用"): said as the hall's, it must not be the kiosk's."""
    return free_hours(re.split(r"[；;]", text, maxsplit=1)[0])


def hall_opening(guide: Localized, configured: str, tr: Translator) -> str:
    """When the hall's windows are open, to be said as the hall's (never as this kiosk's): the guide's 办理时间,
    else the configured nearest hall's (alternative_hours, "中文 | English"); "" when neither says."""
    text = tr.local(guide)
    return hall_hours(text) if text else free_hours(place(configured, tr.language))


def place(text: str, language: str) -> str:
    """A configured place in the reader's language: 'Chinese | English' gives each its own half;
    a place written in Chinese only is shown as written (an address is a name, not prose)."""
    zh, sep, en = text.partition(PLACE_SEPARATOR)
    return en.strip() if sep and language == "en" and en.strip() else zh.strip()


def alternative_lines(hall: str, opening: str, tr: Translator) -> list[str]:
    """Where to go instead of this kiosk and when it is open, from configuration (alternative_place,
    alternative_hours), in the reader's language and the house style: the out-of-service notice, its voice
    and the identify screen's way out when a reader is down all say it this way."""
    hall, opening = place(hall, tr.language), place(opening, tr.language)
    where = tr.t("out_of_service.go_to", place=hall) if hall else tr.t("out_of_service.go_to_hall")
    return [where, *([tr.t("out_of_service.hours", hours=free_hours(opening))] if opening else [])]


def clock_text(at: dt.datetime, tr: Translator) -> str:
    """The date and time on the start screen: '11 月 25 日 星期三 10:30', 'Wednesday 25 November · 10:30'."""
    return tr.t("clock.format", month=month(at.date(), tr), day=at.day, weekday=weekday(at.date(), tr),
                time=at.strftime("%H:%M"))


def weekday(day: dt.date, tr: Translator) -> str:
    """星期三, Wednesday: one list of weekdays for the kiosk (clock.weekdays)."""
    return tr.t("clock.weekdays").split(",")[day.weekday()]


def month(day: dt.date, tr: Translator) -> str:
    """12, December (clock.months)."""
    return tr.t("clock.months").split(",")[day.month - 1]


def long_date(day: dt.date, tr: Translator) -> str:
    """A date as a person says it, weekday included: 2026 年 12 月 2 日（星期三）, Wednesday 2 December 2026."""
    return tr.t("done.date", year=day.year, month=month(day, tr), day=day.day, weekday=weekday(day, tr))


def short_date(day: dt.date, tr: Translator) -> str:
    """A date in the coming weeks: 11 月 26 日（星期四）, Thursday 26 November (the year only adds digits)."""
    return tr.t("clock.day", month=month(day, tr), day=day.day, weekday=weekday(day, tr))


def time_span(day: dt.date, starts: str, ends: str, tr: Translator, year: bool = True) -> str:
    """An appointment's time, on the glass, the slip and aloud alike: 2026 年 11 月 26 日（星期四）09:00–10:30;
    "11-26" was no date an English reader writes, and left the weekday to be worked out."""
    return tr.t("online.slot_time", date=long_date(day, tr) if year else short_date(day, tr), starts=starts, ends=ends)
