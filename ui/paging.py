"""Pages sized to fit: a screen's blocks (a form's questions) spread over pages that its height holds whole.

Nothing scrolls and nothing is cut in half: a block that does not fit under the last goes to the next page,
reached with "next page" and "previous page" below the blocks (VVSG: long lists are paged, never scrolled).
The split is made again whenever the widget's size changes, so text size, language and window size all hold.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget


def block_height(block: QWidget, width: int) -> int:
    """The height block needs at width, its wrapped lines included."""
    layout = block.layout()
    if layout is not None and layout.hasHeightForWidth():
        return max(layout.totalHeightForWidth(width), layout.totalMinimumSize().height())
    if block.hasHeightForWidth():
        return block.heightForWidth(width)
    return block.sizeHint().height()


def split(heights: list[int], room: int, gap: int, one_per_page: bool = False) -> list[list[int]]:
    """Indexes of the blocks on each page: in order, as many as room holds (at least one a page)."""
    pages: list[list[int]] = [[]]
    used = 0
    for index, height in enumerate(heights):
        if pages[-1] and (one_per_page or used + gap + height > room):
            pages.append([])
            used = 0
        used += height + (gap if pages[-1] else 0)
        pages[-1].append(index)
    return pages


class Pages(QWidget):
    """blocks on pages of this widget's height; earlier and later turn them, where says "page 1 of 2"."""

    turned = Signal(int)        # the page now shown, from 0: a step button that pages first follows it

    def __init__(self, blocks: list[QWidget], gap: int, earlier: QPushButton, later: QPushButton,
                 where: Callable[[int, int], str], one_per_page: bool = False) -> None:
        super().__init__()
        self.blocks, self.gap, self.one_per_page = blocks, gap, one_per_page
        self.earlier, self.later, self.where_text = earlier, later, where
        self.where = QLabel()
        self.where.setAlignment(Qt.AlignCenter)
        self.pages: list[list[int]] = [list(range(len(blocks)))]
        self.page = 0
        self.wanted: QWidget | None = None          # a block to show once the pages are known
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Ignored)   # the height it is given, not its blocks'
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(gap)
        for block in blocks:
            column.addWidget(block)
        column.addStretch(1)
        self.turner = QWidget()
        row = QHBoxLayout(self.turner)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(gap)
        row.addWidget(earlier)
        row.addWidget(self.where)
        row.addWidget(later)
        column.addWidget(self.turner)
        earlier.clicked.connect(lambda: self.turn(-1))
        later.clicked.connect(lambda: self.turn(1))
        QApplication.instance().focusChanged.connect(self.follow)

    def follow(self, old: QWidget | None, new: QWidget | None) -> None:
        """The page of a control that gets the focus (a problem link, the window's restore)."""
        for block in self.blocks:
            if new is not None and block.isAncestorOf(new) and block.isHidden():
                self.show_block(block)
                return

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(0, 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.arrange()

    def arrange(self) -> None:
        """The split for the present size; the page with the wanted block (or the same page) shown."""
        width, room = self.width(), self.height()
        if width <= 0 or room <= 0:
            return
        heights = [block_height(b, width) for b in self.blocks]
        pages = split(heights, room, self.gap, self.one_per_page)
        if len(pages) > 1:          # the turner takes its row from the blocks' room
            pages = split(heights, room - self.turner.sizeHint().height() - self.gap, self.gap, self.one_per_page)
        self.pages = pages
        focused = [b for b in self.blocks if b.isAncestorOf(QApplication.focusWidget())]
        if focused:                 # the keys that came with a field took room: the field stays in sight
            self.wanted = focused[0]
        if self.wanted is not None:
            self.page = self.page_of(self.wanted)
        self.show_page(min(self.page, len(pages) - 1))

    def page_of(self, block: QWidget) -> int:
        index = self.blocks.index(block)
        return next(n for n, page in enumerate(self.pages) if index in page)

    def show_block(self, block: QWidget) -> None:
        """The page that holds block; remembered until the pages are first laid out."""
        self.wanted = block
        self.show_page(self.page_of(block))

    def turn(self, step: int) -> None:
        self.wanted = None
        self.show_page(max(0, min(len(self.pages) - 1, self.page + step)))
        if self.window().focusWidget() in (self.earlier, self.later, None):     # on to the page's first question
            first = [w for w in self.blocks[self.pages[self.page][0]].findChildren(QWidget)
                     if w.focusPolicy() & Qt.TabFocus and w.isVisible()]
            if first:
                first[0].setFocus(Qt.TabFocusReason)

    def show_page(self, page: int) -> None:
        self.page = page
        shown = set(self.pages[page])
        for index, block in enumerate(self.blocks):
            block.setVisible(index in shown)
        many = len(self.pages) > 1
        self.turner.setVisible(many)
        spare = self.width() - self.earlier.sizeHint().width() - self.later.sizeHint().width() - 2 * self.gap
        self.where.setVisible(spare >= self.where.sizeHint().width())     # the buttons' words come first
        self.earlier.setEnabled(page > 0)
        self.later.setEnabled(page < len(self.pages) - 1)
        self.where.setText(self.where_text(page + 1, len(self.pages)))
        self.turned.emit(page)
