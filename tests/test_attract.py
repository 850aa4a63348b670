"""The start screen in the accessible mode: the most used services stay as tiles where their names fit one
line of large text, and the chosen mode's chip shows its words whole."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel

from kiosk.session import State
from tests.fixtures.kiosk import KioskUnderTest
from ui.screens.attract import TILES

pytestmark = pytest.mark.gui


def assisted_at(app: KioskUnderTest, size: tuple[int, int], language: str = "zh_CN") -> None:
    app.window.resize(*size)
    if language != app.session.language:
        app.window.header_button("language").click()
    app.tap("Assist")
    QApplication.processEvents()
    assert app.session.profile.assisted and app.session.state is State.ATTRACT


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768), (1080, 1920)])
def test_the_accessible_mode_keeps_the_top_services_as_tiles(kiosk_app: KioskUnderTest, size: tuple[int, int]) -> None:
    app = kiosk_app
    assisted_at(app, size)
    tiles = app.buttons("Tile")
    assert len(tiles) == TILES[True]
    for tile in tiles:
        [words] = [w for w in tile.findChildren(QLabel) if w.text()]
        assert words.heightForWidth(words.width()) < 2 * words.fontMetrics().height(), f"{words.text()} wraps"
    assert app.window.size().toTuple() == size, "the tiles grew the window past the glass"
    app.tap("Tile", service=tiles[0].property("service"))
    app.wait_state(State.DETAIL)


def test_names_that_need_two_lines_of_large_text_leave_the_tiles_out(kiosk_app: KioskUnderTest) -> None:
    """English names at the largest text would need two lines each, more than 1366x768 leaves under the
    sentence: no tiles, and the start (then the simpler list) is the way in."""
    app = kiosk_app
    assisted_at(app, (1366, 768), "en")
    assert app.buttons("Tile") == []
    assert app.window.size().toTuple() == (1366, 768)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_chosen_modes_chip_is_as_wide_as_its_bold_words(kiosk_app: KioskUnderTest, language: str) -> None:
    app = kiosk_app
    assisted_at(app, (1920, 1080), language)
    chip = app.window.header_button("assist")
    assert chip.isChecked()
    bold = QFont(chip.font())
    bold.setBold(True)
    padding = app.window.theme.px(3) + 1                 # the stylesheet's chip padding and border, each side
    assert chip.width() - 2 * padding >= QFontMetrics(bold).horizontalAdvance(chip.text())
