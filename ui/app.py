"""Starting the Qt application: fonts, the kiosk window's geometry, and the start-up check."""
from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QEvent, QMessageLogContext, QObject, QSize, Qt, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from ui.app_filter import app_filter

log = logging.getLogger(__name__)


def _uses_pyside(module: object, shibokens: Callable[[object], bool]) -> bool:
    """Shiboken's answer, for a module imported from a .py file, to whether its source names PySide6, from the
    file's bytes. Shiboken asks it of every module imported once PySide6 is (its `__feature__` switch needs it,
    which the kiosk never uses) and reads the source through inspect.getsource: ~0.15 ms a module, ~12 ms for
    the ~100 met before the first paint (bench.startup); reading the bytes costs a tenth of that. Anything else
    (builtin, frozen, extension, zipped) is left to shiboken."""
    file = getattr(module, "__file__", None)
    if not isinstance(file, str) or not file.endswith(".py"):
        return shibokens(module)
    try:
        with open(file, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return shibokens(module)


def _lighter_feature_scan() -> None:
    feature = sys.modules.get("shibokensupport.feature")
    shibokens = getattr(feature, "_mod_uses_pyside", None)
    if shibokens is None or hasattr(shibokens, "shibokens"):     # another PySide, or already done
        return

    def uses_pyside(module: object) -> bool:
        return _uses_pyside(module, shibokens)

    uses_pyside.shibokens = shibokens       # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside   # type: ignore[union-attr]


_lighter_feature_scan()

# QtMultimedia lists every optional codec library it does not find at start: noise on a kiosk.
_QUIET = {"qt.multimedia.symbolsresolver"}
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Source Han Sans SC")
KIOSK_FLAGS = Qt.FramelessWindowHint | Qt.WindowStaysOnTopHint      # a kiosk's window: no frame, on top


_QML_LINT = ("PopupList_QMLTYPE", "QtQuick/VirtualKeyboard", "QLineEdit::echoMode")


def _qt_messages(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's own messages to our log; the offscreen platform's notice about size hints is noise."""
    if "does not support propagateSizeHints" in message or context.category in _QUIET:
        return
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO}.get(mode, logging.WARNING)
    if any(mark in message for mark in _QML_LINT):
        level = logging.DEBUG    # Qt Virtual Keyboard's own QML style notes, a screenful per form: not ours to fix
    logging.getLogger("qt").log(level, "%s", message)


def qapp(argv: list[str] | None = None) -> QApplication:
    qInstallMessageHandler(_qt_messages)
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv or sys.argv[:1])
        # What Qt posted while starting, delivered before any app-wide event filter of ours exists: the virtual
        # keyboard's input context posts itself a call, and the first event of that object (a class PySide does
        # not know) through a Python filter makes PySide build every Qt class's enums, ~25 ms before the first
        # paint (bench.startup).
        app.sendPostedEvents()
    app.setApplicationName("kiosk24")
    family = next((f for f in CJK_FAMILIES if f in QFontDatabase.families()), None)
    if family is None:
        log.warning("no CJK font installed: Chinese text will not render (install fonts-noto-cjk)")
    else:
        app.setFont(QFont(family))
    return app


def has_cjk_font() -> bool:
    return any(f in QFontDatabase.families() for f in CJK_FAMILIES)


def window_size(fullscreen: bool, width: int, height: int) -> QSize:
    """The screen's size on a kiosk; the configured size scaled to fit the desktop otherwise."""
    screen = QGuiApplication.primaryScreen()
    if fullscreen:
        return screen.geometry().size()
    available = screen.availableGeometry()
    scale = min(1.0, available.width() * 0.95 / width, available.height() * 0.95 / height)
    return QSize(int(width * scale), int(height * scale))


def show(window: QWidget, fullscreen: bool, width: int, height: int) -> None:
    """Fullscreen and frameless on a kiosk; a window that fits the desktop otherwise.

    With the application's filter off, as while a screen is built (ui.app_filter): showing is hundreds of
    events (show, polish, layout: ~390 for the attract screen, ~5 ms through the filter's watchers), none of
    them input. Qt delivers input from the event loop, where the filter is back, not while a window is shown
    (where a platform flushes its window-system events then, it leaves the user's out)."""
    with app_filter().quiet():
        if fullscreen:
            if window.windowFlags() & KIOSK_FLAGS != KIOSK_FLAGS:       # set anew, they re-polish every widget
                window.setWindowFlags(window.windowFlags() | KIOSK_FLAGS)
            window.setGeometry(QGuiApplication.primaryScreen().geometry())   # without a window manager
            window.showFullScreen()                                          # showFullScreen alone is not enough
            return
        window.resize(window_size(fullscreen, width, height))
        window.show()


class FirstPaint(QObject):
    """Calls back once, when the watched widget has painted its first frame."""

    def __init__(self, widget: QWidget, callback) -> None:
        super().__init__(widget)
        self.callback = callback
        self.fired = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Paint and not self.fired:
            self.fired = True
            QTimer.singleShot(0, self.callback)
        return False
