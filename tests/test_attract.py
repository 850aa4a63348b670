"""The start screen in the accessible mode: the most used services stay as tiles where their names fit one
line of large text, and the chosen mode's chip shows its words whole."""
from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from kiosk.session import State
from tests.fixtures.kiosk import KioskUnderTest
from ui.screens.attract import TILES
from ui.widgets import WrappingButton

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
def test_the_chosen_modes_chip_shows_its_words_whole(kiosk_app: KioskUnderTest, language: str) -> None:
    """'✓ 长辈/无障碍模式' ('✓ Accessible mode') whole: Qt sizes a chip for the font it measures (its unchecked
    one), so the chosen chip is not drawn bold (its first and last letters were cut), and its ink stays
    inside its padding."""
    app = kiosk_app
    assisted_at(app, (1920, 1080), language)
    chip = app.window.header_button("assist")
    assert chip.isChecked()
    rule = re.search(r"QPushButton#Assist:checked \{([^}]*)\}", app.window.stage.styleSheet())
    assert rule is not None and "bold" not in rule.group(1)
    assert chip.width() - 2 * (app.window.theme.px(3) + 1) >= chip.fontMetrics().horizontalAdvance(chip.text())
    image = chip.grab().toImage()
    fill = image.pixelColor(image.width() // 2, 3).rgb()           # the chip's face, above its words
    middle = image.height() // 2
    inked = [x for x in range(3, image.width() - 3)                # inside its rounded border
             if any(image.pixelColor(x, y).rgb() != fill for y in range(middle - 8, middle + 8))]
    edge = app.window.theme.px(3) // 2
    assert inked and inked[0] > edge and inked[-1] < image.width() - edge, (inked[:3], inked[-3:], image.width())


def test_the_tiles_names_are_whole_at_every_text_size_and_glass() -> None:
    """At 1366x768 with the larger text in English two names on two lines were cut by 6 px each, squeezed by
    the small print under the facts: at the larger sizes that line gives way. No tile's words are cut at any
    text size, in either language, on any of the three glasses."""
    from tooling.audit import clipped
    from tooling.screenshots import SIZES, walk

    modes = {f"{profile}-{language}": (language, profile)
             for profile in ("normal", "text-2", "text-3", "large") for language in ("zh_CN", "en")}
    cut = [f"{frame.mode} {frame.size}: {tile.text() or [w.text() for w in tile.words]}"
           for frame in walk(modes, sizes=SIZES, screens="01-attract")
           for tile in frame.window.findChildren(WrappingButton, "Tile") if tile.isVisible() and clipped(tile)]
    assert not cut, "\n".join(cut)


@pytest.mark.parametrize("kiosk_overrides", [{"reader_place": "below-right"}])
def test_the_start_screen_points_where_this_kiosks_reader_is(kiosk_app: KioskUnderTest) -> None:
    """A citizen looks at the glass, not at the kiosk's body: the reader's picture says where it is on this kiosk
    (review i, M9), from the configuration, in the language shown."""
    app = kiosk_app
    shown = {w.text() for w in app.window.screen_widget.findChildren(QLabel) if w.isVisible()}
    assert {"身份证读卡区", "屏幕右下方"} <= shown
    app.window.header_button("language").click()
    QApplication.processEvents()
    shown = {w.text() for w in app.window.screen_widget.findChildren(QLabel) if w.isVisible()}
    assert {"ID card reader", "Below, on the right"} <= shown
