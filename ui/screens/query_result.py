"""A query-and-print record (查询打印): shown as the centre answered it, and printed at once."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.screens import online_parts
from ui.screens.context import ScreenContext
from ui.widgets import button, card, label, scrolling


def build(ctx: ScreenContext) -> QWidget:
    tr, session = ctx.tr, ctx.session
    record, online = session.online.record, ctx.controller.online
    back = button(tr.t("query.change"), ctx.controller.back, name="back", description=tr.t("online.desc.change"))
    if record is None:
        back.setEnabled(False)
        return ctx.page(tr.t("query.title"), [online_parts.waiting(ctx)], footer=[back])
    rows = [label(tr.t("common.pair", label=tr.local(row.label), value=tr.local(row.value))) for row in record.rows]
    rows.append(label(tr.t("common.pair", label=tr.t("online.print.verification"), value=record.verification_code),
                      "Muted"))
    if record.demo:
        rows.append(label(tr.t("online.demo_note"), "Muted"))
    again = button(tr.t("query.print_again"), online.print_again, name="PrintAgain",
                   description=tr.t("online.desc.print_again"))
    again.setEnabled(not session.online.printing)
    pane = scrolling(card(*rows), tr.local(record.title), tr.t("desc.guide"))
    return ctx.page(tr.local(record.title), [pane], notes=online_parts.paper(ctx),
                    footer=[back, again, online_parts.finish_button(ctx)])
