"""The signature pad: what counts as a signature, and the image kept of it."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage

from kiosk.application import PNG_MAGIC
from ui.signature import EXPORT_WIDTH, SignaturePad

pytestmark = pytest.mark.gui


@pytest.fixture
def pad(qtbot) -> SignaturePad:
    widget = SignaturePad("#FFFFFF", "#000000", "#888888", pen_px=6)     # a dark theme on the glass
    qtbot.addWidget(widget)
    widget.resize(800, 300)
    widget.show()
    return widget


def draw(qtbot, pad: SignaturePad, points: list[tuple[int, int]]) -> None:
    qtbot.mousePress(pad, Qt.LeftButton, pos=QPoint(*points[0]))
    for point in points[1:]:
        qtbot.mouseMove(pad, QPoint(*point))
    qtbot.mouseRelease(pad, Qt.LeftButton, pos=QPoint(*points[-1]))


def test_an_empty_pad_a_dot_or_a_flat_line_is_not_a_signature(qtbot, pad: SignaturePad) -> None:
    assert not pad.enough_ink()
    draw(qtbot, pad, [(100, 100)])
    assert not pad.enough_ink()
    pad.clear()
    draw(qtbot, pad, [(50, 150), (750, 152)])            # long but flat: a line, not a name
    assert not pad.enough_ink()


def test_a_written_name_passes_and_clearing_starts_again(qtbot, pad: SignaturePad) -> None:
    draw(qtbot, pad, [(80 + 50 * i, 90 if i % 2 else 200) for i in range(12)])
    assert pad.enough_ink()
    pad.clear()
    assert not pad.enough_ink() and pad.strokes == []


def test_the_image_is_black_on_white_whatever_the_theme(qtbot, pad: SignaturePad) -> None:
    draw(qtbot, pad, [(80 + 50 * i, 90 if i % 2 else 200) for i in range(12)])
    data = pad.png()
    assert data.startswith(PNG_MAGIC)
    image = QImage.fromData(data)
    assert image.width() == EXPORT_WIDTH and image.height() == 300 * EXPORT_WIDTH // 800
    assert image.pixelColor(5, 5).lightness() == 255                      # paper is white
    ink = [image.pixelColor(x, y).lightness() for x in range(0, EXPORT_WIDTH, 2) for y in range(0, image.height(), 2)]
    assert min(ink) < 40 and sum(1 for v in ink if v < 128) > 200         # dark strokes, and plenty of them
