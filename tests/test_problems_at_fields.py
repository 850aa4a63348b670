"""A problem is said where it is put right: at the field it is about, in the error's colour, GOV.UK's way."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit

from tooling.screenshots import MODES, walk

pytestmark = pytest.mark.gui


def test_a_progress_problem_is_said_at_the_field_it_is_about() -> None:
    """办件进度: the words on top said what was wrong, 220 px above the field to fix, which only its border
    marked (review i, M3): the same words stand above that field too, GOV.UK's way, outside the band within reach."""
    seen = 0
    for frame in walk({"normal": MODES["normal"], "assisted": MODES["assisted"]}, screens="43-progress-problem"):
        screen = frame.window.screen_widget
        [tail] = [f for f in screen.findChildren(QLineEdit, "field_id_tail") if f.isVisible()]
        [number] = screen.findChildren(QLineEdit, "field_case_number")
        assert tail.property("problem") and not number.property("problem")
        at_field = [w for w in tail.parentWidget().findChildren(QLabel, "Problem") if w.isVisible()]
        assert len(at_field) == (0 if frame.window.session.profile.assisted and frame.size == (1080, 1920) else 1)
        seen += 1
    assert seen == 6
