"""The service list, by domain: domains as big tabs, the domain's services as big buttons."""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.catalog import Domain, Service
from ui.screens import complaint
from ui.screens.context import ScreenContext
from ui.widgets import button, columns_that_fit, scrolling, wrapping_button


def _service_text(ctx: ScreenContext, service: Service) -> str:
    tr = ctx.tr
    text = f"{tr.local(service.name)}\n{tr.t('kind.' + service.kind.value)} · {tr.local(service.department)}"
    if not ctx.session.is_open(service):
        text += "\n" + tr.t("services.closed", hours=ctx.hours_text(service.hours))
    return text


def build(ctx: ScreenContext) -> QWidget:
    tr, session, controller = ctx.tr, ctx.session, ctx.controller
    large = ctx.theme.large
    domains = QWidget()
    domain_grid = QGridLayout(domains)
    domain_grid.setContentsMargins(0, 0, 0, 0)
    domain_grid.setSpacing(ctx.theme.gap_px)
    per_row = columns_that_fit((tr.t(f"domain.{d.value}") for d in Domain), ctx.theme, ctx.room)
    for index, domain in enumerate(Domain):
        widget = button(tr.t(f"domain.{domain.value}"), lambda d=domain: controller.choose_domain(d),
                        name="Domain", checked=domain is session.domain, description=tr.t("desc.domain"))
        widget.setProperty("domain", domain.value)
        domain_grid.addWidget(widget, index // per_row, index % per_row)

    services = QWidget()
    grid = QGridLayout(services)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(ctx.theme.gap_px)
    columns = (1 if large else 2) if ctx.portrait else (2 if large else 3)
    for index, service in enumerate(session.catalog.by_domain(session.domain)):
        open_now = session.is_open(service)
        widget = wrapping_button(_service_text(ctx, service), lambda c=service.code: controller.choose_service(c),
                                 name="Service", description=tr.t("desc.service" if open_now else "desc.closed"),
                                 theme=ctx.theme)
        widget.setProperty("code", service.code)
        widget.setMinimumHeight(ctx.theme.target_px * 3 // 2)
        widget.setEnabled(open_now)
        grid.addWidget(widget, index // columns, index % columns)
    grid.setRowStretch(grid.rowCount(), 1)
    if ctx.reach_px:        # within reach the band is short: the categories scroll with the services
        both = QWidget()
        column = QVBoxLayout(both)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(ctx.theme.gap_px * 2)
        column.addWidget(domains)
        column.addWidget(services)
        return ctx.page(tr.t("services.title"), [scrolling(both)], footer=[ctx.back_button(), complaint.entry(ctx)])
    return ctx.page(tr.t("services.title"), [domains, scrolling(services)], footer=[ctx.back_button(), complaint.entry(ctx)])
