"""Success: the case number large in a confirmation panel, grouped for reading, then what happens next,
where the receipt comes out and the promised date."""
from __future__ import annotations

import io

import qrcode
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk import identifying, receipt, success
from ui import design
from ui.screens.context import ScreenContext
from ui.widgets import card, label, scrolling


def _paper(ctx: ScreenContext) -> QWidget:
    """Where the receipt comes out, with the printer slot's pictogram; or why no paper came out."""
    tr, session = ctx.tr, ctx.session
    if ctx.controller.printing:
        words = label(tr.t("done.printing"), "Lead")
    elif session.print_problem:
        return label(tr.t("done.not_printed", reason=tr.t(session.print_problem)), "Problem")
    else:
        words = label(tr.t("done.printed"), "Lead")
    return design.device_note(design.Device.PRINTER, words, ctx.theme, tr)


def build(ctx: ScreenContext) -> QWidget:
    tr, session, controller = ctx.tr, ctx.session, ctx.controller
    assert session.application is not None and session.service is not None
    # the panel heads the page, the service named in it: above it, the name's two lines in the largest English
    # put the card to take back a page after 完成 (review k, B2)
    panel = design.confirmation_panel(tr.t("done.title"), receipt.readable(session.case_number or ""), tr,
                                      ctx.theme, tr.t("done.case_number"), about=tr.local(session.service.name))
    panel.setAccessibleName(tr.t("done.case_number"))
    panel.setAccessibleDescription(session.case_number or "")
    details = QWidget()
    column = QVBoxLayout(details)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(ctx.theme.space(4))
    # within reach (assisted, portrait) the panel stays with the words above; where the paper is, first on the
    # pages (above too, with the largest English text the panel was squeezed and the window grew)
    if not ctx.reach_px:
        column.addWidget(panel)
    # what to take from the kiosk: the paper, and the card (the commonest loss at a kiosk), together on page 1,
    # never a page turn away (side by side in landscape: one line of the page)
    card_left = success.left_on_the_kiosk(session)
    take = [_paper(ctx)]
    if card_left:
        take.append(design.device_note(design.Device.CARD_READER, label(tr.t("done.next.take_card"), "Lead"),
                                       ctx.theme, tr))
    together = QWidget()
    line = QVBoxLayout(together) if ctx.portrait else QHBoxLayout(together)
    line.setContentsMargins(0, 0, 0, 0)
    line.setSpacing(ctx.theme.space(4))
    for widget in take:
        line.addWidget(widget, 1)
    column.addWidget(together)
    after = [label(tr.t("design.next_steps"), "Heading")]
    steps = success.next_steps(session, tr)
    after += [label("• " + line) for line in (steps[1:] if card_left else steps)]    # the card: said above
    column.addWidget(card(*after))
    if session.bundle is not None:      # 一件事一次办: every department's case number
        column.addWidget(card(*(label(line) for line in identifying.case_lines(session, tr))))
    if session.print_problem and session.receipt is not None:      # no paper: the whole receipt, to photograph
        copy = [label(tr.t("done.receipt_copy"), "Muted"), label(session.receipt.text(codes=False))]
        copy += [_qr(payload, ctx.theme.target_px * 3) for payload in session.receipt.qr_payloads()]
        column.addWidget(card(*copy))
    column.addWidget(label(tr.t("done.queued"), "Muted"))
    column.addStretch(1)
    footer: list[QWidget] = []
    if session.print_problem and controller.printer is not None and not controller.printing:
        footer.append(design.secondary(tr.t("done.print_again"), controller.print_receipt,
                                       tr.t("done.desc_print_again"), name="PrintAgain"))
    footer.append(design.primary(tr.t("done.to_rating"), controller.finish, tr.t("done.desc_to_rating")))
    return ctx.page("", [scrolling(details, tr.t("done.title"), tr.t("desc.guide"))],
                    notes=[panel] if ctx.reach_px else [], footer=footer)


def _qr(payload: str, size: int) -> QLabel:
    """The receipt's tracking code on the glass, for a phone to photograph when no paper came out."""
    png = io.BytesIO()
    qrcode.make(payload, border=4).save(png, format="PNG")
    pixmap = QPixmap()
    pixmap.loadFromData(png.getvalue(), "PNG")
    code = QLabel()
    code.setObjectName("TrackingQR")
    code.setPixmap(pixmap.scaled(size, size, Qt.KeepAspectRatio, Qt.FastTransformation))   # modules stay sharp
    return code
