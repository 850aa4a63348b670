"""The service guide (办事指南) as the one-time notification of article 14: everything a citizen needs
to bring and know, told at once, on the detail screen and on paper. It identifies nobody: anyone may
print it before deciding to apply, so it holds the service's facts only, never the visitor's data.
"""
from __future__ import annotations

import datetime as dt

from kiosk import hours as house_style
from kiosk.catalog import Material, Service
from kiosk.i18n import Translator
from kiosk.receipt import Kind, Line, Receipt
from kiosk.voice import time_limit


def material_lines(index: int, material: Material, tr: Translator) -> list[str]:
    """The material's name and tags, how many originals and copies, and its note if any."""
    tags = [tr.t("detail.mandatory" if material.mandatory else "detail.optional")]
    if material.may_be_missing:
        tags.append(tr.t("detail.may_be_missing"))
    text = tr.t("detail.material", index=index, name=tr.local(material.name),
                tags=tr.t("common.list_separator").join(tags))
    note = tr.local(material.note)
    counts = tr.t("detail.counts", originals=material.originals, copies=material.copies)
    return [text, counts] + ([note] if note else [])


def facts(service: Service, tr: Translator) -> list[tuple[str, str]]:
    """(label, value) of the service's elements, in the order the guide shows them."""
    pairs = [
        (tr.t("detail.department"), tr.local(service.department)),
        (tr.t("detail.kind"), tr.t(f"kind.{service.kind.value}")),
        (tr.t("detail.time_limit"), time_limit(service, tr)),
    ]
    if service.excluded_time.zh:
        pairs.append((tr.t("guide.excluded_time"), tr.local(service.excluded_time)))
    return [
        *pairs,
        (tr.t("detail.fee"), tr.local(service.fee)),
        (tr.t("detail.hours"), house_style.service_hours(service.hours, tr)),
        (tr.t("detail.conditions"), tr.local(service.conditions)),
        (tr.t("detail.legal_basis"), tr.local(service.legal_basis)),
    ]


def flags(service: Service) -> list[str]:
    """i18n keys of what the service allows: 告知承诺, 容缺受理, 代办. 告知承诺 only where the citizen is offered
    it (offers_commitment): a high-risk item that lists notify_commit still asks for every material (art. 18)."""
    return [key for key, on in (("detail.notify_commit", service.offers_commitment),
                                ("detail.accept_missing", service.accept_missing),
                                ("detail.proxy_allowed", service.proxy_allowed)) if on]


def compose(service: Service, tr: Translator, kiosk_id: str, printed_at: dt.datetime) -> Receipt:
    """The printed guide: the same elements as the detail screen, then where to ask."""
    L = Line
    lines = [L(Kind.TITLE, tr.t("guide.title")), L(Kind.TEXT, tr.local(service.name)), L(Kind.RULE)]
    lines += [L(Kind.FIELD, value, label) for label, value in facts(service, tr)]
    lines += [L(Kind.RULE), L(Kind.TEXT, tr.t("detail.materials"))]
    for index, material in enumerate(service.materials, 1):
        lines += [L(Kind.TEXT, text) for text in material_lines(index, material, tr)]
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
