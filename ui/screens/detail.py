"""The service guide: everything the citizen needs, told once (一次性告知, article 14)."""
from __future__ import annotations

import math

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk import guide, identifying, opening
from kiosk.i18n import Translator
from kiosk.print_status import Printing
from kiosk.voice import guide_print_text
from ui import design
from ui.paging import WHOLE
from ui.screens import complaint, online_parts
from ui.screens.context import ScreenContext
from ui.theme import Theme
from ui.widgets import CARD_MARGIN, CARD_SPACING, button, card, label, scrolling, wrapping_button


def _print_note(ctx: ScreenContext) -> list[QWidget]:
    """Whether the printed guide came out; when it did not, the guide stays here to read or photograph."""
    status = ctx.session.guide_print
    if status is None:
        return []
    style = {Printing.PRINTING: "Muted", Printing.PRINTED: "Good", Printing.NOT_PRINTED: "Problem"}[status.stage]
    return [label(guide_print_text(ctx.session, ctx.tr), style)]


Rows = list[tuple[str, str]]    # a section's lines: their words, and their style (a label's object name)
GAP = 16                        # between the guide's cards
LINE_EM = 1.3                   # a line's height per pixel of its font size, at the least (Noto Sans CJK's: 1.45)


def _rows(section: guide.Section, tr: Translator) -> Rows:
    return [(section.heading, "Heading"), *((guide.pair_text(name, value, tr), "") for name, value in section.pairs)]


def _labels(rows: Rows) -> list[QWidget]:
    return [label(text, style) for text, style in rows]


def _in_short(ctx: ScreenContext, summary: guide.Section) -> QWidget:
    """The summary's lines as one block under its heading, the screen's subtitle (简要说明): read whole on the first
    page at every size, before the way to the whole guide. A card, its own heading and the way on above it left
    the largest English with the title, that button and an empty band on page 1 (review j, M2)."""
    lines = ctx.stacked(*_labels(_rows(summary, ctx.tr)[1:]))
    lines.layout().setSpacing(ctx.theme.gap_px // 2)     # a list read as one, its lines a little apart
    lines.setProperty(WHOLE, True)
    return lines


def _sections(ctx: ScreenContext) -> list[Rows]:
    """Every element of the guide, the materials among them, and what the service allows."""
    tr, service = ctx.tr, ctx.session.service
    assert service is not None
    materials = [(tr.t("detail.materials"), "Heading")]
    materials += [("\n    ".join(guide.material_lines(i, m, tr)), "") for i, m in enumerate(service.materials, 1)]
    if not service.materials:
        materials.append((tr.t("guide.no_materials"), ""))
    found = guide.sections(service, tr, ctx.controller.alternative_hall, guide.a4_step(ctx.session))
    sections = [materials if element is None else _rows(element, tr) for element in guide.around_materials(found)]
    flags = guide.flags(service)
    if flags:
        sections.append([("✓ " + tr.t(k), "Good") for k in flags])
    return sections


def _least_px(rows: Rows, theme: Theme) -> int:
    """The least height of rows in a card, and the gap under it: every line unwrapped, LINE_EM high."""
    lines = sum((theme.heading_px if style == "Heading" else theme.text_px) * (text.count("\n") + 1)
                for text, style in rows)
    return math.floor(LINE_EM * lines) + CARD_SPACING * (len(rows) - 1) + 2 * CARD_MARGIN[1] + GAP


def in_sight(sections: list[Rows], theme: Theme, height: int) -> int:
    """How many of the sections, at their least heights, fill height: more cannot be in sight when the guide is
    first drawn, whatever sits above them."""
    total = 0
    for count, rows in enumerate(sections, 1):
        total += _least_px(rows, theme)
        if total >= height:
            return count
    return len(sections)


def _whole_guide(ctx: ScreenContext, column: QVBoxLayout) -> None:
    """Every element of the guide, a card each. Paged (the accessible mode), a section is its heading over its
    lines, no card: a page holds two or three lines in the largest English, and a card's margins left page 1 of
    the whole guide with its subtitle alone at 1920x1080, a heading alone at 1366x768. Scrolled, the cards below
    the window's foot are made once the screen is drawn: a whole guide is 70 widgets, and polishing and laying
    out the ones no citizen could see yet made the guide the slowest screen to come up (bench.transitions)."""
    sections = _sections(ctx)
    if ctx.session.profile.assisted:        # paged: the pages are counted as the screen is made
        for rows in sections:
            column.addWidget(ctx.stacked(*_labels(rows)))
        return
    service = ctx.session.service
    assert service is not None
    # the same few lines first, over the whole guide: what you get, how long, the fee, what to bring (review k, M9:
    # only the accessible mode had them)
    sections.insert(0, _rows(guide.summary(service, ctx.tr), ctx.tr))
    box = QWidget()
    cards = QVBoxLayout(box)
    cards.setContentsMargins(0, 0, 0, 0)
    cards.setSpacing(GAP)
    column.addWidget(box)
    first = in_sight(sections, ctx.theme, ctx.height - 2 * ctx.theme.target_px)   # under the header, over the footer

    def add(part: list[Rows]) -> None:
        for rows in part:
            cards.addWidget(card(*_labels(rows)))
    add(sections[:first])
    if first < len(sections):
        ctx.after_paint.append(lambda: add(sections[first:]))


def build(ctx: ScreenContext) -> QWidget:
    tr, controller = ctx.tr, ctx.controller
    service = ctx.session.service
    assert service is not None
    content = QWidget()
    column = QVBoxLayout(content)
    column.setContentsMargins(0, 0, 16, 0)
    column.setSpacing(GAP)
    down = online_parts.cannot_start(ctx, service)
    way_out = online_parts.way_out(ctx, service)
    for widget in way_out:      # first: on the first page when the guide is paged
        column.addWidget(widget)
    if way_out:     # the guide's name over the guide, not over what to do instead (review i, minor 2)
        column.addWidget(label(tr.t("detail.title"), "Subtitle"))
    if ctx.session.bundle is not None:      # 一件事一次办: which departments each take their part
        count = len(ctx.session.bundle.members)
        column.addWidget(card(label(tr.t("identity.bundles.members", count=count), "Title"),
                              *(label(line) for line in identifying.member_lines(ctx.session, tr))))
    # paged, the guide opens in short, on a page or two; the whole of it (20-35 pages with the largest English
    # text) only when asked for: "Page 1 of 34" sent people away before they knew whether to start (review h, M6)
    in_short = ctx.session.profile.assisted and not ctx.session.whole_guide
    if in_short:
        column.addWidget(_in_short(ctx, guide.summary(service, tr)))
        # the way to the rest: its name in bold over what it holds, unlike the plain 下一页 beside it (review j, M2)
        column.addWidget(wrapping_button(f"{tr.t('guide.read_whole')}\n{tr.t('guide.read_whole_what')}",
                                         controller.whole_guide, "WholeGuide", tr.t("guide.desc_read_whole"),
                                         ctx.theme, lead=True))
    else:
        _whole_guide(ctx, column)
    open_now = ctx.session.is_open(service)
    session = ctx.session
    closed = "" if open_now else opening.closed_reason(service.hours, session.clock(), session.calendar, tr)
    if service.proxy_allowed:               # 代为办理: beside the flag that says it is allowed
        for_other = button(tr.t("identity.proxy.apply"), controller.apply_for_other, name="proxy",
                           description=closed or tr.t("identity.desc.proxy"))
        for_other.setEnabled(open_now)          # why: once, under 开始办理
        column.addWidget(for_other)
    book = online_parts.book_button(ctx)
    slip_instead = online_parts.a4_down(ctx, service) and not down     # 开始办理 leads to a slip, and says so
    if not (down or slip_instead):      # 预约到大厅办理 beside the guide; else, in the action row
        column.addWidget(book)
    column.addWidget(complaint.entry(ctx))      # 办不成事 about this very service, after reading its guide
    column.addStretch(1)
    apply = design.primary(tr.t("document.slip.apply" if slip_instead else "detail.apply"), controller.apply,
                           tr.t("document.slip.desc_apply" if slip_instead else "desc.apply"))
    apply.setEnabled(online_parts.can_start(ctx, service))
    slip = ctx.session.online.a4_ready is False     # the A4 printer's line is red: say which printer prints it
    print_guide = button(tr.t("guide.print_slip" if slip else "guide.print"), controller.print_guide,
                         name="PrintGuide", description=tr.t("guide.desc_print_slip" if slip else "guide.desc_print"))
    status = ctx.session.guide_print
    print_guide.setEnabled(status is None or status.stage is Printing.PRINTED)
    if status is not None and status.stage is Printing.NOT_PRINTED:
        # the same tap would fail the same way (the roll is out): the words say so, the guide stays to photograph
        # (review i, M5)
        print_guide.setText(tr.t("guide.print_failed"))
        print_guide.setAccessibleName(print_guide.text())
    pane = scrolling(content, tr.t("detail.title"), tr.t("desc.guide"))
    body: list[QWidget] = [pane]
    if closed:                  # why 开始办理 waits and when it will not, full width right above it
        apply.setEnabled(False)
        apply.setAccessibleDescription(closed)
        body.append(label(closed, "Reason"))
    back = ctx.back_button("guide.back_to_short" if ctx.session.profile.assisted and not in_short else "common.back")
    footer = [back, print_guide, *([book] if down or slip_instead else []), apply]

    def answered() -> bool:
        """The centre or the A4 printer answered the guide's check: when both can serve, the buttons that
        waited for them come alive in place; when one cannot, the way out leads a guide built anew."""
        if online_parts.cannot_start(ctx, service) or ctx.session.problem:
            return False
        online_parts.bookable(ctx, book)
        apply.setEnabled(not closed and online_parts.can_start(ctx, service))
        return True
    ctx.live.append(answered)
    subtitle = tr.t("guide.section.summary" if in_short else "detail.title")     # in short: the summary's heading
    return ctx.page(tr.local(service.name), body, subtitle="" if way_out else subtitle,
                    notes=_print_note(ctx), footer=footer)
