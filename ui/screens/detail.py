"""The service guide: everything the citizen needs, told once (一次性告知, article 14)."""
from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.catalog import Material, Service
from kiosk.voice import time_limit
from ui.screens.context import ScreenContext
from ui.widgets import button, card, label, scrolling


def _material_text(ctx: ScreenContext, index: int, material: Material) -> str:
    tr = ctx.tr
    tags = [tr.t("detail.mandatory" if material.mandatory else "detail.optional")]
    if material.may_be_missing:
        tags.append(tr.t("detail.may_be_missing"))
    text = tr.t("detail.material", index=index, name=tr.local(material.name),
                tags=tr.t("common.list_separator").join(tags))
    counts = tr.t("detail.counts", originals=material.originals, copies=material.copies)
    note = tr.local(material.note)
    return "\n".join(filter(None, [text, "    " + counts, "    " + note if note else ""]))


def _facts(ctx: ScreenContext, service: Service) -> list[tuple[str, str]]:
    tr = ctx.tr
    return [
        (tr.t("detail.department"), tr.local(service.department)),
        (tr.t("detail.kind"), tr.t(f"kind.{service.kind.value}")),
        (tr.t("detail.time_limit"), time_limit(service, tr)),
        (tr.t("detail.fee"), tr.local(service.fee)),
        (tr.t("detail.hours"), ctx.hours_text(service.hours)),
        (tr.t("detail.conditions"), tr.local(service.conditions)),
        (tr.t("detail.legal_basis"), tr.local(service.legal_basis)),
    ]


def build(ctx: ScreenContext) -> QWidget:
    tr, controller = ctx.tr, ctx.controller
    service = ctx.session.service
    assert service is not None
    content = QWidget()
    column = QVBoxLayout(content)
    column.setContentsMargins(0, 0, 16, 0)
    column.setSpacing(16)
    facts = [label(tr.t("common.pair", label=name, value=value)) for name, value in _facts(ctx, service)]
    column.addWidget(card(*facts))
    materials = [label(tr.t("detail.materials"), "Title")]
    materials += [label(_material_text(ctx, i, m)) for i, m in enumerate(service.materials, 1)]
    column.addWidget(card(*materials))
    flags = [key for key, on in (("detail.notify_commit", service.notify_commit),
                                 ("detail.accept_missing", service.accept_missing),
                                 ("detail.proxy_allowed", service.proxy_allowed)) if on]
    if flags:
        column.addWidget(card(*(label("✓ " + tr.t(k), "Good") for k in flags)))
    column.addStretch(1)
    open_now = ctx.session.is_open(service)
    apply = button(tr.t("detail.apply"), controller.apply, name="Primary",
                   description=tr.t("desc.apply" if open_now else "desc.closed"))
    apply.setEnabled(open_now)
    guide = scrolling(content, tr.t("detail.title"), tr.t("desc.guide"))
    return ctx.page(tr.local(service.name), [guide], subtitle=tr.t("detail.title"),
                    footer=[ctx.back_button(), apply])
