"""The one source of hours and places as citizens read and hear them: the attract screen, the service
list, the guide on screen and on paper, the out-of-service notice and the voice all format through
here, so "24 小时", "07:00–22:00" and "工作日 08:30–17:30" are written one way (docs/strings.md)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from kiosk.catalog import Hall, Hours, Service
from kiosk.i18n import Translator

# the kiosk's clock: here, not with the applications (kiosk.application), for the attract screen shows it
CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")
PLACE_SEPARATOR = " | "      # a configured place written "中文 | English": each reader gets their own


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


def hall_opening(hall: Hall, tr: Translator) -> str:
    """When the hall's windows are open, to be said as the hall's (never as this kiosk's): '法定工作日
    08:30–12:00、14:30–17:30（夏季下午 15:00–18:00）', from its sessions, so every screen writes it one way."""
    spans = tr.t("hall.and").join(f"{s.opens:%H:%M}–{s.closes:%H:%M}" for s in hall.sessions if s.opens and s.closes)
    days = "hall.weekdays" if all(s.weekdays_only for s in hall.sessions) else "hall.daily"
    text = tr.t(days, spans=spans)
    note = tr.local(hall.note)
    return tr.t("hall.with_note", hours=text, note=note) if note else text


def hall_hours(hall: Hall | None, tr: Translator) -> str:
    """The hall's hours where a sentence needs some (a document's slip, the way out while the centre is down):
    with no hall known, "as posted at the hall", never hours made up."""
    return hall_opening(hall, tr) if hall is not None else tr.t("online.hall_hours")


def hall_place(hall: Hall, tr: Translator) -> str:
    """The hall's name and where it is: '信阳市政务服务中心（信阳市羊山新区新七大道 99 号）'."""
    return named_place(tr.local(hall.name), tr.local(hall.address), tr)


def named_place(name: str, address: str, tr: Translator) -> str:
    """A place's name with its address, as hall_place writes a hall's (an appointment's slot carries both)."""
    return tr.t("hall.place", name=name, address=address) if address else name


def place(text: str, language: str) -> str:
    """A configured place (the kiosk's location) in the reader's language: 'Chinese | English' gives each its
    own half; a place written in Chinese only is shown as written (an address is a name, not prose)."""
    zh, sep, en = text.partition(PLACE_SEPARATOR)
    return en.strip() if sep and language == "en" and en.strip() else zh.strip()


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
