"""Touch widgets shared by the screens: big buttons, wrapped labels, the keypads and their fields, the page frame.

Every control carries an accessible name and description: the voice reads them, the audit checks them.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable

from PySide6.QtCore import QMimeData, QObject, QSize, Qt
from PySide6.QtGui import (
    QFocusEvent,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QResizeEvent,
    QTextCursor,
    QTextLayout,
    QTextOption,
    QValidator,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.grouping import FOURS, MOBILE, in_groups
from ui import paging
from ui.after_paint import soon
from ui.paging import Pages
from ui.theme import Theme

WORD_JOINER = "\u2060"         # no line break here (Unicode line breaking, class WJ)


def button(text: str, on_tap: Callable[[], None], name: str = "", checked: bool | None = None,
           description: str = "") -> QPushButton:
    """A touch button; `name` selects a style (Primary) and is the handle tests use."""
    widget = QPushButton(text)
    widget.setObjectName(name or "")
    widget.setAccessibleName(text)
    widget.setAccessibleDescription(description)
    widget.setFocusPolicy(Qt.StrongFocus)
    widget.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
    if checked is not None:
        widget.setCheckable(True)
        widget.setChecked(checked)
    widget.clicked.connect(lambda _=False: on_tap())
    return widget


class WrappingButton(QPushButton):
    """A button whose lines wrap to its width: long service names in large text or in English.

    QPushButton draws one unwrapped line; here a wrapped label inside draws the text and the
    button grows to the label's height for its width.
    """

    def __init__(self, text: str, margin: int, lead: bool = False) -> None:
        """lead: the first line is a heading (the service's name, larger and bold), the rest below it in body
        text. Two plain labels, not one in rich text: Qt lays plain words out without a text document, and
        the service list's 18 rich tiles were the largest part of building it."""
        super().__init__()
        first, _, rest = text.partition("\n") if lead else ("", "", text)
        self.heading = label(first, "TileHeading") if lead else None
        self.inside = label(rest)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(0)
        for words in self.words:
            words.setAttribute(Qt.WA_TransparentForMouseEvents, True)
            layout.addWidget(words)
        policy = QSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        return max(super().sizeHint().height(), self.minimumHeight(), self.layout().totalHeightForWidth(width))

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        self._mark_focus(True)
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        self._mark_focus(False)
        super().focusOutEvent(event)

    @property
    def words(self) -> list[QLabel]:
        """The labels that draw the words: the heading (if any), then the rest."""
        return [self.inside] if self.heading is None else [self.heading, self.inside]

    def _mark_focus(self, on: bool) -> None:
        """The words inside take the focus colours too (the stylesheet cannot select a label by its
        button's focus)."""
        for words in self.words:
            words.setProperty("focused", on)
            words.style().unpolish(words)
            words.style().polish(words)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        width = super().sizeHint().width()
        return QSize(width, self.heightForWidth(width))


def wrapping_button(text: str, on_tap: Callable[[], None], name: str, description: str,
                    theme: Theme, lead: bool = False, centred: bool = False) -> WrappingButton:
    """lead: the first line of text is the button's heading, larger and bold, above the other lines. centred: an
    action's words, as every button's are (at the left of a white box they read as a field to type in: review j,
    minor 1); a choice's stay at the left, beside its mark."""
    widget = WrappingButton(text, theme.px(4) + theme.focus_px, lead)
    if centred:
        widget.inside.setAlignment(Qt.AlignmentFlag.AlignCenter)
    widget.setObjectName(name)
    widget.setAccessibleName(text.replace("\n", " "))
    widget.setAccessibleDescription(description)
    widget.setFocusPolicy(Qt.StrongFocus)
    widget.clicked.connect(lambda _=False: on_tap())
    return widget


def widest_button_px(texts: Iterable[str], theme: Theme, bold: bool = False, text_px: int = 0) -> int:
    """The width a button needs for the longest of these texts on one line (in text_px, else the body's size),
    padding and focus ring included."""
    font = QFont()
    font.setPixelSize(text_px or theme.text_px)
    font.setBold(bold)
    metrics = QFontMetrics(font)
    return max(metrics.horizontalAdvance(t) for t in texts) + 2 * (theme.px(4) + theme.focus_px)


def columns_that_fit(texts: Iterable[str], theme: Theme, room: int, bold: bool = False) -> int:
    """As many buttons per row as fit room with their text whole, spread over rows of equal length."""
    texts = list(texts)
    widest = widest_button_px(texts, theme, bold)
    fits = max(1, min(len(texts), (room + theme.gap_px) // (widest + theme.gap_px)))
    rows = -(-len(texts) // fits)
    return -(-len(texts) // rows)


def label(text: str, name: str = "", wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setObjectName(name)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.NoTextInteraction)   # no selection or drag out of the kiosk
    return widget


def case_number(number: str, quiet: bool = False) -> QLabel:
    """A case number large and centred (quiet: the size of a value, at the start of its line, where it is not
    the answer), grouped for reading (XY-DEMO-01-2026 1122-0003): a line breaks only at a group's space, never
    at a dash, so no line ends in "XY-" with the rest of a group on the next."""
    from kiosk import receipt  # not on the way to the first frame, which shows no case number

    glued = WORD_JOINER + "-" + WORD_JOINER
    widget = label(receipt.readable(number).replace("-", glued), "CaseNumber")
    widget.setProperty("quiet", quiet)
    if not quiet:
        widget.setAlignment(Qt.AlignCenter)
    widget.setAccessibleName(number)
    return widget


CARD_SPACING = 12
CARD_MARGIN = (24, 20)


def card(*children: QWidget, spacing: int = CARD_SPACING, margin: tuple[int, int] = CARD_MARGIN) -> QFrame:
    """children framed on the surface colour; margin: (left and right, top and bottom)."""
    frame = QFrame()
    frame.setObjectName("Card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(margin[0], margin[1], margin[0], margin[1])
    layout.setSpacing(spacing)
    for child in children:
        layout.addWidget(child)
    return frame


def together(*children: QWidget, spacing: int) -> QWidget:
    """A question's label, answer and hint in a column paged whole: never the label at a page's foot and its
    field on the next."""
    block = QWidget()
    block.setProperty(paging.WHOLE, True)
    column = QVBoxLayout(block)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(spacing)
    for child in children:
        column.addWidget(child)
    return block


def keys_card(keypad: QWidget) -> QFrame:
    """A keypad's card: a thin edge, since the keys are what is touched and every line of the glass counts."""
    return card(keypad, margin=(12, 12))


def bring_into_view(widget: QWidget) -> None:
    """The scroll area widget is in, if any, scrolled to show it: a field given the cursor below the fold."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(widget)


def scrolling(content: QWidget, name: str = "", description: str = "") -> QScrollArea:
    """A scroll area a finger can drag, as on a phone: kiosks have no scroll wheel. Named, because a
    pane of text only is a stop for the keypad, which pages through it."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 12, 0)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    # the content after the holder is in the area: setWidget measures what the holder holds, and every label of a
    # long content (the whole guide) was laid out and polished then in the default font, out of the window, to be
    # polished and laid out again in the stylesheet's once in it
    area.setWidget(holder)
    column.addWidget(content)
    column.addStretch(1)            # content keeps its natural height; the space goes below it
    area.setAccessibleName(name)
    area.setAccessibleDescription(description)
    # checked once the layout has settled (the loop's next turn): while it is built the area is 100x30 and
    # everything overflows
    area.verticalScrollBar().rangeChanged.connect(lambda: soon(area, lambda: _flick(area)))
    return area


def side_by_side(widgets: list[QWidget], gap: int, places: int) -> QWidget:
    """widgets side by side at equal widths, in a row of places: a short last row keeps its widgets' width."""
    block = QWidget()
    line = QHBoxLayout(block)
    line.setContentsMargins(0, 0, 0, 0)
    line.setSpacing(gap)
    for widget in widgets + [QWidget() for _ in range(places - len(widgets))]:
        line.addWidget(widget, 1)
    return block


def open_with(area: QScrollArea, first: QWidget) -> bool:
    """first at the top of the content of area (made by scrolling), scrolled or paged with it; False where that
    content is not a column, and first is not placed."""
    content = next(iter(paging.laid_out(area.widget().layout())), None)
    column = content.layout() if content is not None else None
    if not isinstance(column, QVBoxLayout):
        return False
    column.insertWidget(0, first)
    return True


DRAG = "drag"        # a window's property: the gesture type number of its areas' drags


def _flick(area: QScrollArea) -> None:
    """The finger's drag, once the area has something to scroll (a grab that is not needed costs the gesture
    manager a look at every event the area gets)."""
    if area.property("flicks") or not area.isVisible() or area.verticalScrollBar().maximum() <= 0:
        return
    area.setProperty("flicks", True)
    scroller = QScroller.scroller(area.viewport())
    area.viewport().grabGesture(_drag(area.window()))
    properties = scroller.scrollerProperties()
    properties.setScrollMetric(QScrollerProperties.MousePressEventDelay, 0)   # a tap is a tap at once
    scroller.setScrollerProperties(properties)


def _drag(window: QWidget) -> Qt.GestureType:
    """The one gesture type of every drag in window. QScroller.grabGesture registers a recognizer, with a new type
    number, for each area it is given, and PySide keeps each new number as a new enum member for good (~3 KB):
    every guide a citizen read added one (bench.soak's visits did not wait for it). Qt's flick recognizer serves
    any widget with a scroller, so it is registered once, on an object that goes with the window (with the
    application, its scroller outlived Qt's gestures and crashed the exit)."""
    number = window.property(DRAG)
    if number is None:
        number = QScroller.grabGesture(QObject(window), QScroller.LeftMouseButtonGesture).value
        window.setProperty(DRAG, number)
    return Qt.GestureType(number)


def discard(widget: QWidget) -> None:
    """Hide at once, delete soon: a past citizen's screen must not linger even for a frame. Not taken out of
    the window first: a widget leaving the stylesheet's window is unpolished, every child of it, which cost
    a screen change 10-20 ms for a tree that is deleted on the loop's next turn anyway."""
    widget.hide()
    widget.deleteLater()


class Band(QWidget):
    """The lower part of a screen within reach: it asks for its height, and takes no more while the
    stretch above it wants the rest; a content taller than that still gets its minimum, never squeezed
    (the audit then names what sits above the reach line)."""

    def __init__(self, height: int) -> None:
        super().__init__()
        self.height_ = height

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        """A wrapping button inside would make the band ask for every line's height at its narrowest
        width and push the controls above the reach line: within reach, its height is the band's."""
        return not self.height_ and super().hasHeightForWidth()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        hint = super().sizeHint()
        if not self.height_:
            return hint
        # its words' height at the width it has (once laid out): a field's label and the keys under it need
        # more than their minimum says, and were squeezed into the band's height, keys cut in half. Not where
        # pages fill it: they fit themselves to the height they are given, and would chase their own tail
        layout = self.layout()
        paged = any(pages.isVisibleTo(self) for pages in self.findChildren(Pages))
        wrapped = layout.totalHeightForWidth(self.width()) \
            if self.width() > 0 and layout is not None and layout.hasHeightForWidth() and not paged else 0
        return QSize(hint.width(), max(self.height_, self.minimumSizeHint().height(), wrapped))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self.height_ and event.oldSize().width() != event.size().width():
            self.updateGeometry()       # its words wrap otherwise at the new width: its height is asked again


def _touchable(widget: QWidget) -> bool:
    """widget has a control in it, one that takes a tap: within reach it stays in the band at the bottom. A
    keypad's stop that only reads out (文书核验's verdict) is words, not a control."""
    return any(child.focusPolicy() & Qt.ClickFocus for child in [widget, *widget.findChildren(QWidget)])


def _touch_last(blocks: list[QWidget]) -> bool:
    """blocks are words to read, with nothing to touch or only after all the words (the guide's 投诉建议 under it):
    paged under the title and sunk to the foot of the glass, such controls sit just above the footer, within
    reach, and the words have the glass's height (the whole guide in portrait took 39 pages in the band). A list
    of buttons alone is no reading: under the title its pages held the services from the top of the glass, above
    the reach line (English, the accessible list's category)."""
    touched = [_touchable(block) for block in blocks]
    return touched == sorted(touched) and touched[:1] != [True] and not any(_asks(block) for block in blocks)


def _asks(widget: QWidget) -> bool:
    """widget holds a question: a field to type in or a choice to mark (a button to tap on is no question)."""
    return any(isinstance(w, (QLineEdit, QPlainTextEdit)) or (isinstance(w, QPushButton) and w.isCheckable())
               for w in [widget, *widget.findChildren(QWidget)])


def _reach_blocks(widget: QWidget) -> list[QWidget]:
    """What decides whether filling content goes within reach: a paged pane's blocks (its own page buttons
    aside); content that pages itself to fit as a whole (a form's fields beside their keys, which under the
    title were out of a wheelchair's reach); nothing of a pane that scrolls, which needs the glass's height."""
    if isinstance(widget, Pages):
        return widget.blocks
    return [widget] if widget.findChild(Pages) is not None else []


SAYS = "says"       # a button's property: every text it will carry on this screen (a pager's 继续 and 下一步)


def _footer_columns(actions: list[QWidget], theme: Theme, room: int) -> int:
    """All actions in one row when their texts fit side by side in room (0: not known), else as many a row as
    fit: a third action in English or large text otherwise made the screen wider than the glass. A button that
    will say other words on this screen (SAYS) is counted at its widest."""
    says = [w.property(SAYS) or [w.text()] for w in actions if isinstance(w, (QPushButton, QLabel))]
    if not room or len(says) < len(actions):
        return len(actions)
    font = QFont()
    font.setPixelSize(theme.text_px)
    font.setBold(True)
    metrics = QFontMetrics(font)
    needed = sum(max(metrics.horizontalAdvance(t) for t in texts) + 2 * (theme.px(4) + theme.focus_px)
                 for texts in says)
    if needed + 2 * theme.gap_px * (len(says) - 1) <= room:
        return len(actions)
    return columns_that_fit([t for texts in says for t in texts], theme, room, bold=True)


def page(title: str, body: Iterable[QWidget], theme: Theme, footer: Iterable[QWidget] = (),
         problem: str | None = None, subtitle: str = "", reach_px: int = 0, notes: Iterable[QWidget] = (),
         room: int = 0, pager: Callable[[QScrollArea], QWidget] | None = None,
         caption: QWidget | None = None) -> QWidget:
    """Every screen's frame: caption, title (none for ""), the problem to fix (if any), notes, content, and actions
    at the bottom.

    With reach_px (assisted mode, portrait) everything to touch sits in the lowest reach_px pixels of the
    screen, where a citizen in a wheelchair reaches it, and the words right above it. With pager
    (the accessible mode) a scroll area's content is paged instead (nothing scrolls, nothing is cut); in
    reach those pages fill the glass under the title, so no empty band parts the title from its content.
    """
    root = QWidget()
    root.setObjectName("Body")
    layout = QVBoxLayout(root)
    layout.setContentsMargins(theme.margin_px, theme.margin_px // 2, theme.margin_px, theme.margin_px // 2)
    layout.setSpacing(theme.gap_px * 2)
    words = QVBoxLayout()
    words.setSpacing(theme.gap_px)
    if caption is not None:         # above the title, as close to it as the subtitle under it (第 2 步，共 5 步)
        words.addWidget(caption)
    whole = label(title, "Title")
    if title:               # "" where the content's own heading says it (a confirmation's panel, as GOV.UK's)
        words.addWidget(whole)
    areas = [widget for widget in body if isinstance(widget, QScrollArea)]
    if subtitle and pager is not None and areas and open_with(areas[0], label(subtitle, "Subtitle")):
        subtitle = ""       # the accessible mode: on the first page, where the largest text left the pages too
                            # little room for a block under it (materials, 1920x1080 English: every line squeezed)
    first_only = [label(subtitle, "Subtitle")] if subtitle else []
    if problem:
        first_only.append(label(problem, "Problem"))
    first_only += notes
    for widget in first_only:
        words.addWidget(widget)
    layout.addLayout(words)
    body = [pager(widget) if pager is not None and isinstance(widget, QScrollArea) else widget for widget in body]
    grows = [isinstance(widget, QScrollArea) or bool(widget.property("fills")) for widget in body]
    scrolls = any(grows)            # a scroll area, or content that fills the height it is given (a form's pages)
    above = pager is not None and bool(reach_px) and scrolls and all(
        _touch_last(_reach_blocks(widget)) for widget in body if widget.property("fills"))
    holder = Band(0 if above else reach_px)     # above: the pages take the height, the actions only their own
    lower = QVBoxLayout(holder)
    lower.setContentsMargins(0, 0, 0, 0)
    lower.setSpacing(theme.gap_px * 2)
    for widget, stretch in zip(body, grows, strict=True):
        if above and stretch:       # words to read, controls only after them: under the title, the glass's height
            layout.addWidget(widget, 1)
            if isinstance(widget, Pages):
                widget.sink(_touchable)     # a page with the controls after the words: right above the footer
        else:
            lower.addWidget(widget, 1 if stretch else 0)
            for pages in (widget.findChildren(Pages) if reach_px and stretch else []):
                pages.sink()        # controls to touch: as low in the band as the pages' room allows
    if not scrolls:
        lower.addStretch(1)
    actions = list(footer)
    if actions:
        rows = QGridLayout()
        rows.setSpacing(theme.gap_px * 2)
        places = [w for w in actions if isinstance(w, QLabel)]      # a pager's "page 2 of 4" between its buttons
        first = 0
        if places and _footer_columns(actions, theme, room) < len(actions):
            for first, widget in enumerate(places, 1):      # too narrow for one row: the place above the buttons
                rows.addWidget(widget, first - 1, 0, 1, -1)
            actions = [w for w in actions if w not in places]
        per_row = _footer_columns(actions, theme, room)
        for index, widget in enumerate(actions):
            rows.addWidget(widget, first + index // per_row, index % per_row)
        lower.addLayout(rows)
    if reach_px and not above:      # the room left over goes above the title: the words stay with what they
        layout.insertStretch(0, 1)  # head, low enough to read seated, not parted from it by an empty band
    layout.addWidget(holder, 0 if reach_px else 1)
    reading = [w for w in body if isinstance(w, Pages) and w.content is not None
               and not any(_asks(block) for block in w.blocks)]
    if reading and title and (above or not reach_px):     # within reach the band's height is fixed: no gain
        _running_head(reading[0], root, words, whole, first_only)
    return root


class RunningHead(QLabel):
    """The screen's title on one line at the body's size, bold, on a reading pane's pages after the first: the
    whole title (three lines in the largest English, in portrait) came back on each of them. Read out whole."""

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.title = " ".join(title.split())
        self.setObjectName("RunningHead")
        self.setAccessibleName(self.title)
        self.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Fixed)     # the width it has, elided to it

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.setText(self.fontMetrics().elidedText(self.title, Qt.ElideRight, self.contentsRect().width()))


def _running_head(pages: Pages, root: QWidget, words: QVBoxLayout, whole: QLabel, first_only: list[QWidget]) -> None:
    """On pages 2..N of a pane to read the title as a running head, and the subtitle, the problem and the notes on
    page 1 only: the room they free goes to the pages, which are split for it (the whole guide in the largest
    English at 1366x768: 43 pages, the three-line title and the printer's problem on each). A pane of questions
    (a form, 办件进度, 文书核验) keeps all of it on every page: its problem is what the citizen puts right there,
    a failed 下一步 lands on the page of the first problem, often not page 1, and a form's summary says which
    answers to fix on every page it is on; with one to three pages the room would buy little."""
    head = RunningHead(whole.text())
    head.hide()
    words.insertWidget(words.indexOf(whole) + 1, head)

    def gained() -> int:
        """How much more height the pages after the first have, at the words' present width."""
        margins = root.layout().contentsMargins()
        width = root.width() - margins.left() - margins.right()      # the words' (known before they are laid out)
        if width <= 0:
            return 0
        head.ensurePolished()
        return (paging.block_height(whole, width) - head.sizeHint().height()
                + sum(paging.block_height(widget, width) + words.spacing() for widget in first_only))

    def head_for(page: int) -> None:
        first = page == 0
        if whole.isHidden() != first:
            return
        for widget in [head] if first else [whole, *first_only]:    # hidden first: each shown lays the frame out
            widget.hide()
        for widget in [whole, *first_only] if first else [head]:
            widget.show()
    pages.head_room, pages.heading = gained, head_for
    head_for(pages.page)


PHONE_KEYS = ("123", "456", "789", "X0⌫")     # ITU-T E.161: 1 2 3 on the top row
CODE_KEYS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM⌫")     # case and certificate numbers
DELETE = "⌫"


class Keypad(QWidget):
    """The kiosk's own keys, row by row; types into the field attached last. The phone keypad (PHONE_KEYS)
    for digits: X, the ID number's check character, shows only while that field takes an ID number, and
    its place stays, so no key moves under a finger. The code keypad (CODE_KEYS) for Latin capitals and
    digits: one layout, digits on top, no language, punctuation or hide key. A shorter row starts half a
    key in, as on a typewriter, and 删除 (the row's last key) takes the rest of its row."""

    def __init__(self, delete_text: str, description: str, gap: int, rows: tuple[str, ...] = PHONE_KEYS,
                 only: str = "") -> None:
        """only: the characters the field can hold (a certificate's code has no 0, 1, I or O); the other keys
        are left out and their row closed up, centred: the empty places kept for the keyboard's order read as
        keys missing or broken (review j, M9), and a code is typed by finding each letter, not by touch."""
        super().__init__()
        self.target: QLineEdit | None = None
        self.x_key: QPushButton | None = None
        grid = QGridLayout(self)
        grid.setSpacing(gap)
        grid.setContentsMargins(0, 0, 0, 0)
        halves = 2 * max(len(row) for row in rows)        # each key two half-columns wide
        for column in range(halves):
            grid.setColumnStretch(column, 1)
        for line, row in enumerate(rows):
            keys = [key for key in row if not only or key in only or key == DELETE]
            at = (0 if 2 * len(row) == halves else 1) if len(keys) == len(row) else (halves - 2 * len(keys)) // 2
            for key in keys:
                text = delete_text if key == DELETE else key
                widget = button(text, lambda k=key: self.press(k), name="Key", description=description)
                widget.setProperty("key", key)
                widget.setFocusPolicy(Qt.TabFocus)  # reached by the keypad's keys; a tap leaves the field's focus
                if key == "X" and rows == PHONE_KEYS:
                    self.x_key = widget
                    paging.keep_place(widget)
                    widget.hide()
                span = halves - at if key == DELETE else 2
                grid.addWidget(widget, line, at, 1, span)
                at += span

    def attach(self, field: QLineEdit) -> None:
        self.target = field
        if self.x_key is not None:
            self.x_key.setVisible(isinstance(field, DigitField) and field.takes_x)
            self.x_key.setEnabled(self.x_key.isVisibleTo(self))

    def press(self, key: str) -> None:
        if self.target is None or (key == "X" and self.x_key is not None and not self.x_key.isEnabled()):
            return
        if key == DELETE:
            self.target.backspace()
        elif len(self.target.text()) < self.target.maxLength():
            self.target.insert(key)      # through the field's validator: a code's groups, capitals


def locked(field: Typed) -> Typed:
    """No drag out, no drop in, no context menu (copy, paste): a previous citizen's number must not be dragged,
    pasted or copied (ui.lockdown stops the clipboard's keys). Done where each field is made, so no field waits
    for a filter to catch it being polished (the screens are built with the application's filter off). A
    TextArea gives nothing to a drag or a copy and takes nothing dropped or pasted (its own overrides)."""
    if isinstance(field, QLineEdit):
        field.setDragEnabled(False)
    field.setAcceptDrops(False)
    field.setContextMenuPolicy(Qt.NoContextMenu)
    return field


def text_field(text: str = "", max_length: int = 0) -> QLineEdit:
    """A field typed on Qt's letter keyboard (pinyin, words), locked."""
    field = locked(QLineEdit(text))
    if max_length:
        field.setMaxLength(max_length)
    return field


class TextArea(QPlainTextEdit):
    """Several sentences typed on Qt's letter keyboard (a complaint), locked: lines tall where the page has the
    room, never fewer than two (the largest English text on a portrait page with its keyboard), and taller as the
    words wrap onto more lines, so what was typed stays in sight (a page that scrolls scrolls it); at most
    max_length characters, as a QLineEdit's maxLength (what an input method commits past it is cut). It answers
    to QLineEdit's names for what the typing machinery uses (text, setText, insert, backspace, maxLength), so
    one code path types into both. Enter starts a new line, as the keyboard's 换行 key shows for a multi-line
    field; only 提交 sends."""

    def __init__(self, max_length: int, lines: int = 4) -> None:
        super().__init__()
        self.max_length, self.lines = max_length, lines
        self.setLineWrapMode(QPlainTextEdit.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapAtWordBoundaryOrAnywhere)     # Chinese has no spaces to wrap at
        self.setTabChangesFocus(True)       # a wired keyboard's Tab leaves, as from every other field
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        locked(self)
        self.document().contentsChange.connect(self._cut)
        self._hinted = QSize()
        self.document().documentLayout().documentSizeChanged.connect(self._rehint)

    def _cut(self, position: int, _removed: int, added: int) -> None:
        over = len(self.toPlainText()) - self.max_length
        if over > 0 and added:
            cursor = QTextCursor(self.document())
            cursor.setPosition(position + added - min(over, added))
            cursor.setPosition(position + added, QTextCursor.KeepAnchor)
            cursor.removeSelectedText()

    def _rehint(self, *_: object) -> None:
        """Its layout asked again whenever the wrapped lines change: with text, or with its width (a scroll bar
        shown or gone rewraps them without a signal of the document's)."""
        if self.sizeHint() != self._hinted:
            self._hinted = self.sizeHint()
            self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._rehint()

    def _line_px(self) -> float:
        """A line's height as laid out, with the fallback font Chinese takes (taller than the font's own)."""
        layout = QTextLayout("国H", self.font())
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(1000)
        layout.endLayout()
        return max(line.height(), self.fontMetrics().lineSpacing())

    def _px(self, text_px: float) -> int:
        """Tall enough for text_px of lines: the document's margins, and around the viewport the frame and the
        style sheet's padding and border (the widget's height less its viewport's)."""
        chrome = self.height() - self.viewport().height()
        return math.ceil(text_px + 2 * self.document().documentMargin()) + chrome

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        block, written = self.document().firstBlock(), 0.0      # the lines as wrapped now
        while block.isValid():
            written += self.blockBoundingRect(block).height()
            block = block.next()
        return QSize(super().sizeHint().width(), self._px(max(self.lines * self._line_px(), written)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """Two lines whole: squeezed below them, the audit names it clipped."""
        return QSize(super().minimumSizeHint().width(), self._px(min(2, self.lines) * self._line_px()))

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 (QLineEdit's name)
        self.setPlainText(text[:self.max_length])
        self.moveCursor(QTextCursor.End)

    def insert(self, text: str) -> None:
        self.insertPlainText(text)

    def backspace(self) -> None:
        self.textCursor().deletePreviousChar()

    def maxLength(self) -> int:  # noqa: N802 (QLineEdit's name)
        return self.max_length

    def createMimeDataFromSelection(self) -> QMimeData:  # noqa: N802 (Qt's name)
        return QMimeData()      # nothing of a citizen's words leaves by a drag or a copy

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 (Qt's name)
        return False            # nor comes in by a drop or a paste

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 (Qt's name)
        return


Typed = QLineEdit | TextArea
TYPED = (QLineEdit, TextArea)       # the fields a citizen types into: the keyboard, keypad and focus follow them


def typed_field(widget: QObject | None) -> Typed | None:
    """The field widget is, or whose viewport it is (a TextArea's taps land on its viewport); else None."""
    if isinstance(widget, TYPED):
        return widget
    parent = widget.parent() if isinstance(widget, QWidget) else None
    if isinstance(parent, TextArea) and parent.viewport() is widget:
        return parent
    return None


def typed_fields(root: QWidget) -> list[Typed]:
    """Every field under root a citizen types into, in the order they were made."""
    return [w for w in root.findChildren(QWidget) if isinstance(w, TYPED)]


class KeyField(QLineEdit):
    """A field typed on the kiosk's own keys, which follow the field last touched. No input method: the
    keys are on the glass, and the letter keyboard (Qt's) is for Chinese text only."""

    def __init__(self, keypad: Keypad, max_length: int) -> None:
        super().__init__()
        self.keypad = keypad
        self.setMaxLength(max_length)
        locked(self)
        self.setAttribute(Qt.WA_InputMethodEnabled, False)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        self.keypad.attach(self)
        super().focusInEvent(event)

    def value(self) -> str:
        """What was typed, without the spaces a grouped number is shown with (keys type no space)."""
        return "".join(self.text().split())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        """QLineEdit asks for the input panel on a tap whatever its input method (QApplication's autoSip):
        not for this field."""
        application = QApplication.instance()
        assert isinstance(application, QApplication)
        sip = application.autoSipEnabled()
        application.setAutoSipEnabled(False)
        try:
            super().mouseReleaseEvent(event)
        finally:
            application.setAutoSipEnabled(sip)


def typed_text(field: Typed) -> str:
    """What a field holds as the citizen meant it: a number without the spaces of its groups, words as typed."""
    return field.value() if isinstance(field, KeyField) else field.text()


class DigitField(KeyField):
    """Digits on the phone keypad; X too for an ID number."""

    def __init__(self, keypad: Keypad, max_length: int, takes_x: bool = False) -> None:
        super().__init__(keypad, max_length)
        self.takes_x = takes_x


class PhoneField(DigitField):
    """A mobile number on the phone keypad, shown 138 1234 5678 as it is typed (review j, minor 6: 13812345678
    is hard to check back digit by digit); value() is the digits."""

    def __init__(self, keypad: Keypad, digits: int) -> None:
        super().__init__(keypad, len(in_groups("0" * digits, MOBILE)))
        self.setValidator(Grouped(MOBILE, "0-9", self))

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(in_groups("".join(text.split()), MOBILE))


class Capitals(QValidator):
    """Capitals, digits and dashes only, letters made capital as typed: a case or certificate number."""

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        typed = text.upper()
        state = QValidator.Acceptable if re.fullmatch(r"[A-Z0-9-]*", typed) else QValidator.Invalid
        return state, typed, pos


class Grouped(QValidator):
    """The characters of `allowed` (a regular expression's class) shown in groups as they are typed (7KQ3 MX9D
    PA2H W5; 138 1234 5), as the number is printed and read back (kiosk.grouping); letters made capitals; the
    cursor stays after the character it was after."""

    def __init__(self, sizes: tuple[int, ...], allowed: str, parent: QLineEdit) -> None:
        super().__init__(parent)
        self.sizes, self.allowed = sizes, re.compile(f"[{allowed}]*")

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        plain = "".join(text.split()).upper()
        if not self.allowed.fullmatch(plain):
            return QValidator.Invalid, text, pos
        before = len("".join(text[:pos].split()))
        return QValidator.Acceptable, in_groups(plain, self.sizes), len(in_groups(plain[:before], self.sizes))


class CodeField(KeyField):
    """Latin capitals and digits on the code keypad (a case number, a certificate's code); a small letter
    typed (a scanner, a technician's keyboard) is made a capital. Grouped: shown in fours, value() without the
    spaces."""

    def __init__(self, keypad: Keypad, max_length: int, grouped: bool = False) -> None:
        super().__init__(keypad, max_length)
        self.setValidator(Grouped(FOURS, "A-Z0-9", self) if grouped else Capitals(self))
