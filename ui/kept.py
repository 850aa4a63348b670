"""Screens kept between visits: one whose every input is kiosk-wide (the service list: catalog, language, mode,
size, the domain chosen) is shown again instead of built again, which was most of a change to it (~25 ms of
~35 ms CPU). A screen comes back as it was built: scrolled to its top, its toggles as made."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable

import shiboken6
from PySide6.QtWidgets import QAbstractButton, QScrollArea, QWidget

LIMIT = 8          # a screen for each domain of the service list, and one more


@dataclasses.dataclass
class Kept:
    key: tuple[object, ...]
    screen: QWidget
    live: list[Callable[[], bool]]
    toggles: list[tuple[QAbstractButton, bool]]     # each checkable button and whether it was made checked


class KeptScreens:
    """Hidden screens on the window's stage, by the key of all their builder read. They stay on it, so its
    stylesheet keeps them polished; a new stylesheet drops them first (drop), as polishing hidden screens
    again would cost each change of mode more than building the one shown, or a new stage leaves them on the
    old one (forget)."""

    def __init__(self) -> None:
        self._kept: list[Kept] = []

    def made(self, key: tuple[object, ...], screen: QWidget, live: list[Callable[[], bool]]) -> Kept:
        """A screen just built for key: what keep will put back and take restores."""
        toggles = [(b, b.isChecked()) for b in screen.findChildren(QAbstractButton) if b.isCheckable()]
        return Kept(key, screen, live, toggles)

    def holds(self, key: tuple[object, ...]) -> bool:
        return any(kept.key == key for kept in self._kept)

    def take(self, key: tuple[object, ...]) -> Kept | None:
        """The screen kept for key, as it was built, or None."""
        for index, kept in enumerate(self._kept):
            if kept.key == key:
                del self._kept[index]
                for widget, checked in kept.toggles:
                    widget.setChecked(checked)         # a tap toggled a tab before the screen went
                for area in kept.screen.findChildren(QScrollArea):
                    area.verticalScrollBar().setValue(0)
                return kept
        return None

    def keep(self, kept: Kept) -> None:
        """A screen that leaves the window's layout, hidden; the oldest goes beyond LIMIT."""
        kept.screen.hide()
        self._kept.append(kept)
        while len(self._kept) > LIMIT:
            shiboken6.delete(self._kept.pop(0).screen)

    def drop(self) -> None:
        """Every kept screen, deleted now: still on the stage they would be polished anew with it."""
        while self._kept:
            shiboken6.delete(self._kept.pop().screen)

    def forget(self) -> None:
        """Every kept screen, left to go with the stage they are on (ui.mainwindow's _restage)."""
        self._kept.clear()
