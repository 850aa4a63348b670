"""The accessible mode's promise (UX.md: nothing needs scrolling, long lists are paged with more and back),
measured on the real widgets of every screen the screenshot walk draws, at the three glass sizes: the window
is the glass (it neither grew past it nor needs more than it), no scroll area shows a scrollbar, and no label
is cut, neither by the widgets around it nor squeezed below its lines."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QWidget

from tooling.screenshots import MODES, SIZES, walk

pytestmark = pytest.mark.gui

# Open in issue 12, each where it was seen (none now: the appointment fits since it asks one thing at a time,
# the slots, then the number; the complaint since it asks one question a page). Only these are let through;
# every other screen and size stays held to the promise, and the test says when one of them is fixed so the
# list cannot outlive its problem.
# (The receipts' panels at 1080x1920, the principal's ID-number error and the complaint's confirmation at
# 1366x768 fit since the header's chips take one row, or two in portrait, where they took two, or three.)
# English in the accessible mode is held to it too since issue 12's squeezed text (the receipts, the identify
# screen's privacy notice, the materials and commitment); 办件进度 and 文书核验 fit since their questions are
# paged whole beside the keys, turned from the footer.
STILL_SHORT: set[tuple[str, str, tuple[int, int]]] = set()


def scrollbars(window: QWidget) -> list[str]:
    """The scroll areas on the glass that a citizen would have to scroll."""
    return [area.accessibleName() or area.objectName() or "a scroll area" for area in window.findChildren(QScrollArea)
            if area.isVisible() and (area.verticalScrollBar().isVisible() or area.verticalScrollBar().maximum() > 0)]


def clipped(window: QWidget) -> list[str]:
    """Visible labels with text that the glass does not show whole."""
    cut = []
    for widget in window.findChildren(QLabel):
        if not widget.isVisible() or not widget.text().strip() or widget.width() <= 0:
            continue
        needed = widget.heightForWidth(widget.width()) if widget.wordWrap() else widget.sizeHint().height()
        shown = widget.visibleRegion().boundingRect()
        if shown.height() < min(needed, widget.height()) - 1 or widget.height() < needed - 1 \
                or shown.width() < widget.width() - 1:
            cut.append(f"{widget.text()[:30]!r} needs {needed}px, shows {shown.height()}x{shown.width()}")
    return cut


def outgrown(window: QWidget, size: tuple[int, int]) -> list[str]:
    """The window larger than the glass, or its layout's minimum so: on a kiosk its bottom rows (the screen's
    actions) would be off the glass. The minimum is checked too, since a window that has grown once keeps
    its size, and the screens after it would look grown without a cause of their own."""
    width, height = size
    needs = window.minimumSizeHint()
    found = [f"the window is {window.width()}x{window.height()}"] if window.size().toTuple() != size else []
    if needs.width() > width or needs.height() > height:
        found.append(f"its layout needs {needs.width()}x{needs.height()}")
    return found


# The accessible mode in both languages and both colour schemes (the dark one is a profile, not a picture's mode)
ASSISTED_BOTH_COLOURS = {"assisted": MODES["assisted"], "english-assisted": MODES["english-assisted"],
                         "assisted-dark": ("zh_CN", "assisted-dark"), "english-assisted-dark": ("en", "assisted-dark")}


def _on_the_glass(window: QWidget, size: tuple[int, int]) -> list[str]:
    return ([f"outgrows the glass: {problem}" for problem in outgrown(window, size)]
            + [f"scrolls: {name}" for name in scrollbars(window)] + clipped(window))


def _blocks_cut(pages) -> list[str]:
    """The page's blocks not shown whole within the pages: a picture or a button has no text for clipped to see."""
    from PySide6.QtCore import QPoint

    from ui.paging import block_height

    cut = []
    for block in (pages.blocks[n] for n in pages.pages[pages.page]):
        needed, bottom = block_height(block, block.width()), block.mapTo(pages, QPoint(0, block.height())).y()
        if not block.isVisible() or block.height() < needed - 1 or bottom > pages.height() + 1:
            cut.append(f"a {type(block).__name__} {block.objectName()!r} needs {needed}px, has {block.height()}, "
                       f"ends at {bottom} of {pages.height()}{'' if block.isVisible() else ', hidden'}")
    return cut


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_nothing_scrolls_and_nothing_is_cut_in_the_accessible_mode(qtbot, size: tuple[int, int]) -> None:
    """Every page of every paged screen, not only the first: turned forward to the last and back to the first as a
    citizen turns them (the footer's 继续 and 上一页 call the same turn), each page held to the promise. The privacy
    notice on the identify screens' last page and the materials' rows on their later pages were cut, unseen by a
    check of the first page alone."""
    from ui.paging import Pages

    problems, fixed = [], []
    for frame in walk(ASSISTED_BOTH_COLOURS, sizes=[size]):
        where = f"{frame.screen} {frame.mode}"
        found = _on_the_glass(frame.window, size)
        for pages in [p for p in frame.window.findChildren(Pages) if p.isVisible()]:
            count = len(pages.pages)
            for step in [1] * (count - 1) + [-1] * (count - 1):
                pages.turn(step)
                for _ in range(3):      # the page's layout settled, as the kiosk's loop settles it before a frame
                    QApplication.processEvents()
                found += [f"page {pages.page + 1} of {len(pages.pages)}{' (back)' if step < 0 else ''}: {problem}"
                          for problem in _on_the_glass(frame.window, size) + _blocks_cut(pages)]
        if (frame.screen, frame.mode, size) in STILL_SHORT:
            fixed += [] if found else [where]
            continue
        problems += [f"{where}: {problem}" for problem in found]
    assert not problems, "\n".join(problems)
    assert not fixed, f"fixed now, take off STILL_SHORT: {fixed}"


def test_a_paragraph_taller_than_a_page_goes_on_over_pages_line_by_line(qtbot) -> None:
    """A block taller than the page was cut, its last lines on no page at all: it is taken apart into its lines,
    so every word is on some page, in order, and no label on any page is cut."""
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    from ui.paging import paged
    from ui.widgets import label, scrolling

    words = [f"word{n}" for n in range(400)]
    content = QWidget()
    column = QVBoxLayout(content)
    column.addWidget(label("Before the paragraph"))
    column.addWidget(label(" ".join(words)))
    column.addWidget(label("After the paragraph"))
    pages = paged(scrolling(content), QPushButton("earlier"), QPushButton("later"), lambda n, of: f"{n} of {of}")
    qtbot.addWidget(pages)
    pages.resize(400, 300)
    pages.show()
    qtbot.waitExposed(pages)
    seen: list[str] = []
    for number in range(len(pages.pages)):
        pages.show_page(number)
        qtbot.wait(10)
        shown = [w for w in pages.findChildren(QLabel) if w.isVisible() and w is not pages.where]
        assert not clipped(pages), number
        seen += [w.text() for w in sorted(shown, key=lambda w: w.mapTo(pages, w.rect().topLeft()).y())]
    said = " ".join(seen).split()
    assert said == ["Before", "the", "paragraph", *words, "After", "the", "paragraph"]
    assert len(pages.pages) > 3


def test_paragraphs_taken_apart_after_a_resize_keep_every_other_page(qtbot) -> None:
    """Pages laid out, then smaller (the footer's buttons stacking, the keys coming): paragraphs now too tall
    were taken apart and the pages' blocks collected again from the content, where those of the pages not shown
    are hidden: the whole guide's 45 pages came to "page 1 of 1" in some renders. Every word stays on a page."""
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    from ui.paging import paged
    from ui.widgets import card, label, scrolling

    paragraphs = [[f"p{p}w{n}" for n in range(30 + 10 * p)] for p in range(8)]
    content = QWidget()
    column = QVBoxLayout(content)
    for words in paragraphs:
        column.addWidget(card(label("Heading", "Heading"), label(" ".join(words))))
    pages = paged(scrolling(content), QPushButton("earlier"), QPushButton("later"), lambda n, of: f"{n} of {of}")
    qtbot.addWidget(pages)
    for height in (900, 500, 260, 700):
        pages.resize(400, height)
        pages.show()
        qtbot.wait(10)         # arranged: the blocks not on the page shown are hidden
        seen = [word for page in pages.pages for n in page for word in pages.blocks[n].text().split()
                if word != "Heading"]
        assert seen == [word for words in paragraphs for word in words], height


def test_a_paragraphs_own_line_breaks_and_indents_are_kept_in_its_lines(qtbot) -> None:
    """A material's lines ("1. 居民身份证\n    原件：1 份…"): QTextLayout ran the indented line on in the line
    before, so the taken-apart paragraph read "(required) Originals: 1," / "copies: 0"."""
    from ui.paging import lines_of
    from ui.widgets import label

    words = label("1. Resident ID card (required)\n    Originals: 1, copies: 0")
    assert lines_of(words, 2000) == ["1. Resident ID card (required)", "    Originals: 1, copies: 0"]


def test_the_whole_guide_opens_on_its_content_in_the_largest_english() -> None:
    """The whole guide in the largest English at 1920x1080 opened on its subtitle alone, the first card (a heading
    and its line, which never part) missing the page by 7 px: a lone subtitle gives way, a card on pages has
    smaller margins, and page 1 holds the first heading with its line, on every glass."""
    from ui.paging import Pages

    for frame in walk({"english-assisted": MODES["english-assisted"]}, sizes=SIZES,
                      screens="19-detail-guide-not-printed"):
        [pages] = [p for p in frame.window.findChildren(Pages) if p.isVisible()]
        first = [pages.blocks[n] for n in pages.pages[0]]
        assert [b for b in first if b.objectName() not in ("Subtitle", "Heading")], (frame.size, pages.pages[:2])


def test_a_paragraph_never_leaves_a_page_all_but_empty(qtbot) -> None:
    """A paragraph that fits a page alone but not under the line above it went whole to the next page, leaving
    page 1 of the A4-printer-out guide with its subtitle alone (English, largest text, 1920x1080): more than half
    a page tall, it goes on over pages line by line, so the first page holds its first lines."""
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    from ui.paging import paged
    from ui.widgets import label, scrolling

    for count in range(40, 140, 4):         # a paragraph from a third of a page to more than one
        content = QWidget()
        column = QVBoxLayout(content)
        column.addWidget(label("A title\nof four\nlines\nabove"))
        column.addWidget(label(" ".join(f"word{n}" for n in range(count))))
        pages = paged(scrolling(content), QPushButton("earlier"), QPushButton("later"), lambda n, of: f"{n} of {of}")
        qtbot.addWidget(pages)
        pages.resize(400, 300)
        pages.show()
        qtbot.waitExposed(pages)
        qtbot.wait(10)
        pages.show_page(0)
        first = " ".join(w.text() for w in pages.findChildren(QLabel) if w.isVisible() and w is not pages.where)
        assert "word0" in first.split(), (count, len(pages.pages))
        pages.close()


@pytest.mark.parametrize("height", range(150, 450, 10))
def test_a_paragraph_in_a_card_is_never_squeezed_by_the_cards_margins(qtbot, height: int) -> None:
    """A paragraph that fits a page alone but not with its card's margins (the commitment in the largest English
    text at 1920x1080) was kept whole and squeezed, its last line cut: it goes on over pages too."""
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    from ui.paging import paged
    from ui.widgets import card, label, scrolling

    content = QWidget()
    column = QVBoxLayout(content)
    column.addWidget(card(label(" ".join(f"word{n}" for n in range(60)))))
    column.addWidget(label("After the card"))       # a page of its own: the page turner takes its row
    pages = paged(scrolling(content), QPushButton("earlier"), QPushButton("later"), lambda n, of: f"{n} of {of}")
    qtbot.addWidget(pages)
    pages.resize(400, height)
    pages.show()
    qtbot.waitExposed(pages)
    for number in range(len(pages.pages)):
        pages.show_page(number)
        qtbot.wait(10)
        assert not clipped(pages), (height, number)


def test_a_heading_never_ends_a_page_of_blocks() -> None:
    """A day's date over its slots goes on to the next page with the first row it heads: alone at the foot of
    a page it reads as a day with no times."""
    from ui.paging import split

    heights = [50, 100, 100, 30, 100]
    assert split(heights, 300, 0) == [[0, 1, 2, 3], [4]]
    assert split(heights, 300, 0, heads=frozenset({3})) == [[0, 1, 2], [3, 4]]
    assert split(heights, 300, 0, heads=frozenset({0})) == [[0, 1, 2, 3], [4]]      # a heading that opens a page stays


def test_the_certificates_code_is_whole_in_its_field_at_every_size() -> None:
    """Beside a keyboard taking two thirds of the row, the largest English showed "Q3 MX9D PA2H W5": the code's
    first letters scrolled out of a field the citizen compares with the paper (review i, M4). The keys leave the
    field room for the whole grouped code, in every mode and at every size."""
    from PySide6.QtWidgets import QLineEdit, QStyle, QStyleOptionFrame

    cut = []
    for frame in walk({mode: MODES[mode] for mode in ("normal", "assisted", "english", "english-assisted")},
                      sizes=SIZES, screens="49-verify-problem"):
        [field] = [f for f in frame.window.findChildren(QLineEdit, "field_check_code") if f.isVisible()]
        option = QStyleOptionFrame()
        field.initStyleOption(option)
        inside = field.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, field)
        if field.fontMetrics().horizontalAdvance(field.text()) > inside.width() - field.textMargins().left():
            cut.append(f"{frame.mode} {frame.size}")
    assert not cut, cut


def _pages_shown(window: QWidget):
    from ui.paging import Pages

    [pages] = [p for p in window.findChildren(Pages) if p.isVisible()]
    return pages


def _shown(window: QWidget, name: str) -> list[QLabel]:
    return [w for w in window.findChildren(QLabel, name) if w.isVisible()]


def test_the_whole_guide_reads_under_a_running_head_after_page_1(qtbot) -> None:
    """The title (three lines in the largest English), the subtitle and the printer's problem came back on each of the
    whole guide's 43 pages: after page 1 the title is one line at the body's size, read out whole, and the problem is
    on page 1 only; back on page 1 the whole title is back."""
    for frame in walk({"english-assisted": MODES["english-assisted"]}, sizes=[(1366, 768)],
                      screens="19-detail-guide-not-printed"):
        window, pages = frame.window, _pages_shown(frame.window)
        [title] = _shown(window, "Title")
        assert _shown(window, "Problem") and not _shown(window, "RunningHead")
        pages.turn(1)
        qtbot.wait(20)
        [head] = _shown(window, "RunningHead")
        assert not _shown(window, "Title") and not _shown(window, "Problem")
        assert head.accessibleName() == " ".join(title.text().split())
        assert head.height() <= head.fontMetrics().height() + 2 * head.contentsMargins().top() + 1     # one line
        assert head.font().bold() and head.font().pixelSize() < title.font().pixelSize()
        pages.turn(-1)
        qtbot.wait(20)
        assert _shown(window, "Title") == [title] and not _shown(window, "RunningHead") and _shown(window, "Problem")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_page_of_the_whole_guide_holds_content_whole_above_the_footer(qtbot, size: tuple[int, int]) -> None:
    """Turned forward to the last page and back to the first, in both languages and both colour schemes of the
    accessible mode: every page holds more than headings, its blocks all shown and above the page turner (none cut,
    none under the footer), and the split is the same both ways (the title's height changes as the pages turn)."""
    from PySide6.QtCore import QPoint

    from ui.paging import _heads

    problems = []
    for frame in walk(ASSISTED_BOTH_COLOURS, sizes=[size], screens="19-detail-guide-not-printed"):
        pages = _pages_shown(frame.window)
        split = [list(page) for page in pages.pages]
        seen = []
        for step in [1] * (len(split) - 1) + [-1] * (len(split) - 1):
            pages.turn(step)
            qtbot.wait(10)
            where = f"{frame.mode} page {pages.page + 1}"
            seen.append(pages.page)
            floor = pages.turner.mapTo(pages, QPoint(0, 0)).y() if pages.turner.isVisible() else pages.height()
            blocks = [pages.blocks[n] for n in pages.pages[pages.page]]
            problems += [f"{where}: only headings" for _ in [0] if all(_heads(b) for b in blocks)]
            problems += [f"{where}: {b.objectName()} hidden or under the footer" for b in blocks
                         if not b.isVisible() or b.mapTo(pages, QPoint(0, b.height())).y() > floor]
            problems += [f"{where}: {cut}" for cut in clipped(frame.window)]
        if pages.pages != split or sorted(set(seen)) != list(range(len(split))):
            problems.append(f"{frame.mode}: the split changed as the pages turned")
    assert not problems, "\n".join(problems)


def test_the_whole_guide_in_the_largest_english_takes_far_fewer_pages() -> None:
    """43 pages at 1366x768 and 42 at 1920x1080 with the whole title and the problem on each; 15 with a running head.
    In portrait, where the guide was read in the band within reach, 39: under the title, with the running head, 14."""
    for frame in walk({"english-assisted": MODES["english-assisted"]}, sizes=SIZES,
                      screens="19-detail-guide-not-printed"):
        assert len(_pages_shown(frame.window).pages) <= 20, frame.size


def test_a_sentence_is_what_a_paragraph_is_paged_by() -> None:
    """Sentences end at a stop (Chinese or Latin before a capital), never at "No. 14" nor a list's "1."; a line the
    text breaks itself ends one, and keeps its indent."""
    from ui.paging import sentences_of

    assert sentences_of("1. Resident ID card. Once approved (Guo Ban Fa [2021] No. 14), apply; postage x") == [
        "1. Resident ID card.", "Once approved (Guo Ban Fa [2021] No. 14), apply;", "postage x"]
    assert sentences_of("收费标准：每证￥40（工本费）；邮寄的，邮费自付。（夏季）\n    原件：1 份。复印件：0 份") == [
        "收费标准：每证￥40（工本费）；", "邮寄的，邮费自付。", "（夏季）", "    原件：1 份。", "    复印件：0 份"]


def _paragraph_piece(block: QWidget) -> bool:
    """block is part of a paragraph taken apart for the pages (ui.paging._in_lines), not a label of its own."""
    column = block.parentWidget()
    return isinstance(block, QLabel) and column is not None and column.accessibleName() not in ("", block.text())


def test_no_page_of_the_whole_guide_ends_inside_a_sentence(qtbot) -> None:
    """English portrait p1 ended "Type of service: Administrative" and p2 began "confirmation"; p3 ended "(summer"
    (review j, M1). In both languages at every size, a page that ends inside a paragraph ends with a sentence or a
    line the text breaks itself, unless the sentence began in the upper half of the page (taken to the next page
    it would leave this one more than half empty) or on an earlier page (taller than a page)."""
    from PySide6.QtCore import QPoint

    from ui.paging import GOES_ON, SENTENCE_END

    cut = []
    for frame in walk({m: MODES[m] for m in ("assisted", "english-assisted")}, screens="19-detail-guide-not-printed"):
        pages = _pages_shown(frame.window)
        for number, page in enumerate(pages.pages[:-1], 1):
            last, after = pages.blocks[page[-1]], pages.blocks[pages.pages[number][0]]
            if not _paragraph_piece(last) or last.parentWidget() is not after.parentWidget():
                continue
            text, parts = last.text(), last.parentWidget().accessibleName().split("\n")
            if any(stop.end() >= len(text) for stop in SENTENCE_END.finditer(text + " A")) \
                    or any(part.endswith(text.strip()) for part in parts):
                continue
            pages.show_page(number - 1)
            qtbot.wait(10)
            first = len(page) - 1
            while first and pages.blocks[page[first - 1]].property(GOES_ON):
                first -= 1
            top = pages.blocks[page[first]].mapTo(pages, QPoint(0, 0)).y()
            floor = pages.turner.mapTo(pages, QPoint(0, 0)).y()
            if first and top >= floor // 2:
                cut.append(f"{frame.mode} {frame.size} page {number} ends {text[-40:]!r}, began at {top} of {floor}")
    assert not cut, "\n".join(cut)


def test_the_guide_in_short_is_read_whole_on_its_first_page() -> None:
    """English at 1920x1080 and 1366x768 showed the title, "Read the whole guide" and an empty band on page 1, the
    summary on page 2; portrait English put the fee and what to bring on page 2, zh 1366x768 what to bring (review
    j, M2). In both languages at every size, every line of the summary is on page 1, and the way to the whole
    guide does not look like the plain "next page": its name is a heading over what it holds."""
    from PySide6.QtWidgets import QPushButton

    from ui.widgets import WrappingButton

    for frame in walk({m: MODES[m] for m in ("assisted", "english-assisted")}, screens="03-detail"):
        tr, service = frame.window.session.translator, frame.window.session.service
        pages = _pages_shown(frame.window)
        pages.show_page(0)
        shown = [w.text() for w in frame.window.findChildren(QLabel) if w.isVisible()]
        bring = tr.t("common.pair", label=tr.t("guide.summary_bring"),
                     value=tr.t("common.list_separator").join(tr.local(m.name) for m in service.materials))
        fee = tr.t("common.pair", label=tr.t("detail.fee"), value=tr.local(service.fee))
        assert bring in shown and fee in shown, (frame.mode, frame.size)
        [whole] = frame.window.findChildren(QPushButton, "WholeGuide")
        assert isinstance(whole, WrappingButton) and whole.heading is not None
        assert whole.heading.text() == tr.t("guide.read_whole")


def test_no_dead_page_button_and_the_others_keep_their_place(qtbot) -> None:
    """A disabled dashed "previous page" sat on every page 1 (review j, minor 4): on the first page it is not
    shown, nor "next page" on the last, and the place of "page 1 of 3" and of the buttons does not move."""
    from PySide6.QtCore import QPoint

    for frame in walk({"english-assisted": MODES["english-assisted"]}, sizes=[(1366, 768)],
                      screens="19-detail-guide-not-printed"):
        pages = _pages_shown(frame.window)
        count = len(pages.pages)
        assert 3 < count < 100
        places = []
        for page in (0, 1, count - 2, count - 1):      # "page 1 of 15" as wide as "page 2 of 15", 14 as 15
            pages.show_page(page)
            qtbot.wait(10)
            assert pages.earlier.isVisible() == (page > 0) and pages.later.isVisible() == (page < count - 1)
            places.append([w.mapTo(pages, QPoint(0, 0)).x() for w in (pages.earlier, pages.where, pages.later)])
        assert places[0] == places[1] and places[2] == places[3], places


def test_the_pages_after_the_first_hold_the_room_they_have() -> None:
    from ui.paging import split

    assert split([100] * 6, 250, 0) == [[0, 1], [2, 3], [4, 5]]
    assert split([100] * 6, 250, 0, later=350) == [[0, 1], [2, 3, 4], [5]]
