"""The service guide: everything the citizen needs, told once (一次性告知, article 14)."""
from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk import guide, identifying, opening
from kiosk.i18n import Translator
from kiosk.print_status import Printing
from kiosk.voice import guide_print_text
from ui import design
from ui.paging import WHOLE
from ui.screens import complaint, online_parts
from ui.screens.context import ScreenContext
from ui.widgets import button, card, label, scrolling, wrapping_button


def _print_note(ctx: ScreenContext) -> list[QWidget]:
    """Whether the printed guide came out; when it did not, the guide stays here to read or photograph."""
    status = ctx.session.guide_print
    if status is None:
        return []
    style = {Printing.PRINTING: "Muted", Printing.PRINTED: "Good", Printing.NOT_PRINTED: "Problem"}[status.stage]
    return [label(guide_print_text(ctx.session, ctx.tr), style)]


def _section_lines(section: guide.Section, tr: Translator) -> list[QWidget]:
    return [label(section.heading, "Heading"),
            *(label(guide.pair_text(name, value, tr)) for name, value in section.pairs)]


def _in_short(ctx: ScreenContext, summary: guide.Section) -> QWidget:
    """The summary's lines as one block under its heading, the screen's subtitle (简要说明): read whole on the first
    page at every size, before the way to the whole guide. A card, its own heading and the way on above it left
    the largest English with the title, that button and an empty band on page 1 (review j, M2)."""
    lines = ctx.stacked(*(label(guide.pair_text(name, value, ctx.tr)) for name, value in summary.pairs))
    lines.layout().setSpacing(ctx.theme.gap_px // 2)     # a list read as one, its lines a little apart
    lines.setProperty(WHOLE, True)
    return lines


def _whole_guide(ctx: ScreenContext, column: QVBoxLayout) -> None:
    """Every element of the guide, a card each, the materials among them. Paged (the accessible mode), a section
    is its heading over its lines, no card: a page holds two or three lines in the largest English, and a card's
    margins left page 1 of the whole guide with its subtitle alone at 1920x1080, a heading alone at 1366x768."""
    tr, service = ctx.tr, ctx.session.service
    assert service is not None
    section = ctx.stacked if ctx.session.profile.assisted else card
    materials = [label(tr.t("detail.materials"), "Heading")]
    materials += [label("\n    ".join(guide.material_lines(i, m, tr))) for i, m in enumerate(service.materials, 1)]
    if not service.materials:
        materials.append(label(tr.t("guide.no_materials")))
    found = guide.sections(service, tr, ctx.controller.alternative_hall, guide.a4_step(ctx.session))
    for element in guide.around_materials(found):
        column.addWidget(section(*(materials if element is None else _section_lines(element, tr))))
    flags = guide.flags(service)
    if flags:
        column.addWidget(section(*(label("✓ " + tr.t(k), "Good") for k in flags)))


def build(ctx: ScreenContext) -> QWidget:
    tr, controller = ctx.tr, ctx.controller
    service = ctx.session.service
    assert service is not None
    content = QWidget()
    column = QVBoxLayout(content)
    column.setContentsMargins(0, 0, 16, 0)
    column.setSpacing(16)
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
        if not ctx.session.profile.assisted:    # the same few lines first, over the whole guide: what you get, how
            column.addWidget(card(*_section_lines(guide.summary(service, tr), tr)))   # long, the fee, what to bring
        _whole_guide(ctx, column)               # (review k, M9: only the accessible mode had them)
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
