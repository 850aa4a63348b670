"""The service list, by domain: domains as big tabs, the domain's services as big buttons."""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.catalog import Domain, Service
from ui.screens.context import ScreenContext
from ui.widgets import button, page, scrolling


def _service_text(ctx: ScreenContext, service: Service) -> str:
    tr = ctx.tr
    text = f"{tr.local(service.name)}\n{tr.t('kind.' + service.kind.value)} · {tr.local(service.department)}"
    if not service.hours.is_open(ctx.session.clock()):
        text += "\n" + tr.t("services.closed", hours=ctx.hours_text(service.hours))
    return text


def build(ctx: ScreenContext) -> QWidget:
    tr, session, controller = ctx.tr, ctx.session, ctx.controller
    domains = QWidget()
    domain_layout = QGridLayout(domains) if ctx.portrait else QVBoxLayout(domains)
    domain_layout.setContentsMargins(0, 0, 0, 0)
    for index, domain in enumerate(Domain):
        widget = button(tr.t(f"domain.{domain.value}"), lambda d=domain: controller.choose_domain(d),
                        name=f"domain_{domain.value}", checked=domain is session.domain)
        if ctx.portrait:
            domain_layout.addWidget(widget, index // 3, index % 3)
        else:
            domain_layout.addWidget(widget)
    if not ctx.portrait:
        domain_layout.addStretch(1)

    services = QWidget()
    grid = QGridLayout(services)
    grid.setSpacing(16)
    columns = 1 if ctx.portrait else max(1, ctx.theme.columns - 1)
    now = session.clock()
    for index, service in enumerate(session.catalog.by_domain(session.domain)):
        widget = button(_service_text(ctx, service), lambda c=service.code: controller.choose_service(c),
                        name=f"service_{service.code}")
        widget.setMinimumHeight(ctx.theme.target_px * 3 // 2)
        widget.setEnabled(service.hours.is_open(now))
        grid.addWidget(widget, index // columns, index % columns)
    grid.setRowStretch(grid.rowCount(), 1)

    content = QWidget()
    row = QVBoxLayout(content) if ctx.portrait else QHBoxLayout(content)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(24)
    row.addWidget(domains, 1)
    row.addWidget(scrolling(services), 3)
    return page(tr.t("services.title"), [content],
                footer=[button(tr.t("common.back"), controller.back, name="back")],
                problem=ctx.problem())

