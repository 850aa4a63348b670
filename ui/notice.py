"""The notice over the kiosk's screen: the idle warning and the help message, each with one way on.

Its own module so that the window (which shows it) and the keypad (which presses its button) both
know it without importing each other.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QBoxLayout, QLabel, QSizePolicy, QSpacerItem, QVBoxLayout, QWidget

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
        self.inner.addStretch(0)        # filling the glass (present's span): what it says amid the room above
        self.picture = QLabel()         # what the headline asks for, drawn (the telephone of the hotline)
        self.picture.setAlignment(Qt.AlignCenter)
        self.picture.hide()
        self.inner.addWidget(self.picture)
        self.headline = label("", "Title")     # what to do, when it is not the message itself (call 12345)
        self.message = label("", "Title")
        self.detail = label("", "Lead")     # what must stay readable under the notice (a closed kiosk's place)
        for line in (self.headline, self.message, self.detail):
            line.setAlignment(Qt.AlignCenter)
            line.hide()
            self.inner.addWidget(line)
        self.message.show()
        self.inner.addStretch(0)        # filling the glass (present's span): the buttons go to its foot
        self.buttons = buttons = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        buttons.setSpacing(32)
        self.home = button("", self._go_home, name="NoticeHome")
        self.home.hide()
        self.more = button("", self._go_on, name="Primary")
        self.more.setProperty("notice", name)
        for widget in (self.home, self.more):
            widget.setProperty("hero", True)        # the one way on, at more than the body's size
            buttons.addWidget(widget)
        self.inner.addLayout(buttons)
        self.above = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)  # place(): where it sits
        self.layout_.addItem(self.above)
        self.layout_.addWidget(self.dialog)
        self.layout_.addStretch(1)
        self.going_home: Callable[[], None] | None = None
        self.again: Callable[[], None] | None = None
        self.span: tuple[int, int] | None = None
        self.hide()

    def present(self, text: str, action: str, description: str, margin: int, detail: str = "",
                headline: str = "", home: tuple[str, str, Callable[[], None]] | None = None,
                span: tuple[int, int] | None = None, picture: QPixmap | None = None,
                again: Callable[[], None] | None = None) -> None:
        """text with action (the primary button) to close it, or to close it and do again (again: a call for
        staff that reached no one). headline: the largest line, above text, which is then set smaller; home:
        (words, description, tap) of a second way on; span: the rows of the glass (top, bottom) the dialog
        fills, its buttons at its foot (portrait: no empty half of scrim); picture: drawn above the headline."""
        self.again = again
        self.picture.setPixmap(picture if picture is not None else QPixmap())
        self.picture.setVisible(picture is not None)
        self.headline.setText(headline)
        self.headline.setVisible(bool(headline))
        self.message.setText(text)
        self.message.setObjectName("Lead" if headline else "Title")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        for widget, (words, said) in ((self.more, (action, description)), (self.home, (home or ("", ""))[:2])):
            widget.setText(words)
            widget.setAccessibleName(words)
            widget.setAccessibleDescription(said)
        self.going_home = home[2] if home is not None else None
        self.home.setVisible(home is not None)
        self.span = span
        self.setGeometry(self.parentWidget().rect())
        self._stack_buttons_if_narrow(margin)
        if span is None:
            self.layout_.setContentsMargins(margin, margin, margin, margin)
        else:           # edge to edge with the header and the bar: no line of the screen beneath peeks out
            self.layout_.setContentsMargins(margin, span[0], margin, self.height() - span[1])
        self.layout_.setStretch(1, 1 if span else 0)
        self.layout_.setStretch(2, 0 if span else 1)
        for stretch in (0, 5):
            self.inner.setStretch(stretch, 1 if span else 0)
        self.inner.setContentsMargins(margin, margin, margin, margin)
        self.show()
        self.raise_()
        self.place()

    def _stack_buttons_if_narrow(self, margin: int) -> None:
        """The two ways on side by side, or one above the other (the primary at the foot, nearest the hand)
        when their words do not fit a row: "Stop and go to the start" was cut in portrait's largest text."""
        shown = [w for w in (self.home, self.more) if not w.isHidden()]
        for widget in shown:
            widget.ensurePolished()
        needed = sum(w.sizeHint().width() for w in shown) + self.buttons.spacing() * (len(shown) - 1)
        narrow = needed > self.width() - 4 * margin      # the scrim's margins and the dialog's, each side
        self.buttons.setDirection(QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight)

    def _go_on(self) -> None:
        self.hide()
        if self.again is not None:
            self.again()

    def _go_home(self) -> None:
        self.hide()
        if self.going_home is not None:
            self.going_home()

    def _squeezed(self) -> bool:
        """Whether a line of its words has less height than it needs (large text on a short glass)."""
        return any(line.isVisible() and line.heightForWidth(line.width()) > line.height() + 1
                   for line in (self.headline, self.message, self.detail))

    def place(self) -> None:
        """Centred, or as near the centre as the screen beneath allows with neither edge through a line of
        its text or a control (a dialog edge through a half-hidden line reads as a broken screen)."""
        self.above.changeSize(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.layout_.invalidate()
        self.layout_.activate()
        if self.picture.isVisible() and self._squeezed():     # the words first: the picture only repeats them
            self.picture.hide()
            self.layout_.invalidate()
            self.layout_.activate()
        if self.span is not None:       # it fills the rows it was given: nothing to move
            return
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
        top = next((y for y in tops if not any(a < edge < b for a, b in spans for edge in (y, y + height))), None)
        if top is None:     # every height cuts a line (a form beside its keys, large text): the glass's whole height
            margins = self.layout_.contentsMargins()
            self.layout_.setContentsMargins(margins.left(), 0, margins.right(), 0)
            self.layout_.setStretch(1, 1)
            self.layout_.setStretch(2, 0)
            for stretch in (0, 5):      # its words and button in the middle of it, as spanning the rows does
                self.inner.setStretch(stretch, 1)
            self.layout_.invalidate()
            self.layout_.activate()
            return
        self.above.changeSize(0, max(0, top - top_margin), QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.layout_.invalidate()
        self.layout_.activate()
