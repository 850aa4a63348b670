"""一件事一次办 (article 15): a bundle shown and filled as one service, submitted as one application per member.

The citizen meets a bundle as if it were one service: one guide listing every material once, one
identification, one form with the shared fields once and each member's own fields after them. On
submission the form is split again, so each department receives an ordinary application.
"""
from __future__ import annotations

import dataclasses

from kiosk.application import Application, new_key, new_tracking_token
from kiosk.catalog import Bundle, Catalog, FormField, Hours, Localized, Service, ServiceKind
from kiosk.workdays import Calendar

_OWN = "{code}/{key}"      # the combined form's key of a member's own field


def members(catalog: Catalog, bundle: Bundle) -> list[Service]:
    return [catalog.get(code) for code in bundle.members]


def _joined(texts: list[Localized], separator: str = "；") -> Localized:
    unique = list(dict.fromkeys(texts))
    return Localized(separator.join(t.zh for t in unique), "; ".join(t.en or t.zh for t in unique))


def _own_fields(service: Service, shared: set[str]) -> tuple[FormField, ...]:
    """A member's fields the shared ones do not cover, keyed with their service and in its section."""
    return tuple(dataclasses.replace(f, key=_OWN.format(code=service.code, key=f.key), section=service.name)
                 for f in service.fields if f.key not in shared)


def combined(catalog: Catalog, bundle: Bundle) -> Service:
    """The bundle as one service for the guide, identification and the form."""
    parts = members(catalog, bundle)
    shared = {f.key for f in bundle.shared_fields}
    materials = list({m.name.zh: m for part in parts for m in part.materials}.values())   # each material once
    restricted = [p.hours for p in parts if not p.hours.always]
    return Service(
        code=bundle.code, name=bundle.name, domain=parts[0].domain,
        department=_joined([p.department for p in parts]),
        kind=ServiceKind.APPLICATION,
        legal_basis=_joined([p.legal_basis for p in parts]),
        conditions=bundle.description,
        materials=tuple(materials),
        time_limit_days=max(p.time_limit_days for p in parts),
        fee=_joined([p.fee for p in parts]),
        notify_commit=False,
        accept_missing=all(p.accept_missing for p in parts),
        proxy_allowed=all(p.proxy_allowed for p in parts),
        hours=restricted[0] if restricted else Hours(),
        fields=bundle.shared_fields + tuple(f for p in parts for f in _own_fields(p, shared)),
        credentials=tuple(c for c in parts[0].credentials if all(c in p.credentials for p in parts)),
    )


def split(catalog: Catalog, bundle: Bundle, form: dict[str, str]) -> list[tuple[Service, dict[str, str]]]:
    """Each member with its own form: shared values under their keys, its own fields unprefixed."""
    shared = {f.key for f in bundle.shared_fields}
    result = []
    for service in members(catalog, bundle):
        values = {}
        for field in service.fields:
            source = field.key if field.key in shared else _OWN.format(code=service.code, key=field.key)
            if source in form:
                values[field.key] = form[source]
        result.append((service, values))
    return result


def applications(catalog: Catalog, bundle: Bundle, whole: Application, calendar: Calendar) -> list[Application]:
    """The confirmed bundle as one application per member: each its own key, form, deadline and
    tracking token; the applicant, agent, materials and signature are the whole's."""
    return [dataclasses.replace(
        whole, idempotency_key=new_key(), service_code=service.code, form=form, tracking_token=new_tracking_token(),
        promised_date=calendar.add_working_days(whole.submitted_at.date(), service.time_limit_days))
        for service, form in split(catalog, bundle, dict(whole.form))]
