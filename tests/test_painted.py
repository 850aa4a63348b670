"""Contrast as painted (tooling/painted.py): text found in the image, its contrast measured from pixels.

The palette checks (tests/test_accessibility.py) cannot see what a checked state, a stylesheet rule
the palette does not know, or the on-screen keyboard's own style paints; these tests measure pixels:
first on text drawn in known colours (the measurement matches WCAG's ratio of the colours drawn), then
on real widgets the kiosk used to paint badly, then on every screen in every mode.
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from kiosk import accessibility as a11y
from kiosk.accessibility import Colours
from tooling import painted
from ui import theme as themes

pytestmark = pytest.mark.gui


def _drawn(text: str, ink: str, paper: str, px: int, bold: bool = False) -> QImage:
    image = QImage(900, px * 3, QImage.Format_RGB32)
    image.fill(QColor(paper))
    painter = QPainter(image)
    font = QFont(themes.FONT_FAMILIES.split(",")[0].strip('" '))
    font.setPixelSize(px)
    font.setBold(bold)
    painter.setFont(font)
    painter.setPen(QColor(ink))
    painter.drawText(image.rect(), Qt.AlignCenter, text)
    painter.end()
    return image


# The pairs the issue found painted (complaint bar in three modes, the selection highlight), a pass
# and a fail either side of each threshold, and the kiosk's own text colours.
PAIRS = [("#FFFFFF", "#FFE500"), ("#000000", "#002E6E"), ("#14171A", "#0B57A4"), ("#FFFFFF", "#308CC6"),
         ("#767676", "#FFFFFF"), ("#595959", "#FFFFFF"), ("#14171A", "#F3F6FA"), ("#FFFFFF", "#000000"),
         ("#3C4654", "#F3F6FA"), ("#FFFFFF", "#0B57A4")]


@pytest.mark.parametrize("ink, paper", PAIRS)
@pytest.mark.parametrize("px, bold", [(13, False), (17, False), (26, True), (60, True)])
def test_the_measured_contrast_is_the_contrast_of_the_colours_drawn(qapp, ink: str, paper: str, px: int,
                                                                    bold: bool) -> None:
    """Small text's thin strokes never reach their colour everywhere: the line's core does, within 10 %."""
    lines = painted.measure(painted.rgb_array(_drawn("办事指南 Apply 12345", ink, paper, px, bold)))
    assert lines, "no text found"
    expected = a11y.contrast_ratio(ink, paper)
    assert min(line.contrast for line in lines) == pytest.approx(expected, rel=0.1)


def test_shapes_that_are_not_text_are_not_lines(qapp) -> None:
    """A button's outline, a rule and a gap between two fills are no text, whatever their contrast."""
    image = QImage(800, 300, QImage.Format_RGB32)
    image.fill(QColor("#F3F6FA"))
    painter = QPainter(image)
    painter.setPen(QColor("#C9CED6"))
    painter.drawRoundedRect(20, 20, 300, 80, 12, 12)                 # an outline
    painter.drawLine(20, 150, 700, 150)                              # a rule
    painter.fillRect(400, 20, 100, 80, QColor("#E3E7ED"))            # two fills with a 12 px gap of page
    painter.fillRect(512, 20, 100, 80, QColor("#E3E7ED"))
    painter.end()
    assert painted.measure(painted.rgb_array(image)) == []


def _field(theme: themes.Theme | None) -> QWidget:
    root = QWidget()
    root.setObjectName("Body")
    root.setAttribute(Qt.WA_StyledBackground, True)
    if theme is not None:
        root.setStyleSheet(themes.stylesheet(theme))
    field = QLineEdit("王秀英 13812345678")
    QVBoxLayout(root).addWidget(field)
    root.resize(700, 160)
    root.show()
    field.setFocus()
    field.selectAll()
    return root


@pytest.mark.parametrize("colours", list(Colours))
def test_the_selection_highlight_is_measured_and_the_theme_passes(qapp, colours: Colours) -> None:
    """Qt's own highlight paints white on light blue (3.7:1): caught; the theme's highlight passes the mode."""
    before = _field(None)
    qapp.processEvents()
    weak = painted.shortfalls(painted.rgb_array(before.grab().toImage()), 4.5)
    assert weak and min(line.contrast for line in weak) < 4.0
    after = _field(themes.build(1, colours, "zh_CN", 102.5))
    qapp.processEvents()
    lines = painted.measure(painted.rgb_array(after.grab().toImage()))
    assert lines and min(line.contrast for line in lines) >= colours.minimum_contrast


@pytest.mark.parametrize("colours", list(Colours))
def test_a_chosen_option_is_painted_readable(qapp, colours: Colours) -> None:
    """The complaint's 涉及事项 bar was a checked button filled with the primary colour under the plain
    text colour (1.3:1 to 2.5:1): a chosen option is now drawn as a choice, readable in every mode."""
    from ui.widgets import wrapping_button

    theme = themes.build(1, colours, "zh_CN", 102.5)
    root = QWidget()
    root.setObjectName("Body")
    root.setAttribute(Qt.WA_StyledBackground, True)
    root.setStyleSheet(themes.stylesheet(theme, focus_visible=False))
    bar = wrapping_button("涉及事项：无犯罪记录证明开具", lambda: None, "AboutService", "", theme)
    bar.setCheckable(True)
    bar.setChecked(True)
    QVBoxLayout(root).addWidget(bar)
    root.resize(900, 200)
    root.show()
    qapp.processEvents()
    lines = painted.measure(painted.rgb_array(root.grab().toImage()))
    assert lines and min(line.contrast for line in lines) >= colours.minimum_contrast
    old = f"QPushButton:checked {{ background: {theme.palette.accent} }}"
    root.setStyleSheet(themes.stylesheet(theme, focus_visible=False) + old)     # the rule as it was: caught
    qapp.processEvents()
    assert painted.shortfalls(painted.rgb_array(root.grab().toImage()), colours.minimum_contrast)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_every_screen_in_every_mode_is_painted_readable(qapp) -> None:
    """Every screen of the walk in every mode (both languages in the standard and the accessible mode),
    each mode at one of the three resolutions in turn: about 700 frames, each measured from its pixels."""
    from tooling.screenshots import PROFILES, SIZES, walk

    modes = {f"{profile}|zh_CN": ("zh_CN", profile) for profile in PROFILES}
    modes.update({"normal|en": ("en", "normal"), "assisted|en": ("en", "assisted")})
    found: list[str] = []
    screens: dict[str, set[str]] = {}
    for index, (mode, chosen) in enumerate(modes.items()):
        for frame in walk({mode: chosen}, (SIZES[index % len(SIZES)],)):
            screens.setdefault(mode, set()).add(frame.screen)
            minimum = PROFILES[chosen[1]].colours.minimum_contrast
            image = painted.rgb_array(frame.window.grab().toImage())
            found += [f"{frame.screen} {mode} {frame.size}: {line.describe()}"
                      for line in painted.shortfalls(image, minimum, painted.ignored_regions(frame.window))]
    assert all(len(names) >= 45 for names in screens.values()), {m: len(s) for m, s in screens.items()}
    assert found == []


@pytest.mark.slow
def test_one_screen_in_one_mode_renders_alone_and_reads(tmp_path) -> None:
    """`kiosk24 screenshots --screen --mode --size`: the one PNG asked for, in seconds, and it passes."""
    from tests.test_cli import kiosk24

    result = kiosk24("screenshots", str(tmp_path / "out"), "--screen", "16-*", "--mode", "contrast-dark",
                     "--size", "1920x1080", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    [png] = (tmp_path / "out").iterdir()
    assert png.name == "16-complaint-1920x1080-contrast-dark.png"
    assert painted.shortfalls(painted.rgb_array(QImage(str(png))), Colours.DARK.minimum_contrast) == []
    wrong = kiosk24("screenshots", str(tmp_path / "none"), "--mode", "sepia", data_dir=tmp_path)
    assert wrong.returncode == 2 and "unknown mode sepia" in wrong.stderr
