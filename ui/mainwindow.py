"""The kiosk window: a header that is always there, the current screen, and the notices above it."""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QContextMenuEvent, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk import accessibility as a11y
from kiosk.config import LANGUAGES
from kiosk.i18n import Translator
from kiosk.session import Session, State
from ui import glyphs, paging
from ui import theme as themes
from ui.access import Access
from ui.after_paint import AfterPaint, unless_gone
from ui.app import KIOSK_FLAGS
from ui.app_filter import app_filter
from ui.controller import Controller
from ui.design import ICONS
from ui.idle import IdleWatch
from ui.kept import Kept, KeptScreens
from ui.navigation import Navigator
from ui.notice import Notice
from ui.screens.context import ScreenContext
from ui.widgets import button, discard, label

if TYPE_CHECKING:
    from ui.keyboard import Keyboards

# Each state's screen as (module in ui.screens, builder), imported the first time it is shown: the attract
# screen is painted before the other screens' modules are loaded (ui/bootstrap.py loads them right after).
SCREENS: dict[State, tuple[str, str]] = {
    State.ATTRACT: ("attract", "build"),
    State.SERVICES: ("services", "build"),
    State.DETAIL: ("detail", "build"),
    State.IDENTIFY: ("identify", "build"),
    State.FORM: ("form", "build"),
    State.PRINCIPAL: ("form", "build"),        # 代为办理: the principal's name and number, typed like a form
    State.MATERIALS: ("materials", "build"),
    State.COMMITMENT: ("commitment", "build"),
    State.SIGN: ("sign", "build"),
    State.REVIEW: ("review", "build"),
    State.SUBMITTING: ("review", "build"),
    State.RECEIPT: ("done", "build"),
    State.RATING: ("rating", "build"),
    State.RATING_REASONS: ("rating", "build_reasons"),
    State.THANKS: ("rating", "build_thanks"),
    State.COMPLAINT: ("complaint", "build"),
    State.COMPLAINT_SENT: ("complaint", "build_sent"),
    State.QUERY_RESULT: ("query_result", "build"),
    State.PROGRESS: ("progress", "build"),
    State.PROGRESS_RESULT: ("progress_result", "build"),
    State.BENEFITS: ("benefits", "build"),
    State.APPOINTMENT: ("appointment", "build"),
    State.APPOINTMENT_DONE: ("appointment_done", "build"),
    State.VERIFY_DOCUMENT: ("verify_document", "build"),
    State.FACE: ("face", "build"),
}
OUT_OF_SERVICE = ("out_of_service", "build")     # the attract screen's place while a technician has it closed
# The states whose screen is kept between visits (ui.kept), with the function that gives the key of all it shows
KEPT: dict[State, tuple[str, str]] = {State.SERVICES: ("services", "kept_as")}


def _in_screens(module: str, name: str) -> Any:
    return getattr(importlib.import_module(f"ui.screens.{module}"), name)


def screen_builder(module: str, name: str) -> Callable[[ScreenContext], QWidget]:
    builder: Callable[[ScreenContext], QWidget] = _in_screens(module, name)
    return builder


def screen_key(module: str, name: str) -> Callable[[ScreenContext], tuple[object, ...] | None]:
    key: Callable[[ScreenContext], tuple[object, ...] | None] = _in_screens(module, name)
    return key


def load_screens() -> None:
    """Every screen's module now, so that no tap waits for one to load."""
    for module, name in (*SCREENS.values(), OUT_OF_SERVICE):
        screen_builder(module, name)


def chip_rows(widths: list[int], room: int, gap: int) -> list[list[int]]:
    """Indexes of the chips on each row: as few rows as room allows, of lengths as even as can be."""
    rows = len(paging.split(widths, room, gap))
    low, high = max(widths), max(room, max(widths))
    while low < high:           # the narrowest row width that still needs no more rows
        middle = (low + high) // 2
        if len(paging.split(widths, middle, gap)) <= rows:
            high = middle
        else:
            low = middle + 1
    return paging.split(widths, low, gap)


class Blank(QWidget):
    """Audio-only mode: the glass shows nothing of the citizen's business and takes no taps."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("Blank")
        self.setAttribute(Qt.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        self.message = label("", "Muted")
        self.message.setAlignment(Qt.AlignCenter)
        layout.addStretch(1)
        layout.addWidget(self.message)
        self.hide()


class MainWindow(QWidget):
    def __init__(self, controller: Controller, idle_timeout_s: int, idle_warning_s: int, demo: bool = False,
                 lock_close: bool = True, access: Access | None = None, size: QSize | None = None,
                 frameless: bool = False) -> None:
        """size: the one it will be shown at, so that the first screen is built once, at that size; frameless
        and on top (a kiosk's) set before any child exists: set later, it re-polishes every widget."""
        super().__init__()
        if frameless:
            self.setWindowFlags(self.windowFlags() | KIOSK_FLAGS)
        self.controller = controller
        self.demo = demo
        self.lock_close = lock_close
        self.access = access or Access()
        self.plain_timeouts = (idle_timeout_s, idle_warning_s)   # without assistance
        self.theme: themes.Theme | None = None
        self.styled: tuple[themes.Theme, bool] | None = None   # the theme and focus_visible applied
        self.sheet = ""         # the stylesheet of the stage shown, and of the notices as they are shown
        # the header and the screen, on a stage of their own under the stylesheet they were built with (_restage)
        self.stage: QWidget | None = None
        self.layout_: QVBoxLayout | None = None          # the stage's
        self.shown: tuple[State, str] | None = None      # the screen and language last rendered
        self.rendered_at = QSize()           # the window's size when it last rendered
        # what the screen last said: said again only when it changes. None: not worked out, for want of a voice
        # (the first frame's window: kiosk.voice is not loaded before the first paint); the voice comes with the
        # whole kiosk before any tap is acted on (ui/bootstrap.py), so the screen is still the one it had
        self.announced: str | None = ""
        self.header: QWidget | None = None
        self.controls: QWidget | None = None       # the header's buttons, at the bottom of a portrait glass
        self._screen: QWidget | None = None
        self._live: list[Callable[[], bool]] = []      # the screen's parts that take news in place
        self.kept = KeptScreens()
        self.after_paint = AfterPaint(self)     # screens gone, deleted once the next is drawn; a screen's own work
        self._kept: Kept | None = None          # the screen shown, when it is kept once it goes
        self._ahead = QTimer(self)              # the service list made while the start screen waits
        self._ahead.setSingleShot(True)
        self._ahead.timeout.connect(self._services_ahead)
        self._keyboards: Keyboards | None = None
        self._header_key: tuple[object, ...] = ()        # what the header shows was built from
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(0, 0, 0, 0)
        self.overlay = Notice(self, "idle")
        self.help = Notice(self, "help")
        self.blank = Blank(self)
        self.idle = IdleWatch(idle_timeout_s, idle_warning_s, self.show_idle_warning, lambda: self.controller.timeout(),
                              self.overlay.hide)
        self.idle.setParent(self)         # the app-wide filter goes with the window
        app_filter().join(self.idle)      # every touch and key anywhere is activity
        self.navigator = Navigator(self, self.access.keys)
        self._serve(controller, self.access)
        if size is not None:
            self.resize(size)
        self.render()

    def attach(self, controller: Controller, access: Access) -> None:
        """The whole kiosk, brought up after the first paint (ui/bootstrap.py), takes over from the controller
        the attract screen was first painted with: the screen is built anew with its taps, and the voice
        comes. The keypad's keys were the configuration's from the start."""
        self.controller.changed.disconnect(self.render)
        self.controller.news.disconnect(self.refresh)
        self.controller.help_answered.disconnect(self.show_help)
        self.controller = controller
        self._serve(controller, access)
        self.keyboards()            # and one made ahead for the first citizen
        self.render()

    def _serve(self, controller: Controller, access: Access) -> None:
        # the window owns its controller, and so the controller's timers and bridge: Qt deletes them with the
        # window, on the UI thread. Left to Python, a controller in a reference cycle was destroyed by the garbage
        # collector on whichever thread ran it (a face match's); its help-call timer outlived it, and fired on
        # freed memory (a segmentation fault).
        controller.setParent(self)
        self.access = access
        self.voice = access.voice
        self.timeouts = {False: self.plain_timeouts,
                         True: (access.assisted_idle_timeout_s, access.assisted_idle_warning_s)}
        controller.changed.connect(self.render)
        controller.news.connect(self.refresh)
        controller.help_answered.connect(self.show_help)

    def keyboards(self) -> Keyboards:
        """The letter keyboards the screens borrow, made with the whole kiosk, after the first paint: the start
        screen is painted without Qt Quick."""
        if self._keyboards is None:
            from ui.keyboard import Keyboards
            self._keyboards = Keyboards(self, self.after_paint)
        return self._keyboards

    @property
    def session(self) -> Session:
        return self.controller.session

    @property
    def screen_widget(self) -> QWidget | None:
        return self._screen

    @property
    def ppi(self) -> float:
        return self.access.ppi or a11y.assumed_ppi(self.width(), self.height())

    @property
    def within_reach(self) -> bool:
        return self.session.profile.assisted and self.docked

    @property
    def docked(self) -> bool:
        """The settings at the foot of a portrait glass in every mode: at its top a citizen in a wheelchair could
        not reach the switch to the accessible mode, which brings everything else down (review j, B3); and
        they stay where they were when it comes on."""
        return self.height() > self.width()

    def render(self) -> None:
        """Rebuild header and screen from the session: nothing of a past citizen survives a redraw."""
        session = self.session
        keep_focus = self.navigator.remember()
        with app_filter().quiet():      # no touch arrives while it is built: its thousands of events go unwatched
            self._build(session)
        self.idle.timeout_s, self.idle.warning_s = self.timeouts[session.profile.assisted]
        self.idle.arm(session.state is not State.ATTRACT)
        self.setWindowTitle(session.translator.t("app.title"))
        self.shown = (session.state, session.language)
        self.rendered_at = self.size()
        focused = self.navigator.restore(keep_focus)
        new_screen = keep_focus is None or (keep_focus.state, keep_focus.language) != (session.state, session.language)
        self._announce(new_screen, focused)

    def _build(self, session: Session) -> None:
        """The header (when what it shows changed) and the screen, in the window and shown."""
        if self._keyboards is not None and self._screen is not None:
            self._keyboards.take_back(self._screen)
        sheet = self._stylesheet()
        if sheet is not None:
            self._restage(sheet)
        theme, stage, layout = self.theme, self.stage, self.layout_
        assert theme is not None and stage is not None and layout is not None
        tr = session.translator
        # the header holds nothing of the citizen: built anew only when what it shows changes
        shown = session.state if session.state in (State.ATTRACT, State.SUBMITTING) else None    # no 首页; all off
        header_key = (session.language, session.profile, shown, self.docked, self.width(), theme, self.controller,
                      stage)
        rebuilt = header_key != self._header_key
        for old in (self.header, self.controls, self._screen) if rebuilt else (self._screen,):
            if old is not None and old.parentWidget() is stage:      # else gone with its stage
                layout.removeWidget(old)
                if self._kept is not None and old is self._screen:
                    self.kept.keep(self._kept)
                else:
                    self.after_paint.retire(old)
        if rebuilt:
            self.header, self.controls = self._build_header(tr, session, theme)
            layout.addWidget(self.header)
            if self.controls is not self.header:
                layout.addWidget(self.controls)
            self._header_key = header_key
        context = self._context(session)
        closed = session.state is State.ATTRACT and session.closure is not None   # a notice instead of "touch to start"
        kept_as = KEPT.get(session.state) if not closed else None
        key = screen_key(*kept_as)(context) if kept_as is not None else None
        self._kept = self.kept.take(key) if key is not None else None
        if self._kept is None:
            screen = screen_builder(*(OUT_OF_SERVICE if closed else SCREENS[session.state]))(context)
            screen.setAttribute(Qt.WA_StyledBackground, True)
            self._kept = None if key is None else self.kept.made(key, screen, context.live)
            self._screen, self._live = screen, context.live
        else:
            self._screen, self._live = self._kept.screen, self._kept.live
        if session.state is State.ATTRACT and self._keyboards is not None:
            from ui.keyboard import READY_IN_MS

            self._keyboards.next_visit(session.language, theme)
            self._ahead.start(READY_IN_MS)
        layout.insertWidget(1, self._screen, 1)
        if self.isVisible():                  # at once, not at the next turn of the event loop
            for widget in {self.header, self.controls, self._screen} if rebuilt else (self._screen,):
                widget.show()
        for call in context.after_paint:     # queued once the screen is shown: its paint is queued first
            self.after_paint.add(unless_gone(self._screen, call))
        self.overlay.hide()
        self.help.hide()
        self.blank.message.setText(tr.t("blank.message"))
        self.blank.setGeometry(self.rect())
        if session.profile.audio_only:
            self._dress(self.blank)
        self.blank.setVisible(session.profile.audio_only)
        self.blank.raise_()

    def _context(self, session: Session) -> ScreenContext:
        theme = self.theme
        assert theme is not None
        reach_px = self._reach_px(theme) if self.within_reach else 0
        return ScreenContext(self.controller, session.translator, theme, self.height() > self.width(), self.demo,
                             self.keyboards, self.width(), reach_px, self.height())

    def _services_ahead(self) -> None:
        """The service list 开始 opens, made while the start screen waits (as the next visit's keyboard is): a
        citizen who changed the text size or the colours would otherwise wait for it to be built in them."""
        session = self.session
        if session.state is not State.ATTRACT or session.closure is not None or not self.controller.flows:
            return
        context = self._context(session)
        key = screen_key(*KEPT[State.SERVICES])(context)
        if key is None or self.kept.holds(key):
            return
        screen = screen_builder(*SCREENS[State.SERVICES])(context)
        screen.setAttribute(Qt.WA_StyledBackground, True)
        screen.setParent(self.stage)
        screen.ensurePolished()         # with the stage's stylesheet, now rather than when it is shown
        for call in context.after_paint:         # made ahead: no citizen waits for it to be drawn
            call()
        self.kept.keep(self.kept.made(key, screen, context.live))

    def refresh(self) -> None:
        """News for the screen shown (the centre or the A4 printer answered a guide's check): its live parts
        take it in place, as the guide's buttons come alive; news they cannot show builds the screen anew."""
        session = self.session
        if self.shown != (session.state, session.language) or not all(update() for update in self._live):
            self.render()
            return
        self._announce(False, None)

    def _announce(self, new_screen: bool, focused: QWidget | None) -> None:
        """A new screen is said; on the same screen only news (printed, a problem), else the focused control."""
        if self.voice is None:      # nothing to say: kiosk.voice (~10 ms) is not loaded for the first frame
            self.announced = None
            return
        from kiosk import voice as scripts

        announcement = scripts.announcement(self.session, self.session.translator, self.controller.printing)
        said = announcement if self.announced is None else self.announced
        if new_screen or announcement != said:    # a new screen, or news on this one (printed, a problem)
            self.say(announcement, focused)
        elif focused is not None:
            self.say(self.navigator.describe(focused))
        self.announced = announcement

    def restyle(self) -> bool:
        """The stylesheet for the profile on the stage shown, every widget on it polished anew; whether it is a new
        one. For the focus block of a keypad's first key, on the screen it was pressed on (ui.navigation)."""
        sheet = self._stylesheet()
        if sheet is None:
            return False
        assert self.stage is not None
        self.kept.drop()
        self.stage.setStyleSheet(sheet)
        return True

    def _stylesheet(self) -> str | None:
        """The stylesheet for the profile when it is not the one applied, already given to the notices shown (the
        others take it when shown: _dress). The focus block (GOV.UK's yellow) is drawn only once a keypad key has
        been used in this visit, or with the screen off: a touch user never sees a control look pre-chosen, so the
        primary colour and the focus colour are never confused."""
        session = self.session
        theme = themes.for_profile(session.profile, session.language, self.ppi)
        focus_visible = self.navigator.keyed is session.visit or session.profile.audio_only
        if (theme, focus_visible) == self.styled:
            return None
        self.sheet = themes.stylesheet(theme, focus_visible)
        for cover in (self.overlay, self.help, self.blank):
            if cover.isVisible():
                self._dress(cover)
        self.theme, self.styled = theme, (theme, focus_visible)
        return self.sheet

    def _dress(self, cover: QWidget) -> None:
        """A notice or the blank glass in the stylesheet shown, as it is shown: given them hidden with each new
        stylesheet, they were polished anew unseen (~3.5 ms of each change of mode)."""
        if cover.styleSheet() != self.sheet:
            cover.setStyleSheet(self.sheet)

    def _restage(self, sheet: str) -> None:
        """A new stage with sheet for the header and screen about to be built. The old one goes whole, with the
        outgoing header and screen and the screens kept on it, none of them polished again: a stylesheet set on
        the window polished every widget in it anew, those on their way out too (the start screen's change of
        mode: 8 ms of its 20 ms setStyleSheet, and the kept service list was deleted then and there, ~5 ms)."""
        if self.stage is not None:
            self.outer.removeWidget(self.stage)
            self.after_paint.retire(self.stage)
        self.kept.forget()
        self._kept = None
        self.stage = QWidget(self)
        self.stage.setObjectName("Root")
        self.stage.setAttribute(Qt.WA_StyledBackground, True)
        self.stage.setStyleSheet(sheet)
        self.layout_ = QVBoxLayout(self.stage)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(0)
        self.outer.addWidget(self.stage)
        self.stage.lower()          # under the notices
        if self.isVisible():
            self.stage.show()

    def _reach_px(self, theme: themes.Theme) -> int:
        """Height left for controls below REACH_TOP once the bottom bar has its share."""
        self.controls.ensurePolished()          # the window's stylesheet sizes the bar's buttons
        bar = self.controls.sizeHint().height()
        return max(theme.target_px, int(self.height() * (1 - a11y.REACH_TOP)) - bar - theme.margin_px)

    def _build_header(self, tr: Translator, session: Session, theme: themes.Theme) -> tuple[QWidget, QWidget]:
        """Title and the controls every citizen may need on every screen. In portrait the controls go to a
        bar at the bottom; they flow in as few rows as the width allows, each chip as wide as its words, and
        in landscape the title shares their row where it fits beside them."""
        header = QWidget(self.stage)     # on the stage now, so its stylesheet sizes the chips measured below
        header.setObjectName("Header")
        header.setAttribute(Qt.WA_StyledBackground, True)
        rows = QVBoxLayout(header)
        rows.setContentsMargins(theme.margin_px, theme.gap_px, theme.margin_px, theme.gap_px)
        rows.setSpacing(theme.gap_px)
        title = label(tr.t("app.title"), wrap=False)
        bar = header
        if self.docked:
            bar = QWidget(self.stage)
            bar.setObjectName("Controls")
            bar.setAttribute(Qt.WA_StyledBackground, True)
            QVBoxLayout(bar).setContentsMargins(theme.margin_px, theme.gap_px, theme.margin_px, theme.gap_px)
        buttons = self._header_buttons(tr, session)
        title.setParent(header)
        for widget in buttons:
            widget.setParent(bar)
        for widget in [title, *buttons]:
            widget.ensurePolished()
        room = self.width() - 2 * theme.margin_px
        widths = [b.sizeHint().width() for b in buttons]
        # a whole gap between the pills, or half where that saves a row (English at 1920x1080, largest text):
        # with their own edges half a gap still tells them apart
        apart = theme.gap_px
        if len(chip_rows(widths, room, apart // 2)) < len(chip_rows(widths, room, apart)):
            apart //= 2
        beside = not self.docked and len(chip_rows([title.sizeHint().width(), *widths], room, apart)) == 1
        if beside:          # one row: the title at the start, the chips at the end
            line = QHBoxLayout()
            line.setSpacing(apart)
            line.addWidget(title)
            line.addStretch(1)
            for widget in buttons:
                widget.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
                line.addWidget(widget)
            rows.addLayout(line)
            return header, bar
        if self.docked or not theme.large:     # large text in landscape needs the height for the screen itself
            title.setWordWrap(True)
            rows.addWidget(title)
        else:
            discard(title)
        for row in chip_rows(widths, room, apart):    # chips as wide as their words, together at the start
            line = QHBoxLayout()
            line.setSpacing(apart)
            for index in row:
                buttons[index].setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
                line.addWidget(buttons[index])
            line.addStretch(1)
            bar.layout().addLayout(line)
        return header, bar

    def _header_buttons(self, tr: Translator, session: Session) -> list[QPushButton]:
        profile, controller = session.profile, self.controller
        other = LANGUAGES[(LANGUAGES.index(session.language) + 1) % len(LANGUAGES)]
        assist = button(tr.t("header.assist_on" if profile.assisted else "header.assist"), controller.toggle_assisted,
                        name="Assist", checked=profile.assisted, description=tr.t("desc.assist"))
        assist.setProperty("role", "assist")
        controls = [
            ("text_size", tr.t("header.text_size", size=tr.t(f"text_size.{profile.text_size}")),
             controller.next_text_size, "desc.text_size"),
            ("colours", tr.t("header.colours", mode=tr.t(f"colours.{profile.colours.value}")),
             controller.next_colours, "desc.colours"),
            ("language", tr.t("app.language_switch"), lambda: controller.set_language(other), "desc.language"),
            ("help", tr.t("header.help"), controller.ask_for_help, "desc.help"),
        ]
        if session.state not in (State.ATTRACT, State.SUBMITTING):
            controls.append(("home", tr.t("common.home"), self.leave, "desc.home"))
        buttons = [assist]
        for role, text, tap, description in controls:
            widget = button(text, tap, name="HeaderButton", description=tr.t(description))
            widget.setProperty("role", role)
            buttons.append(widget)
        if session.state is State.SUBMITTING:      # nothing to change while the application goes: only the wait
            for widget in buttons:
                widget.setEnabled(False)
        return buttons

    def header_button(self, role: str) -> QPushButton:
        for bar in (self.header, self.controls):
            for widget in bar.findChildren(QPushButton) if bar is not None else ():
                if widget.property("role") == role:
                    return widget
        raise LookupError(role)

    def say(self, text: str, focused: QWidget | None = None) -> None:
        """Speak when the citizen has voice on; the focused control follows the screen's words. With it off, the
        voice stops: the thanks of one visit played over the next citizen's start screen."""
        if self.voice is None:
            return
        if not self.session.profile.voice:
            self.voice.stop()
            return
        parts = [text] + ([self.navigator.describe(focused)] if focused is not None else [])
        self.voice.say(" ".join(p for p in parts if p), self.session.language, self.session.profile)

    def show_idle_warning(self, seconds_left: int) -> None:
        tr, theme = self.session.translator, self.theme
        if not self.overlay.isVisible():
            self._dress(self.overlay)
            self.overlay.present(tr.t("idle.warning", seconds=seconds_left), tr.t("idle.more_time"),
                                 tr.t("desc.more_time"), theme.margin_px)
            self.navigator.focus_first(self.overlay)
            self.say(tr.t("voice.idle", seconds=seconds_left))
        else:
            self.overlay.message.setText(tr.t("idle.warning", seconds=seconds_left))
        self.blank.raise_()

    def show_help(self, stage: str) -> None:
        """Each stage of the call for staff as it is known (kiosk.help.Answer): calling, told, answered. A call
        that did not reach staff leads with the hotline, names the hall and when it opens (for one who has no
        phone), and offers to call again or to go back to what the citizen was doing; otherwise, in a visit, the
        way home is on the notice too (the header's is under the scrim). In portrait the notice fills the glass
        between the header and the bar."""
        from kiosk.help import Answer  # no call for staff before the first paint

        session, theme = self.session, self.theme
        tr = session.translator
        text = tr.t(f"help.call.{stage}")
        hotline = stage in (Answer.OFFLINE.value, Answer.FAILED.value)
        headline = tr.t("help.hotline") if hotline else ""
        closure = session.closure if session.state is State.ATTRACT else None
        where: list[str] = []
        if closure is not None:     # out of service: the places to go stay readable on the notice itself
            from kiosk import voice as scripts

            _, *where, _, _ = scripts.closure_lines(closure, tr, session.clock(), session.calendar)    # (hotline:
            # the notice's own headline when the call reached no one)
        elif hotline:               # no one reached, and maybe no phone: the hall, and when it opens next
            from kiosk import opening

            where = opening.alternative_lines(self.controller.alternative_hall, tr, session.clock(), session.calendar)
        closing = tr.t("desc.close_help" if closure is None else "desc.close_help_closed")
        action, said, again = tr.t("help.close"), closing, None
        home = None
        if hotline:     # the call reached no one: call again (the one primary), or back to what they were doing
            action, said, again = tr.t("help.retry"), tr.t("desc.retry_help"), self.controller.ask_for_help
            home = (tr.t("help.back"), closing, lambda: None)
        elif session.state not in (State.ATTRACT, State.SUBMITTING):
            home = (tr.t("help.home"), tr.t("desc.home"), self.controller.home)
        span = self._between_bars()
        self._dress(self.help)
        self.help.present(text, action, said, theme.margin_px,
                          "\n".join(where), headline, home, span,
                          glyphs.pixmap(ICONS["hotline"], theme.palette.text, theme.title_px * (3 if span else 2))
                          if hotline else None, again)
        self.navigator.focus_first(self.help)
        self.blank.raise_()
        self.say(" ".join([headline, text, *where]).strip())

    def _between_bars(self) -> tuple[int, int] | None:
        """In portrait, the rows between the header and the bar, which a notice fills (no empty half of scrim)."""
        if self.height() <= self.width():
            return None
        self.outer.activate()       # the header and the bar where they are drawn, though just built
        self.layout_.activate()
        bottom = self.controls.geometry().top() if self.controls is not self.header else self.height()
        return self.header.geometry().bottom() + 1, bottom

    def leave(self) -> None:
        """The header's 首页: at once, unless the visit holds the citizen's unsent work; then asked first, with
        staying the primary way on (a finger that slipped off 帮办代办 loses nothing)."""
        session = self.session
        if not session.unfinished:
            self.controller.home()
            return
        tr = session.translator
        self._dress(self.help)
        self.help.present(tr.t("leave.detail"), tr.t("leave.stay"), tr.t("desc.stay"), self.theme.margin_px,
                          headline=tr.t("leave.question"),
                          home=(tr.t("leave.go"), tr.t("desc.home"), self.controller.home), span=self._between_bars())
        self.navigator.focus_first(self.help)
        self.blank.raise_()
        self.say(f"{tr.t('leave.question')} {tr.t('leave.detail')}")

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        for cover in (self.overlay, self.help, self.blank):
            cover.setGeometry(self.rect())
        if event.size() != self.rendered_at:
            self.render()           # the density and the layout follow the window's size

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt's name)
        event.accept()      # no context menus anywhere on a kiosk

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.lock_close:
            event.ignore()  # Alt+F4 and the like do not leave the kiosk; technicians use their own path
        else:
            super().closeEvent(event)
