"""A query-and-print record (查询打印): shown as the centre answered it, and printed at once; for a
certified document (证明), what the centre issued, printed on A4 as the centre signed it."""
from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from kiosk.application import CHINA_TZ
from kiosk.certified import grouped
from kiosk.online import CertifiedDocument
from ui import design
from ui.screens import online_parts
from ui.screens.context import ScreenContext
from ui.widgets import button, card, label, scrolling


def _document(ctx: ScreenContext, document: CertifiedDocument) -> list[QWidget]:
    tr = ctx.tr
    # the number and the code in fours, as on the slip and the verdict, read and typed back a group at a time
    pairs = ((tr.t("document.issuer"), tr.local(document.issuer)),
             (tr.t("document.number"), grouped(document.document_id)), (tr.t("document.code"), grouped(document.code)),
             (tr.t("document.issued_at"), f"{document.issued_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}"),
             (tr.t("document.pages"), tr.t("document.pages_value", pages=document.pages)))
    rows = [label(tr.t("common.pair", label=name, value=value)) for name, value in pairs]
    rows.append(label(tr.t("document.signed"), "Muted"))
    if ctx.session.online.document_prints:
        rows.append(label(tr.t("document.copies"), "Muted"))
    if document.demo:
        rows.append(label(tr.t("online.demo_note"), "Muted"))
    return rows


def build(ctx: ScreenContext) -> QWidget:
    tr, session = ctx.tr, ctx.session
    record, document, online = session.online.record, session.online.document, ctx.controller.online
    back = button(tr.t("query.change"), ctx.controller.back, name="back", description=tr.t("online.desc.change"))
    if record is None and document is None:
        back.setEnabled(False)
        return ctx.page(tr.t("query.title"), [online_parts.waiting(ctx)], footer=[back])
    slip: list[QPushButton] = []
    if document is not None:
        title, rows = tr.local(document.title), _document(ctx, document)
        failed = bool(session.online.print_problem)
        again_text = tr.t("document.print_retry" if failed else "document.print_again")
        if online_parts.slip_first(ctx):
            slip = [design.primary(tr.t("document.slip.print"), online.print_slip, tr.t("document.slip.desc"),
                                   name="PrintSlip")]
        elif online_parts.slip_again(ctx):
            slip = [button(tr.t("document.slip.print_again"), online.print_slip, name="PrintSlip",
                           description=tr.t("document.slip.desc"))]
    else:
        assert record is not None
        title = tr.local(record.title)
        rows = [label(tr.t("common.pair", label=tr.local(row.label), value=tr.local(row.value))) for row in record.rows]
        rows.append(label(tr.t("common.pair", label=tr.t("online.print.verification"),
                                value=record.verification_code), "Muted"))
        if record.demo:
            rows.append(label(tr.t("online.demo_note"), "Muted"))
        again_text = tr.t("query.print_again")
    again = button(again_text, online.print_again, name="PrintAgain", description=tr.t("online.desc.print_again"))
    again.setEnabled(not session.online.printing)
    assert session.service is not None
    said = online_parts.document_not_printed(ctx, session.service)    # first: on the first page when paged
    pane = scrolling(ctx.stacked(*online_parts.outlet(ctx), *said, card(*rows)), title, tr.t("desc.guide"))
    slip_first = online_parts.slip_first(ctx)
    finish = online_parts.finish_button(ctx, primary=not slip_first)
    # the primary always in the last place of the row: with 打印凭条 the primary, 完成 goes first, a secondary
    footer = [finish, back, again, *slip] if slip_first else [back, again, *slip, finish]
    return ctx.page(title, [pane], notes=online_parts.paper(ctx), footer=footer)
