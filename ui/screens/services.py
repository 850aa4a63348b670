"""The service list, by domain: domains as big tabs, the domain's services as big buttons."""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.catalog import Domain, Service
from ui.screens import complaint, online_parts
from ui.screens.context import ScreenContext
from ui.widgets import button, columns_that_fit, label, scrolling, wrapping_button


def _service_text(ctx: ScreenContext, service: Service) -> str:
    tr = ctx.tr
    text = f"{tr.local(service.name)}\n{tr.t('kind.' + service.kind.value)} · {tr.local(service.department)}"
    if not ctx.session.is_open(service):
        text += "\n" + tr.t("services.closed", hours=ctx.hours_text(service.hours))
    return text


def _with_bundles(ctx: ScreenContext, services: QWidget, columns: int) -> QWidget:
    """一件事一次办 (article 15) in their own row above every domain's services: a life event, not a department."""
    bundles = ctx.session.catalog.bundles
    if not bundles:
        return services
    tr = ctx.tr
    both = QWidget()
    column = QVBoxLayout(both)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(ctx.theme.gap_px)
    column.addWidget(label(tr.t("identity.bundles.title"), "Subtitle"))
    row = QWidget()
    grid = QGridLayout(row)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(ctx.theme.gap_px)
    for index, bundle in enumerate(bundles):
        widget = wrapping_button(f"{tr.local(bundle.name)}\n{tr.t('identity.bundles.title')}",
                                 lambda c=bundle.code: ctx.controller.choose_bundle(c), name="Bundle",
                                 description=tr.t("identity.desc.bundle"), theme=ctx.theme)
        widget.setProperty("code", bundle.code)
        widget.setMinimumHeight(ctx.theme.target_px * 3 // 2)
        grid.addWidget(widget, index // columns, index % columns)
    column.addWidget(row)
    column.addWidget(label(tr.t(f"domain.{ctx.session.domain.value}"), "Subtitle"))
    column.addWidget(services, 1)
    return both


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
        widget.setMinimumHeight(ctx.theme.target_px * 3 // 2)      # closed now, its guide still opens:
        # it tells the hours and books a time at the hall (预约到大厅办理)
        grid.addWidget(widget, index // columns, index % columns)
    grid.setRowStretch(grid.rowCount(), 1)
    services = _with_bundles(ctx, services, columns)
    services = online_parts.with_online_tiles(ctx, services, columns)     # 办件进度查询, 免申即享
    if ctx.reach_px:        # within reach the band is short: the categories scroll with the services
        both = QWidget()
        column = QVBoxLayout(both)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(ctx.theme.gap_px * 2)
        column.addWidget(domains)
        column.addWidget(services)
        return ctx.page(tr.t("services.title"), [scrolling(both)], footer=[ctx.back_button(), complaint.entry(ctx)])
    return ctx.page(tr.t("services.title"), [domains, scrolling(services)], footer=[ctx.back_button(), complaint.entry(ctx)])
