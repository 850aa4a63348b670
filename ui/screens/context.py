"""What a screen builder gets: the controller to forward taps to, and how to present itself."""
from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QPushButton, QWidget

from kiosk import guide
from kiosk.catalog import Hours
from kiosk.i18n import Translator
from kiosk.session import Session
from ui.controller import Controller
from ui.theme import Theme
from ui.widgets import button, page


@dataclasses.dataclass(frozen=True)
class ScreenContext:
    controller: Controller
    tr: Translator
    theme: Theme
    portrait: bool
    demo: bool
    width: int = 1920        # of the window: what fits in a row
    reach_px: int = 0        # assisted mode on a portrait screen: controls only in this lowest band

    def page(self, title: str, body: list[QWidget], footer: list[QWidget] = (), subtitle: str = "",
             notes: list[QWidget] = ()) -> QWidget:
        """The screen's frame with this screen's theme, reach and problem."""
        return page(title, body, self.theme, footer=footer, problem=self.problem(), subtitle=subtitle,
                    reach_px=self.reach_px, notes=notes, room=self.room)

    @property
    def room(self) -> int:
        """Width inside the page margins."""
        return self.width - 2 * self.theme.margin_px

    def back_button(self, text_key: str = "common.back") -> QPushButton:
        return button(self.tr.t(text_key), self.controller.back, name="back", description=self.tr.t("desc.back"))

    @property
    def session(self) -> Session:
        return self.controller.session

    def problem(self) -> str | None:
        key = self.session.problem
        return self.tr.t(key) if key else None

    def hours_text(self, hours: Hours) -> str:
        return guide.hours_text(hours, self.tr)
