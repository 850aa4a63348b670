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
from ui.widgets import button, label

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
        self._screen: QWidget | None = None
        self.header = QWidget()
        self.header.setObjectName("Header")
        self.header.setAttribute(Qt.WA_StyledBackground, True)
        self.header_layout = QHBoxLayout(self.header)
        self.header_layout.setContentsMargins(32, 12, 32, 12)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(0)
        self.layout_.addWidget(self.header)
        self.overlay = IdleOverlay(self)
        self.idle = IdleWatch(idle_timeout_s, idle_warning_s, self._warn, controller.timeout, self.overlay.hide)
        controller.changed.connect(self.render)
        self.render()

    @property
    def session(self) -> Session:
        return self.controller.session

    @property
    def screen_widget(self) -> QWidget | None:
        return self._screen

    def render(self) -> None:
        """Rebuild the current screen from the session: nothing of a past citizen survives a redraw."""
        session = self.session
        theme = themes.THEMES[session.profile.theme_name]
        if theme.name != self._theme_name:
            self.setStyleSheet(themes.stylesheet(theme))
            self._theme_name = theme.name
        tr = session.translator
        self._render_header(tr, session)
        ctx = ScreenContext(self.controller, tr, theme, portrait=self.height() > self.width(), demo=self.demo)
        screen = SCREENS[session.state](ctx)
        screen.setObjectName(screen.objectName() or "Body")
        screen.setAttribute(Qt.WA_StyledBackground, True)
        if self._screen is not None:
            self.layout_.removeWidget(self._screen)
            self._screen.deleteLater()
        self._screen = screen
        self.layout_.addWidget(screen, 1)
        self.overlay.hide()
        self.overlay.more.setText(tr.t("idle.more_time"))
        self.idle.arm(session.state is not State.ATTRACT)
        self.setWindowTitle(tr.t("app.title"))

    def _render_header(self, tr: Translator, session: Session) -> None:
        while self.header_layout.count():
            item = self.header_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        title = label(tr.t("app.title"), wrap=False)
        self.header_layout.addWidget(title, 1)
        other = LANGUAGES[(LANGUAGES.index(session.language) + 1) % len(LANGUAGES)]
        for text, tap, name in (
            (tr.t("header.large_text"), self.controller.toggle_large_text, "large_text"),
            (tr.t("header.contrast"), self.controller.toggle_contrast, "contrast"),
            (tr.t("app.language_switch"), lambda: self.controller.set_language(other), "language"),
        ):
            widget = button(text, tap, name="HeaderButton")
            widget.setProperty("role", name)
            widget.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
            self.header_layout.addWidget(widget)
        if session.state not in (State.ATTRACT, State.SUBMITTING):
            home = button(tr.t("common.home"), self.controller.home, name="HeaderButton")
            home.setProperty("role", "home")
            self.header_layout.addWidget(home)

    def header_button(self, role: str) -> QPushButton:
        for index in range(self.header_layout.count()):
            widget = self.header_layout.itemAt(index).widget()
            if widget is not None and widget.property("role") == role:
                return widget
        raise LookupError(role)

    def _warn(self, seconds_left: int) -> None:
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
