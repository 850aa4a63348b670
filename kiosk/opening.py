"""When a service that is closed now can next be done at this kiosk: said beside its disabled 开始办理,
so the citizen reads why and when to come back, not a button that does nothing."""
from __future__ import annotations

import datetime as dt

from kiosk import hours as house_style
from kiosk.catalog import Hours
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
