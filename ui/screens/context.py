"""What a screen builder gets: the controller to forward taps to, and how to present itself."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QPushButton, QScrollArea, QVBoxLayout, QWidget

from kiosk import hours as house_style
from kiosk.catalog import Hours
from kiosk.i18n import Translator
from kiosk.session import Intent, Session, State, application_steps
from ui import design
from ui.controller import Controller
from ui.onward import pages_first
from ui.paging import Pages, paged
from ui.theme import Theme
from ui.widgets import button, page, scrolling

if TYPE_CHECKING:
    from ui.keyboard import Keyboards  # Qt Quick: not on the start screen's path


@dataclasses.dataclass(frozen=True)
class ScreenContext:
    controller: Controller
    tr: Translator
    theme: Theme
    portrait: bool
    demo: bool
    keyboards: Callable[[], Keyboards]      # the window's letter keyboards (made on first use: Qt Quick is slow)
    width: int = 1920        # of the window: what fits in a row
    reach_px: int = 0        # assisted mode on a portrait screen: controls only in this lowest band
    height: int = 1080       # of the window: what can be in sight at once
    # The screen's parts that take news in place (MainWindow.refresh): each returns False when the news needs
    # the screen built anew. Building a screen costs tens of milliseconds and would flash.
    live: list[Callable[[], bool]] = dataclasses.field(default_factory=list)
    # What the screen adds once it has been drawn (ui.after_paint): what no citizen can see yet, below its fold.
    after_paint: list[Callable[[], None]] = dataclasses.field(default_factory=list)

    def page(self, title: str, body: list[QWidget], footer: list[QWidget] = (), subtitle: str = "",
             notes: list[QWidget] = (), problem: str | None = None, caption: QWidget | None = None) -> QWidget:
        """The screen's frame with this screen's theme, reach and problem; on the way to applying, the step (or
        caption, the screen's own words for it). problem: the screen's own words for its problem (how many
        characters are missing), "" where the screen shows it itself (in a panel); else the problem key's sentence."""
        said = self.problem() if problem is None else problem or None
        step = self.step()
        if caption is None and step is not None:
            caption = design.step_indicator(*step, self.tr)
        return page(title, body, self.theme, footer=footer, problem=said, subtitle=subtitle,
                    reach_px=self.reach_px, notes=notes, room=self.room,
                    pager=self.paged if self.session.profile.assisted else None, caption=caption)

    def paged(self, area: QScrollArea, outer: tuple[int, int] = (0, 1),
              beyond: Callable[[int], None] | None = None) -> Pages:
        """A scroll area's content on pages turned with previous and next (the accessible mode: nothing scrolls);
        outer and beyond for a screen that pages itself as well (ui.paging.Pages)."""
        tr = self.tr
        return paged(area, *self.page_turners(), lambda n, of: tr.t("access.page_of", page=n, pages=of), outer,
                     beyond)

    def page_turners(self) -> tuple[QPushButton, QPushButton]:
        """上一页 and 下一页 for Pages (their actions are the pages' own)."""
        tr = self.tr
        earlier = button(tr.t("access.page_previous"), lambda: None, name="PagePrevious",
                         description=tr.t("access.desc.page"))
        later = button(tr.t("access.page_next"), lambda: None, name="PageNext", description=tr.t("access.desc.page"))
        return earlier, later

    def questions(self, fields: QWidget, primary: QPushButton, step: Callable[[], None], back: QPushButton,
                  problem: QWidget | None = None) -> tuple[QWidget, list[QWidget]]:
        """A column of questions beside the keys, as it is; in the accessible mode (nothing scrolls) on pages
        turned from the footer (ui.onward.pages_first: primary, made with step, turns them until the last), the
        page with problem (the answer to put right) shown. Returns the pane and the footer: back, the page's place
        where paged, primary."""
        if not self.session.profile.assisted:
            return fields, [back, primary]
        pages = self.paged(scrolling(fields))
        if problem is not None:
            pages.show_block(problem)
        return pages, pages_first(pages, primary, step, self.tr, (back, self.controller.back))

    def step(self) -> tuple[int, int] | None:
        """(step, of how many) while applying, identification to review, for 第 2 步，共 5 步; else None."""
        session = self.session
        if session.service is None or session.intent in (Intent.QUERY, Intent.BENEFITS, Intent.APPOINTMENT):
            return None
        steps = application_steps(session.service)
        here = State.IDENTIFY if session.state is State.PRINCIPAL else session.state
        return (steps.index(here) + 1, len(steps)) if here in steps else None

    @property
    def room(self) -> int:
        """Width inside the page margins."""
        return self.width - 2 * self.theme.margin_px

    def stacked(self, *widgets: QWidget, gaps: int = 1) -> QWidget:
        """Widgets one under another, gaps of the theme's gap apart, as one scrolled (or paged) content."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(self.theme.gap_px * gaps)
        for widget in widgets:
            column.addWidget(widget)
        return holder

    def back_button(self, text_key: str = "common.back") -> QPushButton:
        """Back one step; while an answer is changed from review (修改), back to review as it was."""
        if self.session.revising is not None:
            return button(self.tr.t("review.back_to_review"), self.controller.back, name="back",
                          description=self.tr.t("review.desc_back_to_review"))
        return button(self.tr.t(text_key), self.controller.back, name="back", description=self.tr.t("desc.back"))

    @property
    def session(self) -> Session:
        return self.controller.session

    def problem(self) -> str | None:
        key = self.session.problem
        if not key:
            return None
        from kiosk import certified  # kiosk.online's documents: no problem is shown on the first frame

        return self.tr.t(key, **certified.problem_values(key, self.session.online.check_code))

    def hours_text(self, hours: Hours) -> str:
        return house_style.service_hours(hours, self.tr)
