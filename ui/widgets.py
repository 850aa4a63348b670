"""Touch widgets shared by the screens: big buttons, wrapped labels, the digit keypad, the page frame."""
from __future__ import annotations

from typing import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QScrollArea, QScroller, QScrollerProperties, QSizePolicy, QVBoxLayout, QWidget)


def button(text: str, on_tap: Callable[[], None], name: str = "", checked: bool | None = None) -> QPushButton:
    """A touch button; `name` selects a style (Primary) and is the handle tests use."""
    widget = QPushButton(text)
    widget.setObjectName(name or "")
    widget.setAccessibleName(text)
    widget.setFocusPolicy(Qt.StrongFocus)
    widget.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
    if checked is not None:
        widget.setCheckable(True)
        widget.setChecked(checked)
    widget.clicked.connect(lambda _=False: on_tap())
    return widget


def label(text: str, name: str = "", wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setObjectName(name)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.NoTextInteraction)   # no selection or drag out of the kiosk
    return widget


def card(*children: QWidget, spacing: int = 12) -> QFrame:
    frame = QFrame()
    frame.setObjectName("Card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(24, 20, 24, 20)
    layout.setSpacing(spacing)
    for child in children:
        layout.addWidget(child)
    return frame


def scrolling(content: QWidget) -> QScrollArea:
    """A scroll area a finger can drag, as on a phone: kiosks have no scroll wheel."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 12, 0)
    column.addWidget(content)
    column.addStretch(1)            # content keeps its natural height; the space goes below it
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    area.setWidget(holder)
    QScroller.grabGesture(area.viewport(), QScroller.LeftMouseButtonGesture)
    scroller = QScroller.scroller(area.viewport())
    properties = scroller.scrollerProperties()
    properties.setScrollMetric(QScrollerProperties.MousePressEventDelay, 0)   # a tap is a tap at once
    scroller.setScrollerProperties(properties)
    return area


def discard(widget: QWidget) -> None:
    """Hide at once, delete soon: a past citizen's screen must not linger even for a frame."""
    widget.hide()
    widget.setParent(None)
    widget.deleteLater()


def page(title: str, body: Iterable[QWidget], footer: Iterable[QWidget] = (), problem: str | None = None,
         subtitle: str = "") -> QWidget:
    """Every screen's frame: title, the problem to fix (if any), content, and actions at the bottom."""
    root = QWidget()
    root.setObjectName("Body")
    layout = QVBoxLayout(root)
    layout.setContentsMargins(48, 32, 48, 32)
    layout.setSpacing(20)
    layout.addWidget(label(title, "Title"))
    if subtitle:
        layout.addWidget(label(subtitle, "Subtitle"))
    if problem:
        layout.addWidget(label(problem, "Problem"))
    body = list(body)
    for widget in body:
        layout.addWidget(widget, 1 if isinstance(widget, QScrollArea) else 0)
    if not any(isinstance(widget, QScrollArea) for widget in body):
        layout.addStretch(1)
    actions = list(footer)
    if actions:
        row = QHBoxLayout()
        row.setSpacing(24)
        for widget in actions:
            row.addWidget(widget)
        layout.addLayout(row)
    return root


class Keypad(QWidget):
    """Digits, X and delete for ID and mobile numbers; types into whichever field has focus last."""

    KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "X", "⌫")

    def __init__(self, delete_text: str, columns: int) -> None:
        super().__init__()
        self.target: QLineEdit | None = None
        grid = QGridLayout(self)
        grid.setSpacing(12)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, key in enumerate(self.KEYS):
            text = delete_text if key == "⌫" else key
            widget = button(text, lambda k=key: self.press(k), name="Key")
            widget.setProperty("key", key)
            widget.setFocusPolicy(Qt.NoFocus)     # tapping a key must not steal the field's focus
            grid.addWidget(widget, index // columns, index % columns)

    def attach(self, field: QLineEdit) -> None:
        self.target = field

    def press(self, key: str) -> None:
        if self.target is None:
            return
        if key == "⌫":
            self.target.backspace()
        elif len(self.target.text()) < self.target.maxLength():
            self.target.insert(key)


class DigitField(QLineEdit):
    """A field for ID and mobile numbers: typed on the keypad, which follows the field last touched."""

    def __init__(self, keypad: Keypad, max_length: int) -> None:
        super().__init__()
        self.keypad = keypad
        self.setMaxLength(max_length)
        self.setContextMenuPolicy(Qt.NoContextMenu)
        self.setDragEnabled(False)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        self.keypad.attach(self)
        super().focusInEvent(event)
