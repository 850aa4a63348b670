"""The PIN pad the hidden gesture opens: digits on the glass, the PIN masked, the lockout said plainly."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.technician import LOCKED, MAX_FAILURES, PIN_DIGITS, WRONG_PIN, Attempt
from ui.technician.shell import Cover
from ui.widgets import DigitField, Keypad, button, discard, page


class PinPad(Cover):
    def __init__(self, parent: QWidget, language: str, on_enter: Callable[[str], None],
                 on_cancel: Callable[[], None], ppi: float = 0.0) -> None:
        super().__init__(parent, language, ppi)
        self.on_enter = on_enter
        self.on_cancel = on_cancel
        self.problem: str | None = None
        self.busy = False
        self.left = MAX_FAILURES
        self.locked_until: dt.datetime | None = None
        self.body: QWidget | None = None
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.render()

    def render(self) -> None:
        theme, tr = self.theme(), self.tr
        typed = self.field.text() if self.body is not None else ""
        if self.body is not None:
            self.layout_.removeWidget(self.body)
            discard(self.body)
        keys = Keypad(tr.t("technician.pin.delete"), tr.t("technician.desc.key"), theme.gap_px)
        self.field = DigitField(keys, PIN_DIGITS[1])
        self.field.setObjectName("pin")
        self.field.setEchoMode(QLineEdit.Password)
        self.field.setAccessibleName(tr.t("technician.pin.field"))
        self.field.setText(typed)
        keys.attach(self.field)
        keys.setMaximumWidth(max(theme.target_px * 6, self.width() // 3))
        self.enter = button(tr.t("technician.pin.enter"), self._enter, name="Primary",
                            description=tr.t("technician.desc.enter"))
        self.enter.setProperty("role", "enter")
        cancel = button(tr.t("common.back"), self.on_cancel, description=tr.t("technician.desc.cancel"))
        cancel.setProperty("role", "cancel")
        locked = self.locked_until is not None
        self.enter.setEnabled(not locked and not self.busy)
        entry = QWidget()                     # the field over its keypad, one column in the middle
        column = QVBoxLayout(entry)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(theme.gap_px * 2)
        column.addWidget(self.field)
        column.addWidget(keys)
        entry.setMaximumWidth(keys.maximumWidth())
        middle = QWidget()
        row = QHBoxLayout(middle)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(entry)
        self.body = page(tr.t("technician.pin.title"), [middle], theme, footer=[cancel, self.enter],
                         problem=self._problem_text(), subtitle=tr.t("technician.pin.subtitle"))
        self.layout_.addWidget(self.body)
        self.body.show()

    def _problem_text(self) -> str | None:
        tr = self.tr
        if self.locked_until is not None:
            local = self.locked_until.astimezone().strftime("%H:%M")
            return tr.t("technician.problem.locked", until=local)
        if self.problem == WRONG_PIN:
            return tr.t(WRONG_PIN, left=self.left)
        return tr.t(self.problem) if self.problem else None

    def _enter(self) -> None:
        if self.busy or not self.field.text():
            return
        self.busy = True
        self.enter.setEnabled(False)
        pin = self.field.text()
        self.field.clear()
        self.on_enter(pin)

    def refused(self, attempt: Attempt | None, problem: str | None = None) -> None:
        """After a wrong PIN, a lockout, or a refused token: say why, keep the pad open."""
        self.busy = False
        self.problem = attempt.problem if attempt else problem
        self.left = attempt.left if attempt else MAX_FAILURES
        self.locked_until = attempt.until if attempt and attempt.problem == LOCKED else self.locked_until
        self.render()

    def lock(self, until: dt.datetime | None) -> None:
        self.locked_until = until
        self.render()
