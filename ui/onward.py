"""One way forward and one way back on a paged screen: the screen's primary action turns the pages first
("继续") and takes its step (下一步, 确认提交) only on the last page, so a citizen who presses the big button
every time sees every question or answer before the step, and never meets two competing "next" buttons;
its back button turns back a page ("上一页") before it leaves the screen. The footer holds both and says
which page is shown: the page keeps its height for the questions (no row of page buttons under them)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QPushButton, QWidget

from kiosk.i18n import Translator
from ui.paging import Pages, keep_place
from ui.widgets import SAYS


def retell(button: QPushButton, text: str, description: str) -> None:
    button.setText(text)
    button.setAccessibleName(text)
    button.setAccessibleDescription(description)


def pages_first(pages: Pages, primary: QPushButton, step: Callable[[], None], tr: Translator,
                back: tuple[QPushButton, Callable[[], None]] | None = None) -> list[QWidget]:
    """primary (made with step as its action) turns pages until the last, then does step; back, if given, a
    button and the action it was made with (leave), turns back until the first page, then does leave. Their
    words say which. Without back (a confirmation: nothing to go back to), the pages' own 上一页 turns back.
    Returns the footer: back, the page's place, primary."""
    step_text, step_description = primary.text(), primary.accessibleDescription()
    primary.clicked.disconnect()
    primary.clicked.connect(lambda _=False: pages.turn(1) if pages.page < len(pages.pages) - 1 else step())
    where = pages.turned_elsewhere()
    most = len(pages.blocks)            # no more pages than blocks: its widest words
    where.setProperty(SAYS, [pages.where_text(most, most)])
    button, leave_text, leave_description = None, "", ""
    if back is not None:
        button, leave = back
        leave_text, leave_description = button.text(), button.accessibleDescription()
        button.clicked.disconnect()
        button.clicked.connect(lambda _=False: pages.turn(-1) if pages.page > 0 else leave())
    footer: list[QWidget] = [pages.earlier if button is None else button, where, primary]

    def say(page: int) -> None:
        last = page >= len(pages.pages) - 1
        # 继续 while there is a task to go on with; on a confirmation, 下一页 (继续 read as the complaint going on)
        onward = "access.onward" if button is not None else "access.page_next"
        retell(primary, step_text if last else tr.t(onward),
                step_description if last else tr.t("access.desc.onward"))
        if button is None:          # 上一页 only where there is a page to go back to; its place kept while there
            pages.earlier.setVisible(page > 0)                  # are pages to turn, on one page the primary's
            keep_place(pages.earlier, len(pages.pages) > 1)
        else:
            first = page == 0
            retell(button, leave_text if first else tr.t("access.previous"),
                    leave_description if first else tr.t("access.desc.backward"))

    primary.setProperty(SAYS, [step_text, tr.t("access.onward")])      # the footer is laid out for the widest
    if button is not None:
        button.setProperty(SAYS, [leave_text, tr.t("access.previous")])
    pages.turned.connect(say)
    say(pages.page)
    return footer
