"""Pieces the online-service screens share, and the hooks the guide and the service list show:
the centre's reachability on a guide, 预约到大厅办理, 办件进度查询 and 免申即享."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QPushButton, QVBoxLayout, QWidget

from kiosk import a4_printing
from kiosk import hours as house_style
from kiosk.catalog import Service, ServiceKind
from kiosk.certified import grouped
from kiosk.print_status import Printing
from ui import design
from ui.screens.context import ScreenContext
from ui.widgets import SAYS, button, card, label, wrapping_button


def waiting(ctx: ScreenContext) -> QWidget:
    return card(label(ctx.tr.t("online.waiting"), "Subtitle"))


def paper(ctx: ScreenContext) -> list[QWidget]:
    """Whether the printout came out; when it did not, the screen is the citizen's copy (a certified
    document's: document_not_printed says it, with what to do instead)."""
    visit, tr = ctx.session.online, ctx.tr
    if visit.printing:
        return [label(tr.t("done.printing"), "Muted")]
    if visit.print_problem and visit.document is not None:
        return []
    if visit.print_problem:
        return [label(tr.t("done.not_printed", reason=tr.t(visit.print_problem)), "Problem")]
    if visit.printed and visit.document is None:        # a certified document's is its outcome panel (outlet)
        return [label(tr.t("online.printed"), "Good")]
    return []


def outlet(ctx: ScreenContext) -> list[QWidget]:
    """A printed certificate's outcome, the largest thing on the screen: 已打印，请取走 in the confirmation
    panel with the document's number in fours, then where it comes out beside the printer's pictogram.
    First in the content (whole on the first page when it is paged: the panel is one stop, never split)."""
    visit, tr = ctx.session.online, ctx.tr
    if not (visit.printed and visit.document is not None and not visit.printing and not visit.print_problem):
        return []
    panel = design.confirmation_panel(tr.t("document.printed_title"), grouped(visit.document.document_id), tr,
                                      ctx.theme, tr.t("document.number"))
    panel.setAccessibleName(tr.t("document.printed_title"))
    panel.setAccessibleDescription(tr.t("document.printed"))
    panel.setFocusPolicy(Qt.TabFocus)
    return [panel, design.device_note(design.Device.PRINTER, label(tr.t("document.printed"), "Lead"), ctx.theme, tr)]


def finish_button(ctx: ScreenContext, primary: bool = True) -> QPushButton:
    """完成 at the end of every online flow leads to 好差评 (which may be skipped), as after an application;
    not primary while another action leads the screen."""
    return button(ctx.tr.t("rating.ahead.finish"), ctx.controller.finish, name="Primary" if primary else "Finish",
                  description=ctx.tr.t("rating.ahead.desc_finish"))


def offline_text(ctx: ScreenContext, service: Service | None) -> str:
    """What to do instead while the centre cannot be reached: the hotline, and the hall's hours named as the
    hall's (kiosk.hours: the guide's hall, else the configured alternative_hall), never read as this kiosk's."""
    hall = service.guide.hall if service is not None else None
    hours = house_style.hall_hours(hall or ctx.controller.alternative_hall, ctx.tr)
    return ctx.tr.t("online.offline", hours=hours)


def slip_possible(ctx: ScreenContext) -> bool:
    """The receipt printer can take a document's slip (kiosk.a4_printing)."""
    return a4_printing.slip_possible(ctx.session.unavailable_devices)


def a4_down(ctx: ScreenContext, service: Service) -> bool:
    """This service prints on A4 and the guide's check found the A4 printer unable to."""
    return service.a4_document and ctx.session.online.a4_ready is False


def cannot_start(ctx: ScreenContext, service: Service) -> bool:
    """The centre, or the A4 printer with no slip to offer instead, is known to be down: the way out leads
    the screen."""
    return ctx.session.online.centre_online is False or (a4_down(ctx, service) and not slip_possible(ctx))


def can_start(ctx: ScreenContext, service: Service) -> bool:
    """A query_print service is online by nature: not startable until the centre is known to answer; a
    document, until the A4 printer is known to print, or else a slip can be printed instead."""
    if service.kind is not ServiceKind.QUERY_PRINT:
        return True
    online = ctx.session.online
    printable = not service.a4_document or online.a4_ready is True or (a4_down(ctx, service) and slip_possible(ctx))
    return online.centre_online is True and printable


def book_button(ctx: ScreenContext) -> QPushButton:
    """预约到大厅办理: for what cannot be done here (now); the booking needs the centre."""
    tr = ctx.tr
    book = button(tr.t("online.book"), ctx.controller.online.book_at_hall, name="BookAtHall",
                  description=tr.t("online.desc.book"))
    # laid out for its usual words, the reasons being no wider: with room for "…: connecting…" the footer went
    # one button a row in the largest English at 1366x768 and outgrew the glass
    book.setProperty(SAYS, [tr.t("online.book")])
    bookable(ctx, book)
    return book


BOOK_WORDS = {True: "online.book", None: "online.book_asking", False: "online.book_no_network"}


def bookable(ctx: ScreenContext, book: QPushButton) -> None:
    """预约到大厅办理 usable once the centre answers; until then, or with no network, its words say why (a dashed
    button with no reason was tapped again and again: review i, M6)."""
    online = ctx.session.online.centre_online
    book.setEnabled(online is True)
    book.setText(ctx.tr.t(BOOK_WORDS[online]))
    book.setAccessibleName(book.text())


def way_out(ctx: ScreenContext, service: Service) -> list[QWidget]:
    """With the centre or the A4 printer down (the problem on top says so), what to do instead: first in the
    guide, right under the problem, so on its first page when the accessible mode pages it. With only the A4
    printer down and the receipt printer working, the slip comes first (开始办理 then takes it)."""
    if cannot_start(ctx, service):      # with the centre up, it is both printers: the reason 开始办理 is off
        why = [label(ctx.tr.t("document.slip.none"), "Lead")] if ctx.session.online.centre_online is True else []
        return [*why, label(offline_text(ctx, service), "Lead")]
    if a4_down(ctx, service) and ctx.session.online.centre_online is True:
        return [label(ctx.tr.t("document.slip.offer_before"), "Lead"), label(offline_text(ctx, service), "Lead")]
    return []


def document_not_printed(ctx: ScreenContext, service: Service) -> list[QWidget]:
    """A certified document the A4 printer did not print: why, that it is issued all the same, the slip
    (printing, out, or why not, else offered) and the hall and 12345."""
    visit, tr = ctx.session.online, ctx.tr
    if visit.document is None or not visit.print_problem or visit.printing:
        return []
    said = [label(tr.t(visit.print_problem), "Problem"), label(tr.t("document.issued_anyway"), "Lead")]
    slip = visit.slip
    if slip is not None and slip.problem is not None:
        said.append(label(tr.t("document.slip.not_printed", reason=tr.t(slip.problem)), "Problem"))
    elif slip is not None:
        printed = slip.stage is Printing.PRINTED
        said.append(label(tr.t(f"document.slip.{slip.stage.value}"), "Good" if printed else "Muted"))
    elif slip_possible(ctx):
        said.append(label(tr.t("document.slip.offer"), "Lead"))
    said += [label(offline_text(ctx, service), "Lead"), book_button(ctx)]
    return said


def slip_again(ctx: ScreenContext) -> bool:
    """打印凭条 once more, a secondary: the A4 printer failed and the slip came out or failed, none on its way."""
    visit = ctx.session.online
    return (visit.document is not None and bool(visit.print_problem) and visit.slip is not None
            and visit.slip.stage is not Printing.PRINTING and slip_possible(ctx))


def slip_first(ctx: ScreenContext) -> bool:
    """打印凭条 is the screen's one primary action: the A4 printer failed and no slip is out or on its way."""
    visit = ctx.session.online
    return (visit.document is not None and bool(visit.print_problem) and not visit.printing
            and visit.slip is None and slip_possible(ctx))


def with_online_tiles(ctx: ScreenContext, services: QWidget, columns: int) -> QWidget:
    """The service list with 办件进度查询 and 免申即享 above it: they belong to no domain."""
    tiles = online_tiles(ctx)
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(ctx.theme.gap_px)
    column.addWidget(label(ctx.tr.t("online.section"), "Subtitle"))
    grid = QGridLayout()
    grid.setSpacing(ctx.theme.gap_px)
    for index, tile in enumerate(tiles):
        grid.addWidget(tile, index // columns, index % columns)
    column.addLayout(grid)
    column.addWidget(services)
    return holder


def online_tiles(ctx: ScreenContext) -> list[QPushButton]:
    """办件进度查询, 免申即享 and 文书核验 as big buttons (without a link to the centre: it cannot be reached)."""
    tr, online = ctx.tr, ctx.controller.online
    tiles = ((f"{tr.t('progress.entry')}\n{tr.t('progress.tile')}", online.open_progress, "ProgressQuery",
              "online.desc.progress"),
             (f"{tr.t('benefits.entry')}\n{tr.t('benefits.tile')}", online.open_benefits, "Benefits",
              "online.desc.benefits"),
             (f"{tr.t('verify.entry')}\n{tr.t('verify.tile')}", online.open_verify, "VerifyDocument",
              "verify.desc.open"))
    buttons = []
    for text, tap, name, description in tiles:
        tile = wrapping_button(text, tap, name=name, description=tr.t(description), theme=ctx.theme)
        tile.setMinimumHeight(ctx.theme.target_px * 3 // 2)
        buttons.append(tile)
    return buttons
