"""The kiosk window: a header that is always there, the current screen, and the idle warning."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QContextMenuEvent, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.config import LANGUAGES
from kiosk.i18n import Translator
from kiosk.session import Session, State
from ui import theme as themes
from ui.controller import Controller
from ui.idle import IdleWatch
from ui.screens import attract, detail, done, form, identify, review, services
from ui.screens.context import ScreenContext
from ui.widgets import button, discard, label

SCREENS: dict[State, Callable[[ScreenContext], QWidget]] = {
    State.ATTRACT: attract.build,
    State.SERVICES: services.build,
    State.DETAIL: detail.build,
    State.IDENTIFY: identify.build,
    State.FORM: form.build,
    State.REVIEW: review.build,
    State.SUBMITTING: review.build,
    State.RECEIPT: done.build,
}


class IdleOverlay(QWidget):
    """Dims the screen and asks whether the citizen is still there."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("Overlay")
        self.setAttribute(Qt.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignCenter)
        self.dialog = QWidget()
        self.dialog.setObjectName("Dialog")
        self.dialog.setAttribute(Qt.WA_StyledBackground, True)
        self.dialog.setMaximumWidth(1000)
        inner = QVBoxLayout(self.dialog)
        inner.setContentsMargins(48, 48, 48, 48)
        inner.setSpacing(32)
        self.message = label("", "Title")
        self.message.setAlignment(Qt.AlignCenter)
        inner.addWidget(self.message)
        self.more = button("", self.hide, name="Primary")
        inner.addWidget(self.more)
        layout.addWidget(self.dialog)
        self.hide()


class MainWindow(QWidget):
    def __init__(self, controller: Controller, idle_timeout_s: int, idle_warning_s: int, demo: bool = False,
                 lock_close: bool = True) -> None:
        super().__init__()
        self.setObjectName("Root")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.controller = controller
        self.demo = demo
        self.lock_close = lock_close
        self._theme_name = ""
        self.header: QWidget | None = None
        self._screen: QWidget | None = None
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(0)
        self.overlay = IdleOverlay(self)
        self.idle = IdleWatch(idle_timeout_s, idle_warning_s, self.show_idle_warning, controller.timeout,
                              self.overlay.hide)
        controller.changed.connect(self.render)
        self.render()

    @property
    def session(self) -> Session:
        return self.controller.session

    @property
    def screen_widget(self) -> QWidget | None:
        return self._screen

    def render(self) -> None:
        """Rebuild header and screen from the session: nothing of a past citizen survives a redraw."""
        session = self.session
        theme = themes.THEMES[session.profile.theme_name]
        if theme.name != self._theme_name:
            self.setStyleSheet(themes.stylesheet(theme))
            self._theme_name = theme.name
        tr = session.translator
        portrait = self.height() > self.width()
        for old in (self.header, self._screen):
            if old is not None:
                self.layout_.removeWidget(old)
                discard(old)
        self.header = self._build_header(tr, session, two_rows=portrait or theme.name != "normal")
        self._screen = SCREENS[session.state](ScreenContext(self.controller, tr, theme, portrait, self.demo))
        self._screen.setAttribute(Qt.WA_StyledBackground, True)
        self.layout_.addWidget(self.header)
        self.layout_.addWidget(self._screen, 1)
        if self.isVisible():                  # at once, not at the next turn of the event loop
            self.header.show()
            self._screen.show()
        self.overlay.hide()
        self.overlay.more.setText(tr.t("idle.more_time"))
        self.idle.arm(session.state is not State.ATTRACT)
        self.setWindowTitle(tr.t("app.title"))

    def _build_header(self, tr: Translator, session: Session, two_rows: bool) -> QWidget:
        """Title and the controls every citizen may need on every screen: text size, contrast, language."""
        header = QWidget()
        header.setObjectName("Header")
        header.setAttribute(Qt.WA_StyledBackground, True)
        rows = QVBoxLayout(header)
        rows.setContentsMargins(32, 8, 32, 8)
        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        title = label(tr.t("app.title"), wrap=True)
        if two_rows:
            rows.addWidget(title)
            rows.addLayout(buttons)
        else:
            buttons.addWidget(title, 1)
            rows.addLayout(buttons)
        other = LANGUAGES[(LANGUAGES.index(session.language) + 1) % len(LANGUAGES)]
        controls = [
            ("large_text", tr.t("header.large_text"), self.controller.toggle_large_text),
            ("contrast", tr.t("header.contrast"), self.controller.toggle_contrast),
            ("language", tr.t("app.language_switch"), lambda: self.controller.set_language(other)),
        ]
        if session.state not in (State.ATTRACT, State.SUBMITTING):
            controls.append(("home", tr.t("common.home"), self.controller.home))
        for role, text, tap in controls:
            widget = button(text, tap, name="HeaderButton")
            widget.setProperty("role", role)
            widget.setSizePolicy(QSizePolicy.Expanding if two_rows else QSizePolicy.Preferred, QSizePolicy.Fixed)
            buttons.addWidget(widget)
        return header

    def header_button(self, role: str) -> QPushButton:
        assert self.header is not None
        for widget in self.header.findChildren(QPushButton):
            if widget.property("role") == role:
                return widget
        raise LookupError(role)

    def show_idle_warning(self, seconds_left: int) -> None:
        self.overlay.message.setText(self.session.translator.t("idle.warning", seconds=seconds_left))
        self.overlay.setGeometry(self.rect())
        self.overlay.show()
        self.overlay.raise_()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.overlay.setGeometry(self.rect())
        portrait = event.size().height() > event.size().width()
        if portrait != (event.oldSize().height() > event.oldSize().width()):
            self.render()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt's name)
        event.accept()      # no context menus anywhere on a kiosk

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.lock_close:
            event.ignore()  # Alt+F4 and the like do not leave the kiosk; technicians use their own path
        else:
            super().closeEvent(event)
