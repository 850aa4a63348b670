"""The application form, driven by the catalog. Each field is typed on the keys its input declares (the
phone keypad for digits, with X for an ID number; the code keypad for Latin capitals and digits; the letter
keyboard for pinyin); the questions fill the height on pages sized to fit, and a failed 下一步 lists every
problem at the top."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk import idnumber
from kiosk.application import max_length, problem_values
from kiosk.catalog import FieldType, FormField, Input
from kiosk.session import State
from ui import design
from ui.access import cursor_in_first
from ui.after_paint import soon
from ui.keyboard import TextKeyboard
from ui.onward import pages_first
from ui.paging import Pages, block_height, laid_out
from ui.screens.context import ScreenContext
from ui.widgets import (
    CODE_KEYS,
    TYPED,
    CodeField,
    DigitField,
    KeyField,
    Keypad,
    PhoneField,
    TextArea,
    Typed,
    button,
    columns_that_fit,
    keys_card,
    label,
    scrolling,
    text_field,
    typed_field,
    typed_fields,
    typed_text,
    widest_button_px,
)


def _pinyin(fields: list[FormField]) -> bool:
    return any(f.input is Input.PINYIN for f in fields)


def _wide_keys(fields: list[FormField]) -> bool:
    """Keys as wide as a keyboard's beside the fields: the letter keyboard or the code keypad."""
    return any(f.input in (Input.PINYIN, Input.LATIN) for f in fields)


def _choice(ctx: ScreenContext, field: FormField, alone: bool) -> QWidget:
    """The field's choices, as many a row as fit whole; alone (a question a page, the accessible mode) four or
    more go two a row, their words wrapping, so the page holds them with the question and its problem."""
    row = QWidget()
    layout = QGridLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(ctx.theme.gap_px)
    current = ctx.session.form.get(field.key, "")
    buttons = []

    def pick(value: str) -> None:
        ctx.controller.edit_field(field.key, value)
        for other in buttons:
            other.setChecked(other.property("value") == value)

    # the fields' share of the row: three fifths beside the keypad, the rest beside the letter keyboard
    share = 1 - keyboard_share(ctx) if _wide_keys(ctx.session.form_fields) else 0.6
    room = fields_room(ctx, share)
    per_row = min(4, columns_that_fit((ctx.tr.local(c) for c in field.choices), ctx.theme, room - ctx.theme.px(8)))
    if alone and len(field.choices) >= 4:
        per_row = max(per_row, 2)
    for index, choice in enumerate(field.choices):
        widget = design.choice(ctx.tr.local(choice), lambda v=choice.zh: pick(v), ctx.theme,
                               chosen=choice.zh == current, description=ctx.tr.t("desc.choice"))
        widget.setObjectName(f"choice_{field.key}_{index}")     # the handle tests and the keypad find it by
        widget.setProperty("value", choice.zh)
        buttons.append(widget)
        layout.addWidget(widget, index // per_row, index % per_row)
    return row


def _line(ctx: ScreenContext, field: FormField, keypad: Keypad | None, code_keypad: Keypad | None) -> QLineEdit:
    """The field, with the keys its input declares."""
    kind = field.input
    if kind is Input.PHONE:
        assert keypad is not None
        edit: QLineEdit = PhoneField(keypad, max_length(field))
    elif kind is not None and kind.on_keypad:
        assert keypad is not None
        edit = DigitField(keypad, max_length(field), takes_x=kind is Input.ID_NUMBER)
    elif kind is Input.LATIN:
        assert code_keypad is not None
        edit = CodeField(code_keypad, max_length(field))
    else:
        edit = text_field(max_length=max_length(field))
    edit.setText(ctx.session.form.get(field.key, ""))
    edit.setObjectName(f"field_{field.key}")
    edit.setAccessibleName(ctx.tr.local(field.named))
    edit.setAccessibleDescription(ctx.tr.t("desc.code_field" if isinstance(edit, CodeField) else "desc.field"))
    edit.textChanged.connect(lambda _text, k=field.key: ctx.controller.edit_field(k, typed_text(edit)))
    return edit


class KeyboardFollowsFocus(QObject):
    """The letter keyboard while a text field has the focus, the keypad a keypad's field is typed on (the
    phone keypad, the code keypad) while that field has it; a choice leaves whichever was shown. Beside the
    fields, a summary of problems (aside) gives way to the keys once the citizen is in a field. A child of
    the screen, so the app-wide connection ends with it."""

    def __init__(self, parent: QWidget, fields: QWidget, keyboard: QWidget | None, keys: Sequence[QWidget],
                 side: QWidget | None, aside: QWidget | None, settle: bool = False, waits: bool = True) -> None:
        super().__init__(parent)
        self.fields, self.keyboard, self.keys, self.side, self.aside = fields, keyboard, keys, side, aside
        self.waits = waits          # the keys come with their field's focus (else one keypad shows from the start)
        self.row, self.beside = parent, isinstance(parent.layout(), QHBoxLayout)    # landscape: keys beside fields
        self.started = aside is None and not settle
        QApplication.instance().focusChanged.connect(self.follow)
        for field in typed_fields(fields):      # a tap is a citizen's move, window active or not
            field.installEventFilter(self)
            if isinstance(field, TextArea):     # a multi-line field's taps land on its viewport
                field.viewport().installEventFilter(self)
        if not self.started:
            soon(self.row, self.start)
        pages = fields if isinstance(fields, Pages) else fields.findChild(Pages)
        if pages is not None and pages.one_per_page:
            pages.turned.connect(self.page_turned)

    def page_turned(self, _page: int) -> None:
        """Keys go with their fields' page: on a page with no field typed on them they are put away and give the
        fields their room (the complaint's kinds, 535 px of choices beside the phone keypad the number's page had
        left open, were squeezed into 454 in the largest English at 1366x768); a keypad that shows from the start
        comes back with its field's page. Only where the pages hold one question each: elsewhere the room the keys
        give back splits the pages again, and the page shown by its number held other questions (a bundle's 继续
        skipped its retirement question in portrait)."""
        fields = typed_fields(self.fields)
        here = [field for field in fields if field.isVisibleTo(self.fields)]
        wanted = {id(holder) for field in here for holder in self.keys_of(field)}
        keyed = {id(holder) for field in fields for holder in self.keys_of(field)}
        for holder in [holder for holder in self.keys if id(holder) in keyed]:     # not a place kept for none
            holder.setVisible(id(holder) in wanted and (not self.waits or not holder.isHidden()))
        if self.keyboard is not None and not any(not isinstance(field, KeyField) for field in here):
            self.keyboard.hide()
        if self.side is not None:
            aside = self.aside is not None and not self.aside.isHidden()
            self.side.setVisible(aside or any(not holder.isHidden() for holder in self.keys))

    def start(self) -> None:
        """Once the window has put the focus back where it was (a field, after a failed 下一步): that was no
        citizen's move, and the summary beside the fields stays until one is made; nor do keys open for it
        (the letter keyboard under a summary whose link leads to the phone number, settle)."""
        self.started = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """A finger on a field opens its keys: the focus signal alone misses it while the window is not the
        active one (a kiosk whose window manager gave activation elsewhere, the offscreen platform)."""
        if event.type() == QEvent.Type.MouseButtonPress and (field := typed_field(watched)) is not None:
            self.keys_for(field)
        return False

    def follow(self, old: QWidget | None, new: QWidget | None) -> None:
        if self.started and isinstance(new, TYPED):
            self.keys_for(new)

    def keys_for(self, new: Typed) -> None:
        """The keys new takes in place of the summary or the other keys: a citizen's tap, a problem link."""
        if not self.fields.isAncestorOf(new):
            return
        typing = not isinstance(new, KeyField)
        shown = self.keys_of(new)
        if not self.holds_both(shown):      # first: the summary's room is the keys' where the column is short
            self.put_aside()
        if self.keyboard is not None:
            if typing and isinstance(self.keyboard, TextKeyboard) and not self.keyboard.isVisible() and self.beside:
                # beside the fields: no taller than their row (it grows by its candidate bar once active;
                # with the largest text the width it is given would make it taller than the glass holds)
                self.keyboard.fit_height(self.row.height())
            self.keyboard.setVisible(typing)
        for holder in self.keys:
            holder.setVisible(holder in shown)
        self.side_for_keys()
        if typing:      # Qt asks for the input panel only on a second tap; a citizen should not need two
            QGuiApplication.inputMethod().show()
        else:           # the kiosk's own keys: Qt's panel, shown for a name before, is put away
            QGuiApplication.inputMethod().hide()

    def keys_of(self, field: Typed) -> list[QWidget]:
        """Of the screen's keys, the card field is typed on (none: the letter keyboard's field)."""
        keypad = field.keypad if isinstance(field, KeyField) else None
        return [k for k in self.keys if keypad is not None and (k is keypad or k.isAncestorOf(keypad))]

    def offer(self, field: Typed, stay: QWidget) -> None:
        """After a failed 下一步: the cursor in field, the first problem's, with its keys, where the glass holds them
        with the summary and the question; else the summary stays (its link or a tap opens the keys) and the focus
        on stay, the summary's first link or the step's button (the pages turned on the way had hidden the field it
        was in, and it had fallen to 返回)."""
        fits = self.holds_both(self.keys_of(field)) if self.beside and self.aside is not None else \
            self.beside or self.holds_under(field)
        if fits:
            focus_with_keys(self.row, field)
        else:
            stay.setFocus(Qt.OtherFocusReason)

    def holds_under(self, field: Typed) -> bool:
        """Portrait: the words above the fields (a summary), field's question and the keys it takes under them fit
        the height the row has (the largest English squeezed the number field under a summary and a keypad)."""
        column = self.fields.layout()
        pages = self.fields.findChild(Pages)
        if column is None or pages is None or self.row.height() <= 0:
            return False
        width = self.fields.width()
        words = [w for w in laid_out(column) if w is not pages and not w.isHidden()]
        question = next(b for b in pages.blocks if b.isAncestorOf(field))
        keys = self.keys_of(field) or ([self.keyboard] if self.keyboard is not None else [])
        needed = sum(block_height(w, width) + column.spacing() for w in [*words, question]) + \
            sum(block_height(k, self.row.width()) + self.row.layout().spacing() for k in keys)
        return needed <= self.row.height()

    def holds_both(self, shown: list[QWidget]) -> bool:
        """The column beside the fields holds the summary above the keys to show (one problem, a phone keypad, the
        standard text size): the citizen sees what is wrong and the keys to put it right; else the keys take the
        summary's room. Measured before the keys show: a column taller than the row would grow the window."""
        if not shown or self.aside is None or self.aside.isHidden() or self.side is None or self.row.height() <= 0:
            return False
        width, spacing = self.side.width(), self.side.layout().spacing()
        needed = block_height(self.aside, width) + sum(block_height(k, width) + spacing for k in shown)
        return needed <= self.row.height()

    def put_aside(self) -> None:
        """The summary gives way (to the keys a field needs, or to a later page's answers): the column beside
        the fields stays only for keys shown; empty, it would keep the fields narrow."""
        if self.aside is not None:
            self.aside.hide()
        self.side_for_keys()

    def side_for_keys(self) -> None:
        if self.side is not None:
            self.side.setVisible(any(not holder.isHidden() for holder in self.keys))


def focus_with_keys(content: QWidget, field: Typed) -> None:
    """A problem link's way to its field (content: typing_area's): the cursor in it, not by Tab's reason (that
    selects the whole answer, and ⌫ would wipe it), and its keys open (no focus signal while inactive)."""
    field.setFocus(Qt.OtherFocusReason)
    follower = content.findChild(KeyboardFollowsFocus)
    if follower is not None:
        follower.keys_for(field)


def fields_room(ctx: ScreenContext, share: float) -> int:
    """Width inside the fields' column (card margins off) with share of a landscape row."""
    return (ctx.room if ctx.portrait else int(ctx.room * share) - ctx.theme.gap_px * 2) - 16


def keyboard_share(ctx: ScreenContext) -> float:
    """Of a landscape row, the letter keyboard's part: half, or two thirds with large text, where the keys
    grow by a third for eyes and fingers that need it, as long as every choice of the form still fits the
    third left to the fields on one line (long English choices do not: then half)."""
    choices = [ctx.tr.local(c) for f in ctx.session.form_fields for c in f.choices]
    third = fields_room(ctx, 1 / 3) - ctx.theme.px(8)
    if not ctx.theme.large or (choices and widest_button_px(choices, ctx.theme) > third):
        return 1 / 2
    return 2 / 3


def code_keys(ctx: ScreenContext, share: float = 0, only: str = "") -> tuple[Keypad, QWidget]:
    """The code keypad (Latin capitals and digits, or only those of only) and its card, for typing_area: in
    landscape share of the row wide, as the letter keyboard is (ten keys a row would be too narrow in the
    phone keypad's column); by default half, two thirds with large text, where the keys grow for eyes and
    fingers that need it."""
    keypad = Keypad(ctx.tr.t("form.delete"), ctx.tr.t("desc.code_key"), ctx.theme.gap_px, CODE_KEYS, only)
    holder = keys_card(keypad)
    if not ctx.portrait:
        holder.setMinimumWidth(int(ctx.room * (share or (2 / 3 if ctx.theme.large else 1 / 2))))
    return keypad, holder


def typing_area(ctx: ScreenContext, fields: QWidget, keys: Sequence[QWidget], letters: bool,
                share: float = 1 / 2, scroll: bool = True, aside: QWidget | None = None,
                settle: bool = False) -> QWidget:
    """Fields beside their keys (above them, portrait: the keys in the lower part of the glass, within reach).
    keys: the screen's keypads in their cards (the phone keypad, the code keypad), each shown while a field
    typed on it has the focus; in landscape one alone shows from the start. With letters, the on-screen
    keyboard takes their place while a text field has the focus, taking share of a landscape row. aside
    (landscape: a summary of problems) takes the keys' place until the citizen is in a field that needs keys.
    The whole fills the page's height; the fields scroll unless they page themselves (scroll False); settle
    (a summary of problems anywhere): no keys for the field the window puts the focus back in. Shared by
    every screen where citizens type."""
    if scroll:
        fields = scrolling(fields)
    content = QWidget()
    content.setProperty("fills", True)
    row = QVBoxLayout(content) if ctx.portrait else QHBoxLayout(content)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(ctx.theme.gap_px * (1 if ctx.reach_px else 2))     # within reach every line of the band counts
    row.addWidget(fields, 3)
    side = None
    # the keys come with a field that needs them (which of two, only the field knows)
    waits = aside is not None or ctx.portrait or len(keys) > 1
    if keys or aside is not None:
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(ctx.theme.gap_px * 2)
        for widget in (aside, *keys):
            if widget is not None:
                column.addWidget(widget)
        for holder in keys:
            holder.setVisible(not waits)
        column.addStretch(0 if ctx.portrait else 1)
        row.addWidget(side, 2, Qt.AlignBottom if ctx.portrait else Qt.AlignTop)
        if keys and waits:      # in the row first: shown without a parent it was a window of its own, which took
            side.setVisible(aside is not None)      # the kiosk's window out of focus (no keys after a failed 下一步)
    keyboard = None
    if letters:
        keyboard = ctx.keyboards().lend(ctx.tr.language, ctx.room if ctx.portrait else int(ctx.room * share), ctx.theme)
        if ctx.portrait:        # no taller than the keypad it replaces: the band within reach stays put
            keyboard.fit(ctx.room, 4 * ctx.theme.target_px + 3 * ctx.theme.gap_px + 44)
        keyboard.hide()
        row.addWidget(keyboard, 0, Qt.AlignCenter)
    if keyboard is not None or aside is not None or ctx.portrait or len(keys) > 1:
        KeyboardFollowsFocus(content, fields, keyboard, keys, side, aside, settle, waits)
    return content


def _summary(ctx: ScreenContext, problems: list[tuple[FormField, str]],
             reveal: Callable[[FormField], None] | None, room: int) -> QFrame:
    """The error summary (ui.design): each problem says what is wrong, GOV.UK's way ("请输入 11 位手机号码"),
    with its question's name where two say the same ("出生日期：请输入正确的日期"), or only the question's name
    where it is just unanswered (the list stays short on a kiosk's glass; with its section only where two
    questions share a name); each leads to its question (reveal; None: words where links would sit out of reach)."""
    tr = ctx.tr
    short = [tr.local(field.label) for field, _ in problems]      # a bundle's question, its service left out
    names = [tr.local(field.named) if short.count(text) > 1 else text
             for (field, _), text in zip(problems, short, strict=True)]
    required = tr.t("error.required")       # said at each question: the summary lists the questions, short
    said = [message for _, message in problems]
    texts = [name if message == required else message if said.count(message) == 1
             else tr.t("common.pair", label=name, value=message)
             for message, name in zip(said, names, strict=True)]
    return design.error_summary(
        [design.Problem(text, None if reveal is None else (lambda f=field: reveal(f)), field.key, name)
         for (field, _), text, name in zip(problems, texts, names, strict=True)], tr, ctx.theme, room)


def _summary_where_landed(pages: Pages, content: QWidget, landing: QWidget) -> None:
    """A question a page: the summary beside the fields stays on the page a failed 下一步 lands on (landing's);
    a later page says its own problem at its question (GOV.UK's one question a page), and its answers take
    the summary's width, so the largest text's choices need not wrap."""
    follower = content.findChild(KeyboardFollowsFocus)

    def turned(page: int) -> None:
        if page != pages.page_of(landing):
            follower.put_aside()

    pages.turned.connect(turned)


def _block(ctx: ScreenContext, field: FormField, keypads: tuple[Keypad | None, Keypad | None],
           problem: str | None, alone: bool) -> tuple[QWidget, QWidget]:
    """A question: its label, its problem (above the answer, as GOV.UK puts it), the answer, the help; alone on
    its page or not. Returns the block and the control a problem link moves to."""
    block = QWidget()
    column = QVBoxLayout(block)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(ctx.theme.gap_px // 3)
    if field.section.zh:        # a bundle member's question: whose it is, above it (GOV.UK's caption)
        column.addWidget(label(ctx.tr.local(field.section), "Section"))
    column.addWidget(label(ctx.tr.local(field.label), "Muted"))
    if problem is not None:
        column.addWidget(label(problem, "Problem"))
    answer = _choice(ctx, field, alone) if field.type is FieldType.CHOICE else _line(ctx, field, *keypads)
    answer.setProperty("problem", problem is not None)     # the field in error takes the error colour's border
    column.addWidget(answer)
    if field.help.zh:          # beside a problem too: the help often says how to put it right
        column.addWidget(label(ctx.tr.local(field.help), "Muted"))
    target = answer.findChildren(QPushButton)[0] if field.type is FieldType.CHOICE else answer
    return block, target


def build(ctx: ScreenContext) -> QWidget:
    tr, session, theme = ctx.tr, ctx.session, ctx.theme
    principal = session.state is State.PRINCIPAL      # 代为办理: the agent types the principal's name and number
    person = session.agent if principal else session.identity
    assert person is not None
    # the number read from the card is a fact, not a question: masked beside the name, never an open field
    read = [f for f in session.form_fields if not principal and f.type is FieldType.ID_NUMBER
            and session.form.get(f.key) == person.id_number and f.key not in session.form_problems]
    shown = [f for f in session.form_fields if f not in read]
    on_keypad = [f for f in shown if f.input is not None and f.input.on_keypad]
    on_code_keys = [f for f in shown if f.input is Input.LATIN]
    keypad = Keypad(tr.t("form.delete"), tr.t("desc.key"), gap=theme.gap_px) if on_keypad else None
    keys = [keys_card(keypad)] if keypad is not None else []
    code_keypad = None
    if on_code_keys:
        code_keypad, holder = code_keys(ctx, keyboard_share(ctx))
        keys.append(holder)
    who = tr.t("identity.proxy.agent" if principal else "form.applicant")
    # on the name's line: the number must not cost the fields a line of the glass
    people = [tr.t("common.list_separator").join(
        [tr.t("common.pair", label=who, value=person.masked_name())]
        + [tr.t("common.pair", label=tr.local(f.label), value=idnumber.mask(person.id_number)) for f in read])]
    if session.agent is not None and not principal:
        people.append(tr.t("common.pair", label=tr.t("identity.proxy.agent"), value=session.agent.masked_name()))
    problems = [(f, tr.t(session.form_problems[f.key], **problem_values(f))) for f in shown
                if f.key in session.form_problems]
    blocks, targets = [], {}
    one_per_page = session.profile.assisted and len(shown) > 3
    for field in shown:
        block, targets[field.key] = _block(ctx, field, (keypad, code_keypad), dict(problems).get(field), one_per_page)
        blocks.append(block)
    where = "access.question_of" if one_per_page else "access.page_of"
    pages = Pages(blocks, theme.gap_px, *ctx.page_turners(), lambda n, of: tr.t(where, page=n, pages=of),
                  one_per_page=one_per_page)
    pages.setObjectName("FormPages")

    def ask_what_applies() -> None:
        """Only the questions the answers so far make part of the application: pickup hides the postal address."""
        pages.keep([block for field, block in zip(shown, blocks, strict=True) if field.applies(session.form)])

    ask_what_applies()
    revealing = {f.when[0] for f in shown if f.when is not None}
    for field in shown:
        if field.key in revealing:      # a choice that reveals or hides a question: after its answer is kept
            for choice in targets[field.key].parentWidget().findChildren(QPushButton):
                choice.clicked.connect(ask_what_applies)

    def reveal(field: FormField) -> None:
        """A problem link: the page with the field, and the focus in it (its keys follow)."""
        pages.show_block(blocks[shown.index(field)])
        target = targets[field.key]
        if isinstance(target, TYPED):
            focus_with_keys(content, target)
        else:
            target.setFocus(Qt.OtherFocusReason)

    column_widget = QWidget()
    column = QVBoxLayout(column_widget)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(theme.gap_px * 2)
    if principal:               # the subtitle says what to type for whom: the agent's name goes above the fields
        column.addWidget(label(people[0]))
    summary, notes, beside = None, [], not ctx.portrait and bool(keys)
    links: list[QPushButton] = []
    first_problem = targets[problems[0][0].key] if problems else None
    if problems:
        pages.show_block(blocks[shown.index(problems[0][0])])
        if ctx.reach_px:        # within reach only the controls: the list is words above them, paging shows each
            notes.append(_summary(ctx, problems, None, ctx.room))
        else:                   # landscape with keys: in their place until a field needs them; else above
            # the accessible mode: the list is words (继续 leads through the pages, each problem said at its
            # question); links, a target each, would not leave the largest text its room beside the fields
            summary = _summary(ctx, problems, None if session.profile.assisted else reveal,
                               fields_room(ctx, 0.4 if beside else 0.6))
            if not beside:
                column.addWidget(summary)
            if links := summary.findChildren(QPushButton):     # after the window's own focus
                soon(summary, lambda: links[0].setFocus(Qt.OtherFocusReason))
    column.addWidget(pages, 1)
    for pad, typed_on in ((keypad, on_keypad), (code_keypad, on_code_keys)):
        if pad is not None:         # until a field has the focus, the keys type into its first empty one
            pad.attach(targets[next((f for f in typed_on if not session.form.get(f.key)), typed_on[0]).key])
    if not problems:        # the cursor in the first empty field, with the keys it takes, in every mode (as 43, 47)
        asked = [targets[f.key] for f in shown if f.applies(session.form)]
        cursor_in_first([t for t in asked if isinstance(t, TYPED)])     # (a name: pinyin)
    revised = next((f for f in shown if f.key == ctx.controller.revise_field), None)
    if session.revising is not None and revised is not None and not problems:    # 修改 on review: that answer
        pages.show_block(blocks[shown.index(revised)])
        soon(targets[revised.key], lambda: targets[revised.key].setFocus(Qt.OtherFocusReason))

    aside = summary if summary is not None and beside else None
    content = typing_area(ctx, column_widget, keys, letters=_pinyin(shown), share=keyboard_share(ctx),
                          scroll=False, aside=aside, settle=bool(problems))
    if aside is not None and one_per_page:
        _summary_where_landed(pages, content, blocks[shown.index(problems[0][0])])
    onward = button(tr.t("common.next"), ctx.controller.submit_form, name="Primary", description=tr.t("desc.next"))
    if isinstance(first_problem, TYPED):
        # a failed 下一步 moves to the first problem: its field, with the keys to put it right (an old person told
        # "请输入 11 位手机号码" looks for digits to press, review i M2), where the glass holds them with the summary
        # and the question (within reach the summary is above the band: the band holds the question and its keys)
        fixing, follower = first_problem, content.findChild(KeyboardFollowsFocus)
        stay = links[0] if links else onward        # GOV.UK's: the summary's first link, else the step where it was
        soon(fixing, lambda: follower.offer(fixing, stay))
    # the agent at the glass types the applicant's answers: whose details they are, in the title
    title = "identity.proxy.principal_title" if principal else \
        "form.title_for_applicant" if session.agent is not None else "form.title"
    # one flowing line where the glass is wide enough: a line break would cost the fields a line of the glass
    subtitle = tr.t("identity.proxy.principal_hint") if principal else tr.t("common.clause_separator").join(people)
    # 下一步 once every question was on the glass; back a page before back a step
    footer = pages_first(pages, onward, ctx.controller.submit_form, tr, (ctx.back_button(), ctx.controller.back))
    step = ctx.step()
    caption = None
    if step is not None:
        # one place says where the citizen is, the step and the page in it (第 2 步，共 4 步 · 第 1 题，共 3 题): a
        # second count in the footer read as another count of the same thing (review h m3, i minor 9), and took a row of
        # the band within reach (the purpose's four choices were squeezed by 22 px in the largest English)
        caption, said = design.step_indicator(*step, tr), tr.t("design.step", step=step[0], total=step[1])
        footer = [widget for widget in footer if widget is not pages.where]
        pages.counted_above()

        def count(page: int) -> None:
            of = len(pages.pages)
            part = pages.where_text(page + 1, of)
            caption.setText(said if of == 1 else tr.t("design.step_with", step=said, part=part))

        pages.turned.connect(count)
        count(pages.page)
    return ctx.page(tr.t(title), [content], subtitle=subtitle, notes=notes, footer=footer, caption=caption)
