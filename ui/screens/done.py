"""The receipt screen: the case number big enough to photograph, and whether paper came out."""
from __future__ import annotations

import io

import qrcode
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk import identifying
from ui.screens.context import ScreenContext
from ui.widgets import button, card, label, scrolling


def build(ctx: ScreenContext) -> QWidget:
    tr, session, controller = ctx.tr, ctx.session, ctx.controller
    app = session.application
    assert app is not None
    number = label(session.case_number or "", "CaseNumber")
    number.setAlignment(Qt.AlignCenter)
    promised = app.promised_date.isoformat() if app.promised_date else tr.t("detail.on_the_spot")
    if controller.printing:
        paper = label(tr.t("done.printing"), "Muted")
    elif session.print_problem:
        paper = label(tr.t("done.not_printed", reason=tr.t(session.print_problem)), "Problem")
    else:
        paper = label(tr.t("done.printed"), "Good")
    details = QWidget()
    column = QVBoxLayout(details)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(card(label(tr.t("done.case_number"), "Muted"), number,
                          label(tr.t("common.pair", label=tr.t("done.promised"), value=promised)),
                          label(tr.t("done.queued"), "Muted")))
    if session.bundle is not None:      # 一件事一次办: every department's case number
        column.addWidget(card(*(label(line) for line in identifying.case_lines(session, tr))))
    if session.print_problem and session.receipt is not None:      # no paper: the whole receipt, to photograph
        copy = [label(tr.t("done.receipt_copy"), "Muted"), label(session.receipt.text(codes=False))]
        copy += [_qr(payload, ctx.theme.target_px * 3) for payload in session.receipt.qr_payloads()]
        column.addWidget(card(*copy))
    return ctx.page(tr.t("done.title"), [scrolling(details, tr.t("done.title"), tr.t("desc.guide"))], notes=[paper],
                    footer=[button(tr.t("done.to_rating"), controller.finish, name="Primary",
                                   description=tr.t("done.desc_to_rating"))])


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
