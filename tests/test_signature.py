"""The signature pad: what counts as a signature, and the image kept of it."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage

from kiosk.application import PNG_MAGIC
from ui.signature import EXPORT_WIDTH, SignaturePad

pytestmark = pytest.mark.gui
PPI = 96.0                      # 3.78 px to the millimetre


def px(mm: float) -> int:
    return round(mm * PPI / 25.4)


@pytest.fixture
def pad(qtbot) -> SignaturePad:
    widget = SignaturePad("#FFFFFF", "#000000", "#888888", pen_px=6, ppi=PPI)     # a dark theme on the glass
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


def test_ink_is_judged_in_millimetres_not_by_the_pad_s_width(qtbot, pad: SignaturePad) -> None:
    """A name written small (about 55 mm of ink, 12 mm tall) is a signature on any pad: the old rule asked
    for 60 % of the pad's width, 480 px here and some 1,050 px on a landscape kiosk. A stray flick is not."""
    draw(qtbot, pad, [(px(10), px(10)), (px(14), px(22)), (px(18), px(10)), (px(22), px(22)), (px(26), px(10))])
    assert 45 < pad.ink_mm() < 60 and pad.ink_mm() * PPI / 25.4 < 0.6 * pad.width()
    assert pad.enough_ink()
    pad.clear()
    draw(qtbot, pad, [(px(10), px(10)), (px(18), px(20))])                # 13 mm: a stray touch
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


def test_a_short_signature_is_kept_on_the_pad_to_add_to(kiosk_app) -> None:
    """Refused as too short, the ink stays: the screen says why and the citizen writes on; it is kept for
    this visit only."""
    from kiosk.session import Event, State
    from tests.fixtures.kiosk import resident_card, sign_on_the_pad

    app = kiosk_app
    session, identity = app.session, resident_card()
    session.fire(Event.START)
    session.choose_service("11411500MB1C29607K1000117205000")       # ID number and mobile only
    session.fire(Event.APPLY)
    session.identified(identity)
    assert session.submit_form({"id_number": identity.id_number, "mobile": "13812345678"}) is State.SIGN
    app.kiosk.controller.changed.emit()
    [pad] = [w for w in app.window.findChildren(SignaturePad) if w.isVisible()]
    draw(app.qtbot, pad, [(40, 40), (60, 70)])                           # a scratch, far too short
    app.tap("Primary")
    assert session.state is State.SIGN and session.problem == "apply.sign.empty"
    [again] = [w for w in app.window.findChildren(SignaturePad) if w.isVisible()]
    assert again is not pad and [[(p.x(), p.y()) for p in s] for s in again.strokes] == [[(40, 40), (60, 70)]]
    sign_on_the_pad(app)                                                 # written on, beside the scratch
    app.tap("Primary")
    app.wait_state(State.REVIEW)
