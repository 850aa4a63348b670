"""Which materials a citizen supplies at the kiosk, and which may follow later (容缺受理, art. 18).

A material the catalog marks `capture` is photographed on the document camera. A mandatory one must
be photographed before the application can go on, unless the service accepts it missing
(`accept_missing` and the material `may_be_missing`): it is then recorded with the last working day
to supply it, and the receipt lists it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from kiosk.application import MissingMaterial
from kiosk.catalog import Material, Service
from kiosk.workdays import Calendar

MAX_PAGES = 10          # of one material: a report of more pages goes to a service window


def page_name(material: Material, page: int) -> str:
    """The attachment's name at the centre: the catalog's name, and the page after the first."""
    return material.name.zh if page == 1 else f"{material.name.zh}（第{page}页）"


def may_follow(service: Service, material: Material) -> bool:
    """The citizen may choose 以后补交 for this material."""
    return service.accept_missing and material.may_be_missing


def unmet(service: Service, captured: Collection[int], later: Collection[int]) -> list[int]:
    """Positions of the mandatory materials neither photographed nor allowed to follow: they block."""
    return [index for index, material in service.to_capture
            if material.mandatory and index not in captured
            and not (index in later and may_follow(service, material))]


def missing(service: Service, later: Collection[int], captured: Collection[int], day: dt.date,
            calendar: Calendar) -> tuple[MissingMaterial, ...]:
    """The materials accepted as missing, each due missing_deadline_days working days after day."""
    deadline = calendar.add_working_days(day, service.missing_deadline_days)
    return tuple(MissingMaterial(material.name.zh, deadline) for index, material in service.to_capture
                 if index in later and index not in captured and may_follow(service, material))
