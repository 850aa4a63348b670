"""When a service that is closed now can next be done at this kiosk: said beside its disabled 开始办理,
so the citizen reads why and when to come back, not a button that does nothing; and where the hall is
instead of this kiosk, and when it opens next."""
from __future__ import annotations

import datetime as dt

from kiosk import hours as house_style
from kiosk.catalog import Hall, Hours
from kiosk.i18n import Translator
from kiosk.workdays import Calendar

LOOK_AHEAD_DAYS = 21      # past the longest holiday (Spring Festival, National Day) with its weekends


def next_opening(hours: Hours, now: dt.datetime, calendar: Calendar | None = None) -> dt.datetime | None:
    """The first moment after now that the service is open, holidays and make-up days counted;
    None if it is open around the clock or not within LOOK_AHEAD_DAYS."""
    for offset in range(LOOK_AHEAD_DAYS + 1):
        day = now.date() + dt.timedelta(days=offset)
        at = dt.datetime.combine(day, hours.opens or dt.time(0), tzinfo=now.tzinfo)
        if at > now and hours.is_open(at, calendar):
            return at
    return None


def when(at: dt.datetime, now: dt.datetime, tr: Translator) -> str:
    """'今天 17:30', '明天 08:30', '11 月 30 日（星期一）08:30': the nearer, the shorter."""
    time = at.strftime("%H:%M")
    days = (at.date() - now.date()).days
    if days == 0:
        return tr.t("detail.next.today", time=time)
    if days == 1:
        return tr.t("detail.next.tomorrow", time=time)
    return tr.t("detail.next.day", month=house_style.month(at.date(), tr), day=at.day,
                weekday=house_style.weekday(at.date(), tr), time=time)


def closed_reason(hours: Hours, now: dt.datetime, calendar: Calendar | None, tr: Translator) -> str:
    """Why a service cannot be started now and when it can: the words under its disabled 开始办理."""
    opens = next_opening(hours, now, calendar)
    shown = house_style.service_hours(hours, tr)
    if opens is None:
        return tr.t("detail.next.closed_unknown", hours=shown)
    return tr.t("detail.next.closed", hours=shown, when=when(opens, now, tr))


def hall_opens(hall: Hall, now: dt.datetime, calendar: Calendar | None = None) -> dt.datetime | None:
    """The first moment after now that one of the hall's windows opens (next_opening of each session)."""
    found = [at for session in hall.sessions if (at := next_opening(session, now, calendar)) is not None]
    return min(found, default=None)


def alternative_lines(hall: Hall | None, tr: Translator, now: dt.datetime | None = None,
                      calendar: Calendar | None = None) -> list[str]:
    """Where to go instead of this kiosk (the configured alternative_hall, from the catalog), when it is open
    and, at night, when it opens next ("大厅现在已下班，明天 08:30 开门"): the out-of-service notice, its voice,
    the help that reached no one and the identify screen's way out when a reader is down all say it so."""
    if hall is None:
        return [tr.t("out_of_service.go_to_hall")]
    lines = [tr.t("out_of_service.go_to", place=house_style.hall_place(hall, tr)),
             tr.t("out_of_service.hours", hours=house_style.hall_opening(hall, tr))]
    opens = hall_opens(hall, now, calendar) if now is not None and not hall.is_open(now, calendar) else None
    return lines + ([tr.t("hall.closed_now", when=when(opens, now, tr))] if opens and now else [])
