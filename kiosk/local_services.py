"""Which of the catalog's services this kiosk offers, and when: the catalog is the city's, but a kiosk in
a bank lobby may offer fewer, and only while the lobby is open. Set by `services` and `service_hours`
in the config (the technician's settings page edits them); applied to the catalog when the kiosk starts.
The hall citizens are sent to instead of this kiosk (`alternative_hall`) is one of the catalog's too.

services: codes, comma-separated; empty offers every service.
service_hours: CODE=HH:MM-HH:MM[/weekdays], comma-separated; `*` for every service; "-" is around the clock.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from kiosk.catalog import Catalog, Hall, Hours

log = logging.getLogger(__name__)

EVERY = "*"
WEEKDAYS = "/weekdays"


def codes(text: str) -> tuple[str, ...]:
    return tuple(code for code in (part.strip() for part in text.split(",")) if code)


def _hours(text: str) -> Hours:
    weekdays = text.endswith(WEEKDAYS)
    span = text.removesuffix(WEEKDAYS).strip()
    if span == "-":
        return Hours(weekdays_only=weekdays)
    opens, sep, closes = span.partition("-")
    if not sep:
        raise ValueError(f"{text!r} is not HH:MM-HH:MM")
    try:
        opening, closing = dt.time.fromisoformat(opens.strip()), dt.time.fromisoformat(closes.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not HH:MM-HH:MM") from None
    if opening >= closing:
        raise ValueError(f"{text!r} closes before it opens")
    return Hours(opening, closing, weekdays)


def parse_hours(text: str) -> dict[str, Hours]:
    """{code: hours}; ValueError says which entry is wrong."""
    parsed: dict[str, Hours] = {}
    for entry in codes(text):
        code, sep, span = entry.partition("=")
        if not sep or not code.strip():
            raise ValueError(f"{entry!r} is not CODE=HH:MM-HH:MM")
        parsed[code.strip()] = _hours(span.strip())
    return parsed


def restrict(catalog: Catalog, services: str, service_hours: str) -> Catalog:
    """The catalog as this kiosk offers it. A code the catalog no longer has is logged, not fatal: the
    centre may withdraw a service while the kiosk's config still names it."""
    offered, hours = codes(services), parse_hours(service_hours)
    known = {s.code for s in catalog.services}
    for code in sorted((set(offered) | set(hours)) - known - {EVERY}):
        log.warning("config names service %s, which the catalog does not have: ignored", code)
    kept = tuple(
        dataclasses.replace(s, hours=hours.get(s.code, hours.get(EVERY, s.hours)))
        for s in catalog.services if not offered or s.code in offered)
    present = {s.code for s in kept}
    bundles = tuple(b for b in catalog.bundles if set(b.members) <= present)
    return dataclasses.replace(catalog, services=kept, bundles=bundles)


def alternative_hall(catalog: Catalog, code: str) -> Hall | None:
    """The configured hall, or None ("the nearest hall"). A code the catalog does not have is logged, not
    fatal, as for services: the kiosk still sends citizens to a hall, only without naming it."""
    try:
        return catalog.hall(code) if code else None
    except KeyError:
        log.warning("config names hall %s, which the catalog does not have: citizens are sent to the nearest", code)
        return None
