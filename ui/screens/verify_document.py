"""文书核验: a bank clerk, an employer or the holder scans a printed certificate's QR code (or types the
code beside it) and the kiosk says what the centre holds of it: genuine or revoked, type, issuer,
issue time, the holder masked. The paper's own content is compared by the reader's eyes."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.application import CHINA_TZ
from kiosk.certified import CODE_ALPHABET, CODE_LENGTH, code_problem, grouped
from kiosk.online import DocumentCheck
from ui import design
from ui.access import cursor_in_first
from ui.paging import WHOLE
from ui.screens.context import ScreenContext
from ui.screens.form import code_keys, typing_area
from ui.widgets import CodeField, button, label, scrolling, together, widest_button_px

SHOWN_LENGTH = len(grouped("M" * CODE_LENGTH))       # the code in fours, as printed beside the QR and read back
UNKNOWN = "verify.unknown_code"              # the centre holds no such code: a verdict, said in its panel


def _verdict(ctx: ScreenContext, check: DocumentCheck) -> QWidget:
    """The verdict, the largest thing on the screen: genuine in the confirmation panel with the code in
    fours to compare with the paper, revoked in the refusal panel. First in the content, whole on page 1."""
    tr = ctx.tr
    if not check.valid:
        panel = design.refusal_panel(tr.t("verify.revoked_title"), tr.t("verify.revoked_text"), ctx.theme)
    else:
        panel = design.confirmation_panel(tr.t("verify.valid_title"), grouped(check.code), tr, ctx.theme,
                                          tr.t("document.code"))
        # the code whole on one line, to read against the paper (wrapped, its last group was cut), in the title's
        # size where that leaves the rows their room (the glass's width in portrait, two fifths beside them),
        # else a lead's (the largest English text)
        room = ctx.room if ctx.portrait else ctx.room * 2 // 5
        large = widest_button_px([grouped(check.code)], ctx.theme, bold=True, text_px=ctx.theme.title_px) <= room
        for code in panel.findChildren(QLabel, "PanelReference"):
            code.setWordWrap(False)
            code.setProperty("quiet", not large)
    panel.setAccessibleName(tr.t("verify.valid_title" if check.valid else "verify.revoked_title"))
    panel.setAccessibleDescription(tr.t("verify.valid_text" if check.valid else "verify.revoked_text"))
    panel.setFocusPolicy(Qt.TabFocus)       # one stop for the keypad, and one block when paged: never split
    return panel


def _result(ctx: ScreenContext, check: DocumentCheck) -> QWidget:
    """What the centre holds of it, to compare with the paper: a summary list (GOV.UK's), each row its
    question (quiet) beside its answer (bold), so the four rows take four lines even in large text."""
    tr = ctx.tr
    issued = check.issued_at.astimezone(CHINA_TZ)
    rows = [design.Answer(tr.t("verify.type"), tr.local(check.title)),
            design.Answer(tr.t("document.issuer"), tr.local(check.issuer)),
            design.Answer(tr.t("document.issued_at"), f"{issued:%Y-%m-%d %H:%M}"),
            design.Answer(tr.t("verify.holder"), check.holder)]
    return design.answers(rows, tr, ctx.theme, beside=True)


def _answer(ctx: ScreenContext, check: DocumentCheck) -> QWidget:
    """The verdict and what the centre holds, then what to do with it. The comparison with the paper is the
    task (a genuine code copied onto a forged paper), so the four rows are one block, beside the verdict in
    landscape and under it in portrait, never paged row by row (the accessible mode showed one of them at
    1366x768); on the next page only where the glass cannot hold both (portrait, the largest English text).
    The two sentences after them go on a next page where the glass is too short."""
    tr = ctx.tr
    issued = check.issued_at.astimezone(CHINA_TZ)
    what = tr.t("verify.valid_by", issuer=tr.local(check.issuer), date=f"{issued:%Y-%m-%d}") \
        if check.valid else tr.t("verify.revoked_text")
    verdict, table = _verdict(ctx, check), _result(ctx, check)
    table.setProperty(WHOLE, True)          # the rows together, on the verdict's page wherever the glass holds both
    blocks: list[QWidget] = [verdict, table]
    if not ctx.portrait:
        top = QWidget()
        top.setProperty(WHOLE, True)
        beside = QHBoxLayout(top)
        beside.setContentsMargins(0, 0, 0, 0)
        beside.setSpacing(ctx.theme.gap_px * 2)
        beside.addWidget(verdict, 0, Qt.AlignTop)       # as wide as its code, the rows the rest
        beside.addWidget(table, 1, Qt.AlignTop)
        blocks = [top]
    return scrolling(ctx.stacked(*blocks, label(what), label(tr.t("verify.paper_note"))),
                     tr.t("verify.title"), tr.t("desc.guide"))


def build(ctx: ScreenContext) -> QWidget:
    tr, session, online = ctx.tr, ctx.session, ctx.controller.online
    check_result = session.online.document_check
    if check_result is not None:     # the answer alone; 核验另一份 goes back to the code
        pane = _answer(ctx, check_result)
        another = design.primary(tr.t("verify.another"), online.check_another, tr.t("verify.desc.another"))
        another.setProperty("handle", "CheckAnother")         # the one way on: a clerk checks the next paper
        return ctx.page(tr.t("verify.title"), [pane], footer=[ctx.back_button(), another])
    typed = session.online.check_code
    wrong = session.problem is not None and session.problem == code_problem(typed)[0]
    # the keys leave the field the room for the whole code: beside two thirds of the row, the largest English
    # showed "Q3 MX9D PA2H W5", its first letters scrolled away (review i, M4)
    whole_code = widest_button_px([grouped("M" * CODE_LENGTH)], ctx.theme) + 2 * ctx.theme.gap_px
    share = min(2 / 3 if ctx.theme.large else 1 / 2, 1 - whole_code / ctx.room)
    keypad, keys = code_keys(ctx, share, only=CODE_ALPHABET)      # no 0, 1, I, O: the codes never hold them
    code = CodeField(keypad, SHOWN_LENGTH, grouped=True)
    keypad.attach(code)
    code.setObjectName("field_check_code")
    code.setText(grouped(typed))
    code.setProperty("problem", wrong)        # the field in error takes the error colour's border
    code.setAccessibleName(tr.t("verify.code"))
    code.setAccessibleDescription(tr.t("desc.code_field"))
    count = label(tr.t("verify.typed_count", typed=len(typed), length=CODE_LENGTH), "Muted")
    count.setObjectName("CodeCount")

    def edited(_text: str) -> None:
        plain = code.value()
        online.edit_progress("check_code", plain)
        count.setText(tr.t("verify.typed_count", typed=len(plain), length=CODE_LENGTH))
    code.textChanged.connect(edited)
    fields = QWidget()
    column = QVBoxLayout(fields)
    column.setContentsMargins(0, 0, 16, 0)
    column.setSpacing(ctx.theme.gap_px)
    cursor_in_first([code], frozenset({"check_code"} if session.problem else ()))
    hint = label(tr.t("verify.hint_scan" if online.has_scanner else "verify.hint_type"))
    column.addWidget(design.device_note(design.Device.SCANNER, hint, ctx.theme, tr) if online.has_scanner else hint)
    # the problem at its field, the one field of the screen (in portrait a summary on top was 280 px away;
    # both did not fit the accessible mode's glass); the bar holds the words only, the field keeps its whole
    # width (in the bar it lost 26 px, and at 1366 assisted the code's first group scrolled out of sight)
    # within reach (portrait, accessible) the band holds the field and its keys; the words above it, the whole
    # sentence (in the band, beside the field, the largest English was cut to its first line)
    said = [design.inline_error(ctx.problem() or "")] if wrong else []
    question = together(label(tr.t("verify.code"), "Muted"), *([] if ctx.reach_px else said), code, count,
                        spacing=ctx.theme.gap_px)
    column.addWidget(question)
    column.addStretch(1)
    waiting = session.online.waiting
    check = button(tr.t("online.waiting" if waiting else "verify.check"), online.check_typed, name="Primary",
                   description=tr.t("verify.desc.check"))
    check.setEnabled(not waiting)
    unknown = session.problem == UNKNOWN
    notes = [design.refusal_panel(tr.t("verify.unknown_title"), tr.t(UNKNOWN), ctx.theme)] if unknown else []
    notes += said if ctx.reach_px else []
    pane, footer = ctx.questions(fields, check, online.check_typed, ctx.back_button(),
                                 question if session.problem else None)
    return ctx.page(tr.t("verify.title"), [typing_area(ctx, pane, [keys], letters=False, scroll=pane is fields)],
                    footer=footer, notes=notes, problem="" if unknown or wrong else None)
