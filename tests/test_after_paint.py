"""A screen that goes is hidden at once and deleted once the next is drawn (ui.after_paint); what it queued for
itself in the meantime is dropped, never run on a screen no citizen sees: a complaint built twice in one turn
put the cursor in the first build's hidden field, and the shown screen took it for the citizen's own."""
from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from ui.after_paint import AfterPaint, gone, soon

pytestmark = pytest.mark.gui


def test_a_retired_screen_is_hidden_at_once_deleted_soon_and_runs_nothing_it_queued(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    old, new = QWidget(window), QWidget(window)
    old_field, new_field = QLineEdit(old), QLineEdit(new)
    layout.addWidget(old)
    layout.addWidget(new)
    window.show()
    qtbot.waitExposed(window)
    ran: list[str] = []
    soon(old_field, lambda: ran.append("old"))
    soon(new_field, lambda: ran.append("new"))
    retired = AfterPaint(window)
    retired.retire(old)
    assert old.isHidden() and gone(old_field) and not gone(new_field)
    assert shiboken6.isValid(old), "deleted before the next screen could be drawn"
    qtbot.waitUntil(lambda: not shiboken6.isValid(old_field), timeout=2000)
    assert ran == ["new"]
