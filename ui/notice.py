"""The notice over the kiosk's screen: the idle warning and the help message, each with one way on.

Its own module so that the window (which shows it) and the keypad (which presses its button) both
know it without importing each other.
"""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QSizePolicy, QSpacerItem, QVBoxLayout, QWidget

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
        self.detail = label("", "Lead")     # what must stay readable under the notice (a closed kiosk's place)
        self.detail.setAlignment(Qt.AlignCenter)
        self.detail.hide()
        self.inner.addWidget(self.detail)
        self.more = button("", self.hide, name="Primary")
        self.more.setProperty("notice", name)
        self.inner.addWidget(self.more)
        self.above = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)  # place(): where it sits
        self.layout_.addItem(self.above)
        self.layout_.addWidget(self.dialog)
        self.layout_.addStretch(1)
        self.hide()

    def present(self, text: str, action: str, description: str, margin: int, detail: str = "") -> None:
        self.message.setText(text)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.more.setText(action)
        self.more.setAccessibleName(action)
        self.more.setAccessibleDescription(description)
        self.layout_.setContentsMargins(margin, margin, margin, margin)
        self.inner.setContentsMargins(margin, margin, margin, margin)
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.place()

    def place(self) -> None:
        """Centred, or as near the centre as the screen beneath allows with neither edge through a line of
        its text or a control (a dialog edge through a half-hidden line reads as a broken screen)."""
        self.above.changeSize(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.layout_.invalidate()
        self.layout_.activate()
        height, room = self.dialog.height(), self.height() - self.layout_.contentsMargins().bottom()
        top_margin = self.layout_.contentsMargins().top()
        screen = self.parentWidget()
        assert screen is not None
        spans = []
        for widget in screen.findChildren(QWidget):
            if widget.isVisible() and not widget.findChildren(QWidget) and not self.isAncestorOf(widget) \
                    and widget is not self:
                corner = widget.mapTo(screen, QPoint(0, 0))
                spans.append((corner.y(), corner.y() + widget.height()))
        centred = (self.height() - height) // 2
        tops = sorted(range(top_margin, max(top_margin, room - height) + 1, 2), key=lambda y: abs(y - centred))
        top = next((y for y in tops if not any(a < edge < b for a, b in spans for edge in (y, y + height))), centred)
        self.above.changeSize(0, max(0, top - top_margin), QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.layout_.invalidate()
        self.layout_.activate()
