"""The service guide (办事指南) as the one-time notification of article 14: everything a citizen needs
to bring and know, told at once, on the detail screen and on paper. It identifies nobody: anyone may
print it before deciding to apply, so it holds the service's facts only, never the visitor's data.

The elements are those of the national item standard (GB/T 39046) as Henan's portal publishes them,
grouped in sections that the screen shows as cards (paged in the accessible mode) and the paper prints
one after another; an element the catalog leaves empty is left out, never shown blank.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from kiosk import a4_printing
from kiosk import hours as house_style
from kiosk.catalog import Hall, Localized, Material, Service
from kiosk.i18n import Translator
from kiosk.receipt import Kind, Line, Receipt
from kiosk.session import Session
from kiosk.voice import time_limit


@dataclasses.dataclass(frozen=True)
class Section:
    """A heading and its (label, value) pairs; a pair with no label is a line of its own."""

    heading: str
    pairs: tuple[tuple[str, str], ...]


def material_lines(index: int, material: Material, tr: Translator) -> list[str]:
    """The material's name and tags, how many originals and copies, where it comes from and in which form,
    its size, how to fill it in, its blank form and sample where there are, and its note if any."""
    tags = [tr.t("detail.mandatory" if material.mandatory else "detail.optional")]
    if material.may_be_missing:
        tags.append(tr.t("detail.may_be_missing"))
    text = tr.t("detail.material", index=index, name=tr.local(material.name),
                tags=tr.t("common.list_separator").join(tags))
    lines = [text, tr.t("detail.counts", originals=material.originals, copies=material.copies)]
    facts = [tr.t(f"guide.source.{material.source.value}")] if material.source else []
    facts += [tr.t(f"guide.medium.{material.medium.value}")] if material.medium else []
    facts += [tr.local(material.spec)] if material.spec.zh else []
    if facts:
        lines.append(tr.t("common.list_separator").join(facts))
    for key, value in (("instructions", material.instructions), ("blank_form", material.blank_form),
                       ("sample", material.sample)):
        if value.zh:
            lines.append(tr.t("common.pair", label=tr.t(f"guide.el.{key}"), value=tr.local(value)))
    note = tr.local(material.note)
    return lines + ([note] if note else [])


def _pairs(tr: Translator, *pairs: tuple[str, str | Localized]) -> tuple[tuple[str, str], ...]:
    """(label key, value) as shown: translated, and without those the catalog left empty."""
    shown = ((key, tr.local(value) if isinstance(value, Localized) else value) for key, value in pairs)
    return tuple((tr.t(key) if key else "", value) for key, value in shown if value)


MATERIALS_AFTER = 2     # the materials follow the basics and who may apply: what a citizen looks for first


def a4_step(session: Session) -> str:
    """What a certified document's A4 step (本机打印) says instead of "即时" while the A4 printer is known to be
    out: that a slip is printed instead, or that nothing can be printed here; "" while it prints or is unknown."""
    if session.online.a4_ready is not False:
        return ""
    slip = a4_printing.slip_possible(session.unavailable_devices)
    return session.translator.t("guide.step_a4_slip" if slip else "guide.step_a4_out")


def sections(service: Service, tr: Translator, hall: Hall | None = None, a4_instead: str = "") -> list[Section]:
    """The guide's elements, in the order the screen and the paper show them (the materials after the first
    MATERIALS_AFTER of them). This kiosk's hours for the service (the catalog's as configured, service_hours) and
    the hall windows' (the guide's hall, else `hall`: the configured alternative_hall) side by side, each named
    as whose they are: a hall's 工作日 08:30–17:30 read as the hours of a 24-hour kiosk says it is closed.
    a4_instead (a4_step): what the A4 step says while the A4 printer is out."""
    guide = service.guide
    hall = guide.hall or hall
    sep = tr.t("common.list_separator")
    item_type = tr.t(f"guide.item_type.{guide.item_type.value}") if guide.item_type else ""
    basics = _pairs(tr, ("guide.el.item_type", item_type), ("detail.department", service.department),
                    ("guide.el.here", tr.t(f"kind.{service.kind.value}")),
                    ("detail.hours", house_style.service_hours(service.hours, tr)),
                    ("guide.el.hall_hours", house_style.hall_opening(hall, tr) if hall else ""),
                    ("guide.el.statutory_limit", guide.statutory_limit),
                    ("detail.time_limit", time_limit(service, tr)), ("guide.excluded_time", service.excluded_time))
    fees = _pairs(tr, ("detail.fee", service.fee), ("guide.el.fee_basis", guide.fee_basis),
                  ("guide.el.payment", guide.payment))
    rules = _pairs(tr, ("detail.conditions", service.conditions), ("detail.legal_basis", service.legal_basis))
    steps = tuple((tr.t("guide.step", index=n, name=tr.local(step.name)),
                   a4_instead if step.a4 and a4_instead else tr.local(step.duration))
                  for n, step in enumerate(guide.steps, 1))
    scope = tr.t(f"guide.scope.{guide.scope.value}") if guide.scope else ""
    counties = [(tr.local(county.name), sep.join(v for v in (tr.t(f"guide.scope.{county.scope.value}"),
                                                     tr.local(county.note)) if v)) for county in guide.counties]
    result = _pairs(tr, ("guide.el.result", guide.result),
                    ("guide.el.delivery", sep.join(tr.t(f"guide.delivery.{d.value}") for d in guide.delivery)),
                    ("guide.el.visits", "" if guide.visits is None else tr.t("guide.visits", n=guide.visits)),
                    ("guide.el.scope", scope)) + tuple(counties)
    where = _pairs(tr, ("guide.el.place", guide.place),
                   ("guide.el.hall", house_style.hall_place(hall, tr) if hall else ""),     # with its address
                   ("guide.el.consult_phone", guide.consult_phone),
                   ("guide.el.complaint_phone", guide.complaint_phone))
    about = _pairs(tr, ("guide.el.version", guide.version),
                   ("", tr.t("guide.demo") if guide.demo else ""))
    found = [("guide.section.basics", basics), ("guide.section.rules", rules), ("guide.section.fees", fees),
             ("guide.section.steps", steps), ("guide.section.result", result), ("guide.section.where", where),
             ("guide.section.about", about)]
    return [Section(tr.t(heading), pairs) for heading, pairs in found if pairs]


def summary(service: Service, tr: Translator) -> Section:
    """The guide in short, for the accessible mode's first page: what you get, how long it takes, what it
    costs and what to bring (names only). The whole guide follows on the later pages; nobody reads twenty
    pages of it at a kiosk to learn whether to start (review g, M3)."""
    names = tr.t("common.list_separator").join(tr.local(m.name) for m in service.materials)
    return Section(tr.t("guide.section.summary"), _pairs(
        tr, ("guide.el.result", service.guide.result), ("detail.time_limit", time_limit(service, tr)),
        ("detail.fee", service.fee), ("guide.summary_bring", names or tr.t("guide.no_materials"))))


def around_materials(found: list[Section]) -> list[Section | None]:
    """The sections with None where the materials go (after MATERIALS_AFTER of them, or last)."""
    place = min(MATERIALS_AFTER, len(found))
    return [*found[:place], None, *found[place:]]


def pair_text(label: str, value: str, tr: Translator) -> str:
    return tr.t("common.pair", label=label, value=value) if label else value


def flags(service: Service) -> list[str]:
    """i18n keys of what the service allows: 告知承诺, 容缺受理, 代办. 告知承诺 only where the citizen is offered
    it (offers_commitment): a high-risk item that lists notify_commit still asks for every material (art. 18)."""
    return [key for key, on in (("detail.notify_commit", service.offers_commitment),
                                ("detail.accept_missing", service.accept_missing),
                                ("detail.proxy_allowed", service.proxy_allowed)) if on]


def compose(service: Service, tr: Translator, kiosk_id: str, printed_at: dt.datetime, hall: Hall | None = None,
            a4_instead: str = "") -> Receipt:
    """The printed guide, on the receipt printer: the same elements as the detail screen (hall and
    a4_instead: see sections), then where to ask."""
    L = Line
    lines = [L(Kind.TITLE, tr.t("guide.title")), L(Kind.TEXT, tr.local(service.name))]
    materials = [L(Kind.RULE), L(Kind.TEXT, tr.t("detail.materials"))]
    if not service.materials:
        materials.append(L(Kind.TEXT, tr.t("guide.no_materials")))
    for index, material in enumerate(service.materials, 1):
        materials += [L(Kind.TEXT, text) for text in material_lines(index, material, tr)]
    for section in around_materials(sections(service, tr, hall, a4_instead)):
        if section is None:
            lines += materials
            continue
        lines += [L(Kind.RULE), L(Kind.TEXT, section.heading)]
        lines += [L(Kind.FIELD, value, label) if label else L(Kind.TEXT, value) for label, value in section.pairs]
    allowed = flags(service)
    if allowed:
        lines += [L(Kind.RULE)] + [L(Kind.TEXT, tr.t(key)) for key in allowed]
    lines += [
        L(Kind.RULE),
        L(Kind.TEXT, tr.t("receipt.hotline")),
        L(Kind.FIELD, printed_at.strftime("%Y-%m-%d %H:%M"), tr.t("guide.printed_at")),
        L(Kind.FIELD, kiosk_id, tr.t("receipt.kiosk")),
        L(Kind.FEED),
    ]
    return Receipt(tuple(lines))
