"""Pieces the technician's pages share: a twice-confirmed action, times and ages in words, results
shown when a background job ends, buttons found by role."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from kiosk.i18n import Translator
from ui.widgets import button, discard, label


def age(seconds: float | None, tr: Translator) -> str:
    if seconds is None:
        return tr.t("technician_ops.none")
    minutes, hours, days = int(seconds // 60), int(seconds // 3600), int(seconds // 86400)
    if days:
        return tr.t("technician_ops.age.days", days=days, hours=hours % 24)
    if hours:
        return tr.t("technician_ops.age.hours", hours=hours, minutes=minutes % 60)
    if minutes:
        return tr.t("technician_ops.age.minutes", minutes=minutes)
    return tr.t("technician_ops.age.seconds", seconds=int(seconds))


def when(moment: dt.datetime | None, tr: Translator) -> str:
    """A UTC time from the database or the worker, as the kiosk's local clock shows it."""
    if moment is None:
        return tr.t("technician_ops.never")
    return moment.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def state_words(state: str, tr: Translator) -> str:
    """The sync worker's one word, in words; a state this page does not know yet is shown as it is."""
    key = f"technician_ops.sync_state.{state}"
    try:
        return tr.t(key)
    except KeyError:
        return state


class TwiceConfirmed(QWidget):
    """A step that cannot be undone from the glass (restart, shut down): the first tap asks, the second
    asks again, the third acts. Cancel, or leaving the page, backs out."""

    def __init__(self, tr: Translator, texts: tuple[str, str, str], description: str, act: Callable[[], None],
                 role: str) -> None:
        super().__init__()
        self.texts, self.act, self.step = texts, act, 0
        self.go = button(texts[0], self.advance, name="Primary", description=description)
        self.go.setProperty("role", role)
        self.cancel = button(tr.t("technician_ops.cancel"), self.reset,
                             description=tr.t("technician_ops.desc.cancel"))
        self.cancel.setProperty("role", f"{role}_cancel")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.go)
        row.addWidget(self.cancel)
        self.reset()

    def advance(self) -> None:
        if self.step == len(self.texts) - 1:
            self.reset()
            self.act()
            return
        self.step += 1
        self._show()

    def reset(self) -> None:
        self.step = 0
        self._show()

    def _show(self) -> None:
        self.go.setText(self.texts[self.step])
        self.go.setAccessibleName(self.texts[self.step])
        self.cancel.setVisible(self.step > 0)


def say(shown: QLabel, text: str, style: str) -> QLabel:
    """A result line in its style (Good, Problem, Muted): a fresh label in the old one's place, since a
    label restyled in place keeps the size of its old border and padding."""
    fresh = label(text, style)
    shown.parentWidget().layout().replaceWidget(shown, fresh)
    discard(shown)
    return fresh


def role(widget: QPushButton, name: str) -> QPushButton:
    """Buttons carry a role: tests and the audit trail find them by it, whatever the language."""
    widget.setProperty("role", name)
    return widget
