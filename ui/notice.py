"""The notice over the kiosk's screen: the idle warning and the help message, each with one way on.

Its own module so that the window (which shows it) and the keypad (which presses its button) both
know it without importing each other.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.widgets import button, label


class Notice(QWidget):
    """Dims the screen and says one thing with one way on: the idle warning, the help message."""

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        self.setObjectName("Overlay")
        self.setProperty("notice", name)
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.layout_ = QVBoxLayout(self)      # stretches, not alignment: an aligned layout does not wrap text
        self.dialog = QWidget()
        self.dialog.setObjectName("Dialog")
        self.dialog.setAttribute(Qt.WA_StyledBackground, True)
        self.inner = QVBoxLayout(self.dialog)
        self.inner.setSpacing(32)
        self.message = label("", "Title")
        self.message.setAlignment(Qt.AlignCenter)
        self.inner.addWidget(self.message)
        self.more = button("", self.hide, name="Primary")
        self.more.setProperty("notice", name)
        self.inner.addWidget(self.more)
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.dialog)
        self.layout_.addStretch(1)
        self.hide()

    def present(self, text: str, action: str, description: str, margin: int) -> None:
        self.message.setText(text)
        self.more.setText(action)
        self.more.setAccessibleName(action)
        self.more.setAccessibleDescription(description)
        self.layout_.setContentsMargins(margin, margin, margin, margin)
        self.inner.setContentsMargins(margin, margin, margin, margin)
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
