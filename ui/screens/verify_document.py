"""文书核验: a bank clerk, an employer or the holder scans a printed certificate's QR code (or types the
code beside it) and the kiosk says what the centre holds of it: genuine or revoked, type, issuer,
issue time, the holder masked. The paper's own content is compared by the reader's eyes."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from kiosk.application import CHINA_TZ
from kiosk.online import DocumentCheck
from ui.access import cursor_in_first
from ui.keyboard import latin_capitals
from ui.screens.context import ScreenContext
from ui.screens.form import typing_area
from ui.widgets import button, card, label, scrolling

CODE_LENGTH = 16


def _result(ctx: ScreenContext, check: DocumentCheck) -> QWidget:
    tr = ctx.tr
    issued = check.issued_at.astimezone(CHINA_TZ)
    pairs = ((tr.t("verify.type"), tr.local(check.title)), (tr.t("document.issuer"), tr.local(check.issuer)),
             (tr.t("document.issued_at"), f"{issued:%Y-%m-%d %H:%M}"), (tr.t("verify.holder"), check.holder),
             (tr.t("document.code"), check.code))
    verdict = label(tr.t("verify.valid" if check.valid else "verify.revoked"), "Good" if check.valid else "Problem")
    return card(verdict, *(label(tr.t("common.pair", label=k, value=v)) for k, v in pairs),
                label(tr.t("verify.paper_note"), "Muted"))


def build(ctx: ScreenContext) -> QWidget:
    tr, session, online = ctx.tr, ctx.session, ctx.controller.online
    if session.online.document_check is not None:     # the answer alone; 核验另一份 goes back to the code
        pane = scrolling(_result(ctx, session.online.document_check), tr.t("verify.title"), tr.t("desc.guide"))
        another = button(tr.t("verify.another"), online.check_another, name="CheckAnother",
                         description=tr.t("verify.desc.another"))
        return ctx.page(tr.t("verify.title"), [pane], footer=[ctx.back_button(), another])
    code = QLineEdit()
    latin_capitals(code)
    code.setObjectName("field_check_code")
    code.setMaxLength(CODE_LENGTH)
    code.setText(session.online.check_code)
    code.setAccessibleName(tr.t("verify.code"))
    code.setAccessibleDescription(tr.t("desc.field"))
    code.setContextMenuPolicy(Qt.NoContextMenu)
    code.textChanged.connect(lambda text: online.edit_progress("check_code", text))
    fields = QWidget()
    column = QVBoxLayout(fields)
    column.setContentsMargins(0, 0, 16, 0)
    column.setSpacing(ctx.theme.gap_px)
    cursor_in_first([code], frozenset({"check_code"} if session.problem else ()))
    column.addWidget(label(tr.t("verify.hint_scan" if online.has_scanner else "verify.hint_type")))
    column.addWidget(label(tr.t("verify.code"), "Muted"))
    column.addWidget(code)
    column.addStretch(1)
    waiting = session.online.waiting
    check = button(tr.t("online.waiting" if waiting else "verify.check"), online.check_typed, name="Primary",
                   description=tr.t("verify.desc.check"))
    check.setEnabled(not waiting)
    return ctx.page(tr.t("verify.title"), [typing_area(ctx, fields, None, letters=True)],
                    footer=[ctx.back_button(), check])
