"""One way forward on a paged screen: the screen's primary action turns the pages first ("继续") and takes
its step (下一步, 确认提交) only on the last page, so a citizen who presses the big button every time sees
every question or answer before the step, and never meets two competing "next" buttons."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QPushButton

from kiosk.i18n import Translator
from ui.paging import Pages


def pages_first(pages: Pages, primary: QPushButton, step: Callable[[], None], tr: Translator) -> None:
    """primary (made with step as its action) turns pages until the last, then does step; its words say which."""
    step_text, step_description = primary.text(), primary.accessibleDescription()
    primary.clicked.disconnect()

    def onward() -> None:
        if pages.page < len(pages.pages) - 1:
            pages.turn(1)
        else:
            step()

    def say(page: int) -> None:
        last = page >= len(pages.pages) - 1
        text = step_text if last else tr.t("access.onward")
        primary.setText(text)
        primary.setAccessibleName(text)
        primary.setAccessibleDescription(step_description if last else tr.t("access.desc.onward"))

    primary.clicked.connect(lambda _=False: onward())
    pages.turned.connect(say)
    say(pages.page)
