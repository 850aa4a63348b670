"""The on-screen keyboard for letters and Chinese (拼音), inside the kiosk's own window.

Qt Virtual Keyboard types into widgets when it is the input method (tooling.cli.QT_INPUT, set by the CLI
before the QApplication exists). Its desktop mode opens a keyboard window of its own, which a kiosk
compositor may stack anywhere or not show at all; with that mode off (QT_VIRTUALKEYBOARD_DESKTOP_DISABLE)
the panel below lives in the form, sized and placed like every other control.
"""
from __future__ import annotations

import dataclasses

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QMouseEvent
from PySide6.QtQml import QQmlComponent
from PySide6.QtQuick import QQuickItem
from PySide6.QtQuickWidgets import QQuickWidget
from PySide6.QtWidgets import QApplication

from kiosk.i18n import Translator

_LOCALES = {"zh_CN": "zh_CN", "en": "en_US"}


class KeyboardUnavailable(RuntimeError):
    """Qt Virtual Keyboard did not load; the message says why (its QML plugin needs libpulse.so.0)."""

_PANEL = """
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
InputPanel {
    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = "%s"
    }
    externalLanguageSwitchEnabled: true
    onExternalLanguageSwitch: (localeList, currentIndex) => {
        VirtualKeyboardSettings.locale = localeList[(currentIndex + 1) %% localeList.length]
    }
}
"""
# The globe key switches between the two layouts at once: the style's own choice is a pop-up list that
# only a finger can pick from (its items are no keys for the tactile keypad to reach).

# The keyboard's own key kinds (QtVirtualKeyboard's KeyType): what a special key is called aloud.
_SPECIAL = {1: "keyboard.backspace", 2: "keyboard.language", 3: "keyboard.enter", 11: "keyboard.shift",
            6: "keyboard.hide", 12: "keyboard.space", 13: "keyboard.symbols"}
_FILLER = 4
_RING = "import QtQuick\nRectangle { color: 'transparent'; border.width: %d; border.color: '%s'; z: 1000; radius: 4 }"


@dataclasses.dataclass(frozen=True)
class KeyStop:
    """One key of the panel as the tactile keypad reaches it."""

    item: QQuickItem
    kind: int
    text: str

    def spoken(self, tr: Translator) -> str:
        return tr.t(_SPECIAL[self.kind]) if self.kind in _SPECIAL else self.text


class TextKeyboard(QQuickWidget):
    """Pinyin for a Chinese session, QWERTY for an English one; the globe key switches."""

    def __init__(self, language: str, width: int) -> None:
        super().__init__()
        self.setResizeMode(QQuickWidget.SizeViewToRootObject)     # the panel's height follows its width
        self.setFocusPolicy(Qt.NoFocus)            # typing on it must leave the focus in the field
        self.setAttribute(Qt.WA_AcceptTouchEvents, True)
        component = QQmlComponent(self.engine())
        component.setData((_PANEL % _LOCALES[language]).encode(), QUrl())
        panel = component.create()
        if panel is None:
            raise KeyboardUnavailable(component.errorString().strip())
        self.setContent(QUrl(), component, panel)
        self._ring: QQuickItem | None = None
        self.fit(width)

    def fit(self, width: int, height: int = 0) -> None:
        """As wide as width allows, and no taller than height (if given): the keys keep their shape."""
        root = self.rootObject()
        root.setWidth(width)
        if height and root.height() > height:
            root.setWidth(int(width * height / root.height()))
        self.setFixedSize(round(root.width()), round(root.height()))

    # -- the tactile keypad's way through the keys -------------------------------------------------
    def keys(self) -> list[KeyStop]:
        """The keys a finger could press now, row by row, left to right."""
        stops = []
        for item in self.rootObject().findChildren(QQuickItem):
            kind = item.property("keyType")
            if kind is None or kind == _FILLER or not item.isVisible() or not item.isEnabled() or item.width() <= 0:
                continue
            stops.append(KeyStop(item, int(kind), str(item.property("displayText") or "")))
        place = {id(s.item): s.item.mapToScene(QPointF(0, 0)) for s in stops}
        return sorted(stops, key=lambda s: (round(place[id(s.item)].y()), place[id(s.item)].x()))

    def centre(self, stop: KeyStop) -> QPoint:
        centre = stop.item.mapToScene(QPointF(stop.item.width() / 2, stop.item.height() / 2))
        return QPoint(round(centre.x()), round(centre.y()))

    def press(self, stop: KeyStop) -> None:
        """As a finger would: the panel handles press and release on separate turns of its loop."""
        point = QPointF(self.centre(stop))
        for kind in (QEvent.MouseButtonPress, QEvent.MouseButtonRelease):
            buttons = Qt.LeftButton if kind is QEvent.MouseButtonPress else Qt.NoButton
            event = QMouseEvent(kind, point, self.mapToGlobal(point), Qt.LeftButton, buttons, Qt.NoModifier)
            QApplication.sendEvent(self, event)
            QApplication.processEvents()

    def highlight(self, stop: KeyStop | None, colour: str = "#ffbf00", width: int = 6) -> None:
        """The focus ring on the key the keypad is at; None takes it away."""
        if stop is None:
            if self._ring is not None:
                self._ring.setVisible(False)
            return
        if self._ring is None:
            component = QQmlComponent(self.engine())
            component.setData((_RING % (width, colour)).encode(), QUrl())
            self._ring = component.create()
            self._ring.setParent(self.rootObject())      # Qt owns it: it goes with the panel
            self._ring.setParentItem(self.rootObject())
        corner = self.rootObject().mapFromItem(stop.item, QPointF(0, 0))
        self._ring.setX(corner.x())
        self._ring.setY(corner.y())
        self._ring.setWidth(stop.item.width())
        self._ring.setHeight(stop.item.height())
        self._ring.setVisible(True)

    def smallest_key_px(self) -> tuple[float, float]:
        """(width, height) of the narrowest and of the shortest key: what the audit holds to 15 mm."""
        stops = self.keys()
        if not stops:
            return 0.0, 0.0
        return min(s.item.width() for s in stops), min(s.item.height() for s in stops)
