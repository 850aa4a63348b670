"""What a screen builder gets: the controller to forward taps to, and how to present itself."""
from __future__ import annotations

import dataclasses

from kiosk.catalog import Hours
from kiosk.i18n import Translator
from kiosk.session import Session
from ui.controller import Controller
from ui.theme import Theme


@dataclasses.dataclass(frozen=True)
class ScreenContext:
    controller: Controller
    tr: Translator
    theme: Theme
    portrait: bool
    demo: bool

    @property
    def session(self) -> Session:
        return self.controller.session

    def problem(self) -> str | None:
        key = self.session.problem
        return self.tr.t(key) if key else None

    def hours_text(self, hours: Hours) -> str:
        if hours.opens is None or hours.closes is None:
            return self.tr.t("detail.hours_always")
        key = "detail.hours_weekdays" if hours.weekdays_only else "detail.hours_range"
        return self.tr.t(key, opens=hours.opens.strftime("%H:%M"), closes=hours.closes.strftime("%H:%M"))
