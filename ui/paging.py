"""Pages sized to fit: a screen's blocks (a form's questions) spread over pages that its height holds whole.

Nothing scrolls and nothing is cut in half: a block that does not fit under the last goes to the next page,
reached with "next page" and "previous page" below the blocks (VVSG: long lists are paged, never scrolled).
The split is made again whenever the widget's size changes, so text size, language and window size all hold.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent, QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


def laid_out(layout: QLayout) -> list[QWidget]:
    """The widgets layout places itself (not its inner layouts'), in its order. Asked of the widgets, not of the
    layout's items: a QLayoutItem has no QObject to say when it is deleted, and the binding kept each item asked
    for (layout.itemAt) alive with its layout's wrapper, after Qt had deleted both; a scroll bar made later at
    the same address came back as that item: a screen's build failed with an AttributeError on a scroll bar
    (the accessible walk, one run in three once a gone screen's deletion waited for the next paint), and
    bench.transitions' rare segmentation fault in a deferred deletion."""
    owner = layout.parentWidget()
    if owner is None:
        return []
    placed = [(layout.indexOf(w), w) for w in owner.findChildren(QWidget, options=Qt.FindDirectChildrenOnly)]
    return [w for at, w in sorted((p for p in placed if p[0] >= 0), key=lambda p: p[0])]


def block_height(block: QWidget, width: int) -> int:
    """The height block needs at width, its wrapped lines included."""
    layout = block.layout()
    if layout is not None:
        _measure_afresh(layout)
    if layout is not None and layout.hasHeightForWidth():
        return max(layout.totalHeightForWidth(width), layout.totalMinimumSize().height())
    if block.hasHeightForWidth():
        return block.heightForWidth(width)
    return block.sizeHint().height()


def _measure_afresh(layout: QLayout) -> None:
    """layout and those inside it forget the sizes they keep: a widget changing size (a button polished in the
    style's larger font) clears only the cache of its widget's own layout, and one hidden since it was made
    (on a page not yet shown) is never laid out again to clear the rest. A material's buttons, kept at their size
    before the style, measured 128 px of the 308 they are drawn at, and its page was cut. Only what is not shown:
    a shown layout is kept right by Qt, and clearing it asks it to be laid out again, which asks this page for
    its size again: measured from minimumSizeHint, the kiosk laid itself out without end, a core kept busy on
    every form and every paged screen while it waited for the citizen (1,500 layouts a second)."""
    owner = layout.parentWidget()
    if owner is None or not owner.isVisible():
        layout.invalidate()
    inner = [w.layout() for w in laid_out(layout)] + layout.findChildren(QLayout, options=Qt.FindDirectChildrenOnly)
    for each in inner:
        if each is not None:
            _measure_afresh(each)


def split(heights: list[int], room: int, gap: int, one_per_page: bool = False,
          heads: frozenset[int] = frozenset(), later: int | None = None) -> list[list[int]]:
    """Indexes of the blocks on each page: in order, as many as room holds (at least one a page), later on the
    pages after the first (room where None). A block in heads (a day's date over its slots) never ends a page:
    it goes on with the first block it heads."""
    pages: list[list[int]] = [[]]
    used = 0
    for index, height in enumerate(heights):
        limit = room if len(pages) == 1 or later is None else later
        if pages[-1] and (one_per_page or used + gap + height > limit):
            carried = [pages[-1].pop()] if len(pages[-1]) > 1 and pages[-1][-1] in heads else []
            pages.append(carried)
            used = sum(heights[n] for n in carried)
        used += height + (gap if pages[-1] else 0)
        pages[-1].append(index)
    return pages


def keep_place(widget: QWidget, kept: bool = True) -> None:
    """Whether widget, hidden, keeps its place in its layout, so that nothing beside it moves."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(kept)
    widget.setSizePolicy(policy)


WHOLE = "whole"     # a widget property: a block read as one (a confirmation panel's title with its number)
HEADS = "heads"     # a widget property: a line that names what follows (a material's name), paged as a heading
GOES_ON = "goes_on"     # a widget property: a line of a paragraph taken apart whose sentence goes on after it


def _heads(block: QWidget) -> bool:
    """block is a heading: the words that open a section (接下来, a guide's 基本信息), what the whole is (the
    subtitle the accessible mode pages with the content, ui.widgets.page), or a line marked HEADS."""
    return isinstance(block, QLabel) and (block.objectName() in ("Heading", "Section", "Subtitle")
                                          or bool(block.property(HEADS)))


def lines_of(words: QLabel, width: int) -> list[str]:
    """The label's plain text as Qt lays it out in lines at width (its margins and indent off). A line the
    text breaks itself ("\n    原件：1 份" under a material) is a line of its own with its indent: QTextLayout
    would run it on in the line before."""
    margins = words.contentsMargins()
    inside = width - margins.left() - margins.right() - 2 * max(0, words.indent()) - 2 * words.margin()
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    found = []
    for text in words.text().split("\n"):
        layout = QTextLayout(text, words.font())
        layout.setTextOption(option)
        layout.beginLayout()
        while (line := layout.createLine()).isValid():
            line.setLineWidth(inside)
            laid = text[line.textStart():line.textStart() + line.textLength()].rstrip()
            found.append(laid if line.textStart() == 0 else laid.lstrip())
        layout.endLayout()
    return [line for line in found if line.strip()]


# where a sentence ends: a Chinese stop, or a Latin one and a space before a capital (not "No. 14", nor a list's
# "1. Resident ID card"), or a semicolon; closing brackets and quotes after the stop go with it
SENTENCE_END = re.compile(r"[。；！？][）)」』”’]*|(?<!\d)[.!?][)”’\"']*\s+(?=[A-Z“\"(（])|;\s+")


def sentences_of(text: str) -> list[str]:
    """text in its sentences, each line it breaks itself (a material's "\n    原件：1 份") ending one too: a page
    may end after any of them, never inside one, so no page ends "Type of service: Administrative" and the next
    begins "confirmation" (review j, M1). A sentence after the first in an indented line keeps the indent."""
    found = []
    for part in text.split("\n"):
        indent = part[:len(part) - len(part.lstrip())]
        start = 0
        for end in [m.end() for m in SENTENCE_END.finditer(part)] + [len(part)]:
            sentence = part[start:end].strip()
            if sentence:
                found.append(indent + sentence)
            start = end
    return found


def _in_lines(words: QLabel, width: int, page: int) -> QWidget:
    """words taken apart into its sentences, one label each in a column of no spacing: read as the paragraph
    it was, each sentence on a line of its own, and paged by its sentences; one taller than half the page by its
    lines, as a tall paragraph is (Pages._tall_in_lines), each line but its last marked GOES_ON: Pages.fill ends a
    page inside it only where the page would be left more than half empty (stacked goes into the column, which has
    nothing to touch)."""
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    for sentence in (_line(words, text) for text in sentences_of(words.text())):
        if block_height(sentence, width) <= page // 2:
            layout.addWidget(sentence)
            continue
        lines = [_line(words, text) for text in lines_of(sentence, width)]
        for line in lines:
            line.setProperty(GOES_ON, line is not lines[-1])
            layout.addWidget(line)
        sentence.deleteLater()
    column.setAccessibleName(words.text())
    return column


def _line(words: QLabel, text: str) -> QLabel:
    """A label for some of words' text, drawn and measured as words is."""
    line = QLabel(text)
    line.setObjectName(words.objectName())
    line.setAlignment(words.alignment())
    line.setWordWrap(True)
    line.setFont(words.font())
    return line


def _in_lines_when_tall(block: QWidget) -> bool:
    """block is a paragraph that goes on over pages line by line where a page does not hold it (Pages)."""
    return (isinstance(block, QLabel) and block.wordWrap() and len(block.text()) > 40
            and block.textFormat() != Qt.TextFormat.RichText and not block.property(WHOLE))


def _one_block(widget: QWidget) -> bool:
    """widget is paged whole: no column, something to touch, or marked WHOLE."""
    return (not isinstance(widget.layout(), QVBoxLayout) or bool(widget.focusPolicy() & Qt.TabFocus)
            or bool(widget.property(WHOLE)))


def stacked(content: QWidget) -> list[QWidget]:
    """The lines a pane of content is paged by: its column's widgets, and inside a card or any other column
    with nothing to touch in itself, that column's, so a long card goes on over pages, never cut in half."""
    layout = content.layout()
    if _one_block(content) or not isinstance(layout, QVBoxLayout):
        return [content]
    return [line for w in laid_out(layout) if not w.isHidden() for line in stacked(w)]


class Stack:
    """A pane of content measured once at a width, for the height of any choice of its blocks.

    Filling pages asks for the height of every page as it grows, block by block: walking the widgets and laying
    out their words for each ask made the accessible guide's fill ~80 walks of ~50 widgets, a third of its
    screen change. The walk and each block's height are kept here, for as long as nothing is shown or hidden."""

    def __init__(self, widget: QWidget, width: int) -> None:
        self.widget, self.width = widget, width
        layout = widget.layout()
        self.column = not _one_block(widget) and isinstance(layout, QVBoxLayout)
        self.parts: list[Stack] = []
        self.spacing = self.margins = 0
        self._own: int | None = None        # a block's height, measured when first asked
        if self.column:
            outer, inner = widget.contentsMargins(), layout.contentsMargins()
            inside = width - outer.left() - outer.right() - inner.left() - inner.right()
            self.parts = [Stack(w, inside) for w in laid_out(layout)]
            self.spacing = layout.spacing()
            self.margins = outer.top() + outer.bottom() + inner.top() + inner.bottom()

    def height(self, shown: set[QWidget]) -> int:
        """The height with only the blocks (of those stacked() found) in shown, and the columns that hold them:
        the blocks' own heights, the columns' gaps and the frames' margins, as drawn."""
        if not self.column:
            if self.widget not in shown:
                return 0
            if self._own is None:
                self._own = block_height(self.widget, self.width)
            return self._own
        heights = [h for h in (part.height(shown) for part in self.parts) if h]
        if not heights:
            return 0
        return sum(heights) + self.spacing * (len(heights) - 1) + self.margins


class Pages(QWidget):
    """blocks on pages of this widget's height; earlier and later turn them, where says "page 1 of 2"."""

    turned = Signal(int)        # the page now shown, from 0: a step button that pages first follows it

    def __init__(self, blocks: list[QWidget], gap: int, earlier: QPushButton, later: QPushButton,
                 where: Callable[[int, int], str], one_per_page: bool = False, content: QWidget | None = None,
                 outer: tuple[int, int] = (0, 1), beyond: Callable[[int], None] | None = None) -> None:
        """With content, blocks already sit in it (its cards' lines): a page is as many as content then holds.
        With beyond, the blocks are page outer[0] of outer[1] of a screen that pages itself (the accessible
        list, a few a page): the same two buttons turn past the first or last of these pages with beyond(step),
        so the citizen sees one pager, never two."""
        super().__init__()
        self.outer, self.beyond = outer, beyond
        self.gap, self.one_per_page, self.content = gap, one_per_page, content
        self._take_blocks(blocks)
        self.earlier, self.later, self.where_text = earlier, later, where
        self.where = QLabel()
        self.where.setAlignment(Qt.AlignCenter)
        self.pages: list[list[int]] = [list(range(len(blocks)))]
        self.page = 0
        self.wanted: QWidget | None = None          # a block to show once the pages are known
        self.arranging = False
        self.elsewhere = False                      # the screen's own buttons turn the pages (turned_elsewhere)
        self.where_shown = True                     # False: the screen says which page is shown (counted_above)
        self.sinks: Callable[[QWidget], bool] | None = None       # the pages whose blocks sit low (sink)
        # the screen's frame, where its title is a running head on the pages after the first (ui.widgets.page):
        # how much more height those pages have, at the present width, and the head for a page, set before the
        # page is shown, so this widget's height is page 1's while page 1 is shown and the others' after
        self.head_room: Callable[[], int] = lambda: 0
        self.heading: Callable[[int], None] = lambda page: None
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Ignored)   # the height it is given, not its blocks'
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(gap)
        for block in [content] if content is not None else blocks:
            column.addWidget(block)
        column.addStretch(1)        # the blocks at the top, the turner at the bottom
        self.turner = QWidget()
        row = QHBoxLayout(self.turner)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(gap * 2)          # 第 1 页，共 7 页 clear of the buttons either side, not touching them
        for turner in (earlier, later):
            keep_place(turner)
        row.addWidget(earlier)
        row.addWidget(self.where)
        row.addWidget(later)
        column.addWidget(self.turner)
        earlier.clicked.connect(lambda: self.turn(-1))
        later.clicked.connect(lambda: self.turn(1))
        QApplication.instance().focusChanged.connect(self.follow)

    def _take_blocks(self, blocks: list[QWidget]) -> None:
        self.blocks = blocks
        self.holders: set[QWidget] = set()        # the cards and columns between content and its blocks
        for block in blocks if self.content is not None else ():
            holder = block.parentWidget()
            while holder is not None and holder is not self.content:
                self.holders.add(holder)
                holder = holder.parentWidget()

    def keep(self, blocks: list[QWidget]) -> None:
        """Page only these of the blocks, the others hidden: a question the other answers leave out (GOV.UK's
        conditional reveal: a postal address only once post is chosen) takes no page and no count."""
        assert self.content is None, "a pane's lines are paged as they stand"
        for block in self.blocks:
            if block not in blocks:
                block.hide()
        self.blocks = blocks
        self.pages = [list(range(len(blocks)))]
        if self.wanted not in blocks:
            self.wanted = None
        self.arrange()

    def sink(self, where: Callable[[QWidget], bool] = lambda block: True) -> None:
        """The blocks at the foot of their room, by the page turner and the screen's actions, on the pages with a
        block where says so: within reach, a question sits just above the keys and the footer, not at the top of
        the band with the room under it; a guide's words stay under its title, its controls after them sink."""
        self.sinks = where
        column = self.layout()
        assert isinstance(column, QVBoxLayout)
        column.insertStretch(0, 0)
        self._sink_page()

    def _sink_page(self) -> None:
        """The room of the page shown above its blocks where it sinks (sink), else under them."""
        column = self.layout()
        if self.sinks is None or not isinstance(column, QVBoxLayout):
            return
        down = any(self.sinks(self.blocks[n]) for n in self.pages[self.page])
        column.setStretch(0, int(down))
        column.setStretch(column.count() - 2, int(not down))

    def turned_elsewhere(self) -> QLabel:
        """The screen's footer turns the pages (ui.onward): no row of its own under the blocks, whose room that
        gives back, and "page 1 of 4" for the footer to hold (hidden while there is one page)."""
        self.elsewhere = True
        self.turner.hide()
        self.where.setParent(None)
        self.where.setObjectName("PageWhere")
        return self.where

    def counted_above(self) -> None:
        """The screen says which page is shown itself (the form's 第 2 步，共 4 步 · 第 1 题，共 3 题 above its title):
        "page 1 of 4" is never shown, and stays this widget's (taken out of the footer without a parent, it was
        shown as a window of its own, which took the focus from the field just tapped)."""
        self.where_shown = False
        self.where.setParent(self)
        self.where.hide()

    def follow(self, old: QWidget | None, new: QWidget | None) -> None:
        """The page of a control that gets the focus (a problem link, the window's restore)."""
        for block in self.blocks:
            if new is not None and block.isAncestorOf(new) and block.isHidden():
                self.show_block(block)
                return

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """The least it can page in at its width: its tallest block alone, with the turner's row where it has more
        than one; the rest of the height it is given goes to as many blocks as fit."""
        width = self.width()
        if not self.blocks or width <= 0:
            return QSize(0, 0)
        stack = Stack(self.content, width) if self.content is not None else None
        tallest = max((stack.height({block}) if stack is not None else block_height(block, width)
                       for block in self.blocks if stack is None or not _in_lines_when_tall(block)), default=0)
        turner = not self.elsewhere and (len(self.blocks) > 1 or self.outer[1] > 1)
        return QSize(0, tallest + (self.turner.sizeHint().height() + self.gap if turner else 0))

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        """No: its column's height for width is the page it shows, which the layout took as its minimum, so a page
        filled at a larger size held and the title above was squeezed instead of a block going on to the next page
        (the receipt's title in the largest English text at 1080x1920)."""
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()       # its blocks wrap otherwise at the new width: its least height is asked again
        if not self.arranging:      # measuring shows and hides blocks, which may resize this again
            self.arranging = True
            try:
                for _ in range(3):      # again at the size it came to while measuring, if it changed
                    size = self.size()
                    self.arrange()
                    if self.size() == size:
                        break
            finally:
                self.arranging = False

    def arrange(self) -> None:
        """The split for the present size; the page with the wanted block (or the same page) shown. Page 1 has the
        room it has under the screen's whole title, the pages after it head_room more (the same split whichever
        page is shown: the height this widget has now is the shown page's)."""
        width, room = self.width(), self.height()
        gained = self.head_room()
        room -= gained if self.page > 0 else 0          # page 1's room
        if width <= 0 or room <= 0:
            return
        if self.content is not None:
            self._tall_in_lines(width, room)
        stack = Stack(self.content, width) if self.content is not None else None    # for both fills below
        heights = [] if stack is not None else [block_height(b, width) for b in self.blocks]

        def fill(room: int) -> list[list[int]]:
            if stack is not None:
                return self.fill(room, stack, room + gained)
            return split(heights, room, self.gap, self.one_per_page,
                         frozenset(n for n, block in enumerate(self.blocks) if _heads(block)), room + gained)
        pages = fill(room)
        if not self.elsewhere and (len(pages) > 1 or self.outer[1] > 1):    # the turner's row: from the blocks' room
            room -= self.turner.sizeHint().height() + self.gap
            pages = fill(room)
        heads = [self.blocks[n] for n in pages[0]] if stack is not None and len(pages) > 1 else []
        if heads and all(_heads(block) for block in heads) and heads[0].objectName() == "Subtitle":
            # page 1 holds content beyond its heads: where its subtitle left it no room for the first line they
            # head (the whole guide under a problem in the largest English), the subtitle gives way; the title
            # says whose the page is
            heads[0].hide()
            self._take_blocks([block for block in self.blocks if block is not heads[0]])
            pages = fill(room)
        self.pages = pages
        focused = [b for b in self.blocks if b.isAncestorOf(QApplication.focusWidget())]
        if focused:                 # the keys that came with a field took room: the field stays in sight
            self.wanted = focused[0]
        if self.wanted is not None:
            self.page = self.page_of(self.wanted)
        self.show_page(min(self.page, len(pages) - 1))

    def _tall_in_lines(self, width: int, room: int) -> None:
        """A paragraph taller than half a page (a long sentence in the largest text, in portrait) goes on over pages
        line by line: a block taller than the page would be cut, its last lines never seen, and one that fits a
        page alone but not under what is above it would leave that page all but empty (the A4-printer-out
        guide's page 1 held its subtitle alone). So does one that no page holds under the headings right above it
        (a two-line heading in the largest English, in portrait, was left alone on a page of the whole guide)."""
        page = room - (0 if self.elsewhere else self.turner.sizeHint().height() + self.gap)
        assert self.content is not None
        stack = Stack(self.content, width)      # a line in a card needs the card's margins on its page as well
        tall = [block for n, block in enumerate(self.blocks) if _in_lines_when_tall(block)
                and (stack.height({block}) > page // 2 or stack.height({block, *self._heading(n)}) > page)]
        taken: dict[QWidget, list[QWidget]] = {}
        for block in tall:
            parent = block.parentWidget()
            assert parent is not None and parent.layout() is not None
            lines = _in_lines(block, self._inside(block, width), page)
            parent.layout().replaceWidget(block, lines)
            lines.show()        # now, not when the layout's queued show comes: the page is counted now
            for line in lines.findChildren(QLabel):
                line.ensurePolished()       # measured in the style's font, as it will be drawn
            block.deleteLater()
            taken[block] = stacked(lines)
        if tall:
            # each paragraph's place taken by its lines; never the content walked again: the blocks on the pages
            # not shown are hidden, and were lost from the pages (a guide of 45 pages came to "page 1 of 1")
            self._take_blocks([line for block in self.blocks for line in taken.get(block, [block])])
            self.updateGeometry()       # its least height was its tallest paragraph's: now a line's

    def _heading(self, index: int) -> list[QWidget]:
        """The headings right above the block at index: no page holds them without the block's first line."""
        start = index
        while start and _heads(self.blocks[start - 1]):
            start -= 1
        return self.blocks[start:index]

    def _inside(self, block: QWidget, width: int) -> int:
        """The width block has in content that is width wide: less the margins of each card and column it is in."""
        holder = block.parentWidget()
        while holder is not None:
            outer, layout = holder.contentsMargins(), holder.layout()
            inner = layout.contentsMargins() if layout is not None else outer.__class__()
            width -= outer.left() + outer.right() + inner.left() + inner.right()
            if holder is self.content:
                break
            holder = holder.parentWidget()
        return width

    def fill(self, room: int, stack: Stack, later: int | None = None) -> list[list[int]]:
        """The split measured on content itself (stack, at this width): room on page 1, later (room where None) on
        the others; its frames, margins and gaps count as they are drawn. Headings and a subtitle never end a page
        where the next holds them with the first line they head (a card holding only its heading, its lines on
        the next page, read as an empty section; page 1 of the whole guide holding only its subtitle)."""
        pages: list[list[int]] = [[]]
        rest = room if later is None else later

        def height(page: list[int]) -> int:
            return stack.height({self.blocks[n] for n in page})
        for index in range(len(self.blocks)):
            limit = room if len(pages) == 1 else rest
            if pages[-1] and height([*pages[-1], index]) > limit:
                start = len(pages[-1])          # where the heads and the sentence begun that end the page begin
                while start and (_heads(self.blocks[pages[-1][start - 1]])
                                 or self.blocks[pages[-1][start - 1]].property(GOES_ON)):
                    start -= 1
                sentence = any(self.blocks[n].property(GOES_ON) for n in pages[-1][start:])
                if not start or height([*pages[-1][start:], index]) > rest \
                        or (sentence and height(pages[-1][:start]) < limit // 2):
                    # nothing else on the page, no page holds them with their line, or a sentence taken to the next
                    # page would leave this one more than half empty: it goes on by its lines
                    start = len(pages[-1])
                pages.append(pages[-1][start:])
                del pages[-2][start:]
            pages[-1].append(index)
        return pages

    def reveal(self, shown: set[int]) -> None:
        for index, block in enumerate(self.blocks):
            block.setVisible(index in shown)
        for holder in self.holders:     # a card with none of its lines on this page goes with them
            holder.setVisible(any(holder.isAncestorOf(self.blocks[n]) for n in shown))

    def page_of(self, block: QWidget) -> int:
        index = self.blocks.index(block)
        return next(n for n, page in enumerate(self.pages) if index in page)

    def show_block(self, block: QWidget) -> None:
        """The page that holds block; remembered until the pages are first laid out."""
        self.wanted = block
        self.show_page(self.page_of(block))

    def turn(self, step: int) -> None:
        if self.beyond is not None and not 0 <= self.page + step < len(self.pages):
            self.beyond(step)
            return
        self.wanted = None
        self.show_page(max(0, min(len(self.pages) - 1, self.page + step)))
        if self.window().focusWidget() in (self.earlier, self.later, None):     # on to the page's first question
            first = [w for w in self.blocks[self.pages[self.page][0]].findChildren(QWidget)
                     if w.focusPolicy() & Qt.TabFocus and w.isVisible()]
            if first:
                first[0].setFocus(Qt.TabFocusReason)

    def show_page(self, page: int) -> None:
        self.page = page
        # no split at the heights on the way: each widget shown lays its parent out at once, the head half changed
        # (a paragraph taken apart at such a height stays apart: the identification's pages changed going back)
        arranging, self.arranging = self.arranging, True
        try:
            self.heading(page)
            self.reveal(set(self.pages[page]))
            self._sink_page()
        finally:
            self.arranging = arranging
        at, of = self.outer
        # one count: a screen that pages itself says its own (the glass's pages of one of its pages turn under it);
        # two, 第 1 页，共 3 页 over 第 1 页，共 1 页, contradicted each other (review k, M3)
        self.where.setText(self.where_text(at + 1, of) if of > 1 else self.where_text(page + 1, len(self.pages)))
        if self.elsewhere:
            self.where.setVisible(self.where_shown and len(self.pages) > 1)
        else:
            self.turner.setVisible(len(self.pages) > 1 or of > 1)
            spare = self.width() - self.earlier.sizeHint().width() - self.later.sizeHint().width() - 2 * self.gap
            self.where.setVisible(spare >= self.where.sizeHint().width())     # the buttons' words come first
        # no dead control: on the first page no "previous page", on the last no "next page", their places kept
        # so the other buttons stay where they are (review j, minor 4)
        self.earlier.setVisible(page > 0 or at > 0)
        self.later.setVisible(page < len(self.pages) - 1 or at < of - 1)
        self.turned.emit(page)


def paged(area: QScrollArea, earlier: QPushButton, later: QPushButton, where: Callable[[int, int], str],
          outer: tuple[int, int] = (0, 1), beyond: Callable[[int], None] | None = None) -> Pages:
    """A scroll area's content on pages instead (the accessible mode: nothing scrolls); the area is left empty.
    outer and beyond: see Pages."""
    holder = area.takeWidget()
    layout = holder.layout()
    content = next(iter(laid_out(layout)), holder) if layout is not None else holder
    gap = layout.spacing() if layout is not None else 0
    pages = Pages(stacked(content), gap, earlier, later, where, content=content, outer=outer, beyond=beyond)
    pages.setAccessibleName(area.accessibleName())
    pages.setAccessibleDescription(area.accessibleDescription())
    pages.setProperty("fills", True)
    holder.deleteLater()
    return pages
