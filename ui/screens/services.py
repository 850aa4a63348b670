"""The service list, by domain: domains as big tabs, the domain's services as big buttons."""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QWidget

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
    large = ctx.theme.name != "normal"
    domains = QWidget()
    domain_grid = QGridLayout(domains)
    domain_grid.setContentsMargins(0, 0, 0, 0)
    domain_grid.setSpacing(12)
    per_row = 3 if (large or ctx.portrait) else len(Domain)
    for index, domain in enumerate(Domain):
        widget = button(tr.t(f"domain.{domain.value}"), lambda d=domain: controller.choose_domain(d),
                        name="Domain", checked=domain is session.domain)
        widget.setProperty("domain", domain.value)
        domain_grid.addWidget(widget, index // per_row, index % per_row)

    services = QWidget()
    grid = QGridLayout(services)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(16)
    columns = (1 if large else 2) if ctx.portrait else ctx.theme.columns - (1 if large else 0)
    now = session.clock()
    for index, service in enumerate(session.catalog.by_domain(session.domain)):
        widget = button(_service_text(ctx, service), lambda c=service.code: controller.choose_service(c),
                        name="Service")
        widget.setProperty("code", service.code)
        widget.setMinimumHeight(ctx.theme.target_px * 3 // 2)
        widget.setEnabled(service.hours.is_open(now))
        grid.addWidget(widget, index // columns, index % columns)
    grid.setRowStretch(grid.rowCount(), 1)
    return page(tr.t("services.title"), [domains, scrolling(services)],
                footer=[button(tr.t("common.back"), controller.back, name="back")],
                problem=ctx.problem())
