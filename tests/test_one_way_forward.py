"""On a paged form or review (the accessible mode) the one primary button turns the pages first ("继续") and
takes its step (下一步, 确认提交) only on the last page: nobody confirms on page 1 of 4 unseen."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton

from tooling.screenshots import MODES, walk
from ui.paging import Pages

pytestmark = pytest.mark.gui

STEP = {"06-form": "下一步", "08-review": "确认提交"}


def test_the_primary_pages_through_before_its_step() -> None:
    seen = []
    for frame in walk({"assisted": MODES["assisted"]}, sizes=((1920, 1080),), screens="0[68]-[fr][oe]*[mw]"):
        window = frame.window           # looked at while the walk holds it
        state = window.session.state
        [pages] = [p for p in window.screen_widget.findChildren(Pages) if p.isVisible()]
        [primary] = [b for b in window.screen_widget.findChildren(QPushButton, "Primary") if b.isVisible()]
        assert len(pages.pages) > 1, f"{frame.screen}: the accessible mode pages it"
        while pages.page < len(pages.pages) - 1:
            assert primary.text() == "继续" and primary.accessibleName() == "继续"
            before = pages.page
            primary.click()
            assert pages.page == before + 1 and window.session.state is state   # a page on, no step taken
        assert primary.text() == STEP[frame.screen]
        pages.turn(-1)                  # 上一页 from the last: the button pages again
        assert primary.text() == "继续"
        seen.append(frame.screen)
    assert seen == ["06-form", "08-review"]


def test_within_reach_back_chooses_another_time_before_it_leaves() -> None:
    """Within a wheelchair's reach (accessible, portrait) the chosen time is said above the band, not a card to
    tap in it (the largest English put that card 50 px above the reach line): back goes one step, to the times,
    saying so, and only then leaves the screen."""
    seen = []
    for frame in walk({"english-assisted": MODES["english-assisted"]}, sizes=((1080, 1920),),
                      screens="47-appointment-chosen"):
        window = frame.window
        [back] = [b for b in window.screen_widget.findChildren(QPushButton, "back") if b.isVisible()]
        assert back.text() == "Choose another time" and not window.screen_widget.findChildren(QPushButton, "ChosenSlot")
        assert not [b for b in window.screen_widget.findChildren(QPushButton, "Slot") if b.isVisible()]
        back.click()
        assert [b for b in window.screen_widget.findChildren(QPushButton, "Slot") if b.isVisible()]
        assert back.text() == "Back" and window.session.state.name == "APPOINTMENT"   # still here, the times shown
        seen.append(frame.screen)
    assert seen == ["47-appointment-chosen"]
