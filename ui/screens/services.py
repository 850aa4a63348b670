"""The service list, by domain: domains as big tabs, the domain's services as big buttons."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGridLayout, QPushButton, QVBoxLayout, QWidget

from kiosk import browsing
from kiosk.catalog import Domain, Service
from ui.screens import complaint, online_parts
from ui.screens.context import ScreenContext
from ui.widgets import button, columns_that_fit, discard, label, scrolling, wrapping_button


def _service_lines(ctx: ScreenContext, service: Service) -> list[str]:
    """The service's name, then what kind and which department, then (closed now) its hours."""
    tr = ctx.tr
    lines = [tr.local(service.name), f"{tr.t('kind.' + service.kind.value)} · {tr.local(service.department)}"]
    if not ctx.session.is_open(service):
        lines.append(tr.t("services.closed", hours=ctx.hours_text(service.hours)))
    return lines


def _tile(ctx: ScreenContext, lines: list[str], on_tap: Callable[[], None], name: str,
          description: str) -> QPushButton:
    """A service as a button with hierarchy: its name first, larger and bold; the rest in body text."""
    widget = wrapping_button("\n".join(lines), on_tap, name=name, description=description, theme=ctx.theme, lead=True)
    widget.setMinimumHeight(ctx.theme.target_px * 3 // 2)
    return widget


def _service_buttons(ctx: ScreenContext) -> list[QPushButton]:
    """The chosen domain's services. One closed now still opens its guide: it tells the hours and
    books a time at the hall (预约到大厅办理)."""
    tr, session = ctx.tr, ctx.session
    buttons = []
    for service in session.catalog.by_domain(session.domain):
        open_now = session.is_open(service)
        widget = _tile(ctx, _service_lines(ctx, service), lambda c=service.code: ctx.controller.choose_service(c),
                       "Service", tr.t("desc.service" if open_now else "desc.closed"))
        widget.setProperty("code", service.code)
        buttons.append(widget)
    return buttons


def _bundle_buttons(ctx: ScreenContext) -> list[QPushButton]:
    tr = ctx.tr
    buttons = []
    for bundle in ctx.session.catalog.bundles:
        widget = _tile(ctx, [tr.local(bundle.name), tr.t("identity.bundles.title")],
                       lambda c=bundle.code: ctx.controller.choose_bundle(c), "Bundle", tr.t("identity.desc.bundle"))
        widget.setProperty("code", bundle.code)
        buttons.append(widget)
    return buttons


def _categories(ctx: ScreenContext) -> list[tuple[str, str]]:
    """(category, its name): the domains, then what belongs to none (online services, bundles)."""
    tr = ctx.tr
    found = [(d.value, tr.t(f"domain.{d.value}")) for d in Domain]
    if online_parts.online_tiles(ctx):
        found.append((browsing.ONLINE, tr.t("online.section")))
    if ctx.session.catalog.bundles:
        found.append((browsing.BUNDLES, tr.t("identity.bundles.title")))
    return found


def _category_buttons(ctx: ScreenContext) -> list[QPushButton]:
    buttons = []
    for category, name in _categories(ctx):
        widget = button(name, lambda c=category: ctx.controller.browse(c), name="Category",
                        description=ctx.tr.t("access.desc.category"))
        widget.setProperty("category", category)
        widget.setMinimumHeight(ctx.theme.target_px * 3 // 2)
        buttons.append(widget)
    return buttons


def _choices(ctx: ScreenContext) -> list[QPushButton]:
    category = ctx.session.browsing.category
    if category is None:
        return _category_buttons(ctx)
    if category == browsing.ONLINE:
        return online_parts.online_tiles(ctx)
    if category == browsing.BUNDLES:
        return _bundle_buttons(ctx)
    return _service_buttons(ctx)


def _simple(ctx: ScreenContext) -> QWidget:
    """The accessibility mode's list: a category first, then its choices, a few large ones a page."""
    tr, controller, place = ctx.tr, ctx.controller, ctx.session.browsing
    choices = _choices(ctx)
    pages = browsing.page_count(len(choices))
    page = min(place.page, pages - 1)       # drawing the screen never changes the session
    shown = list(browsing.on_page(choices, page))
    for widget in choices:
        if widget not in shown:
            discard(widget)
    # one pager below the list, never scrolled away: it turns the glass's pages of these few (large text, a small
    # glass), then on to the next few (ui.paging.Pages with beyond)
    body: list[QWidget] = [ctx.paged(scrolling(ctx.stacked(*shown)), outer=(page, pages),
                                     beyond=lambda step: controller.turn_page(step, len(choices)))]
    names = dict(_categories(ctx))
    if place.category is None:
        title, footer = tr.t("access.categories"), [ctx.back_button(), complaint.entry(ctx)]
    else:
        title = names.get(place.category, "")
        footer = [button(tr.t("access.other_category"), lambda: controller.browse(None), name="back",
                         description=tr.t("access.desc.other_category"))]
    return ctx.page(title, body, footer=footer)     # which page: the pager's words say it


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
    for index, widget in enumerate(_bundle_buttons(ctx)):
        grid.addWidget(widget, index // columns, index % columns)
    column.addWidget(row)
    column.addWidget(label(tr.t(f"domain.{ctx.session.domain.value}"), "Subtitle"))
    column.addWidget(services, 1)
    return both


def kept_as(ctx: ScreenContext) -> tuple[object, ...] | None:
    """All the service grid shows, so that the window keeps the screen between visits (ui.kept): what the screen is
    given, the domain chosen, the catalog, which of its services are open now, and the visit's problem and
    revising (never a visit's answers themselves). None in the accessible mode, whose list pages with the visit."""
    session = ctx.session
    if session.profile.assisted:
        return None
    open_now = tuple(session.is_open(service) for service in session.catalog.by_domain(session.domain))
    return (ctx.controller, ctx.tr.language, ctx.theme, ctx.portrait, ctx.demo, ctx.width, ctx.reach_px,
            session.domain, session.catalog, open_now, session.problem, session.revising is None)


def build(ctx: ScreenContext) -> QWidget:
    if ctx.session.profile.assisted:
        return _simple(ctx)
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
    columns = 1 if ctx.portrait else (2 if large else 3)      # portrait: one a row, the height used, read down
    for index, widget in enumerate(_service_buttons(ctx)):
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
    return ctx.page(tr.t("services.title"), [domains, scrolling(services)],
                    footer=[ctx.back_button(), complaint.entry(ctx)])
