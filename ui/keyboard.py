"""The on-screen keyboard for letters and Chinese (拼音), inside the kiosk's own window.

Qt Virtual Keyboard types into widgets when it is the input method (ui.cli.QT_INPUT, set by the CLI
before the QApplication exists). Its desktop mode opens a keyboard window of its own, which a kiosk
compositor may stack anywhere or not show at all; with that mode off (QT_VIRTUALKEYBOARD_DESKTOP_DISABLE)
the panel below lives in the form, sized and placed like every other control.
"""
from __future__ import annotations

from PySide6.QtCore import QUrl, Qt
from PySide6.QtQml import QQmlComponent
from PySide6.QtQuickWidgets import QQuickWidget

_LOCALES = {"zh_CN": "zh_CN", "en": "en_US"}
_PANEL = """
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
InputPanel {
    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = "%s"
    }
}
"""


class TextKeyboard(QQuickWidget):
    """Pinyin for a Chinese session, QWERTY for an English one; the globe key switches."""

    def __init__(self, language: str, width: int) -> None:
        super().__init__()
        self.setResizeMode(QQuickWidget.SizeViewToRootObject)     # the panel's height follows its width
        self.setFocusPolicy(Qt.NoFocus)            # typing on it must leave the focus in the field
        self.setAttribute(Qt.WA_AcceptTouchEvents, True)
        component = QQmlComponent(self.engine())
        component.setData((_PANEL % _LOCALES[language]).encode(), QUrl())
        self.setContent(QUrl(), component, component.create())
        self.fit(width)

    def fit(self, width: int, height: int = 0) -> None:
        """As wide as width allows, and no taller than height (if given): the keys keep their shape."""
        root = self.rootObject()
        root.setWidth(width)
        if height and root.height() > height:
            root.setWidth(int(width * height / root.height()))
        self.setFixedSize(round(root.width()), round(root.height()))
