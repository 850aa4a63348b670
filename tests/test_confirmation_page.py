"""The complaint's confirmation is a moment (UX.md): in the accessible mode the number, where its slip is, and
what happens next on one page, whose one action ends the visit (review j, M10: 'what happens next' was a
page turn away in English, the primary read 'Next page')."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from tooling.screenshots import MODES, SIZES, walk
from ui.paging import Pages

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_complaints_confirmation_is_one_page_under_its_panel(size: tuple[int, int]) -> None:
    modes = {name: MODES[name] for name in ("assisted", "english-assisted")}
    seen = 0
    for frame in walk(modes, sizes=[size], screens="18-complaint-sent"):
        window, seen = frame.window, seen + 1
        pages = [p for p in window.findChildren(Pages) if p.isVisible()]
        assert all(len(p.pages) == 1 for p in pages), (frame.mode, [p.pages for p in pages])
        words = [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
        assert {"What happens next", "接下来"} & set(words), words
        assert not [w for w in window.findChildren(QLabel, "Title") if w.isVisible()]     # the panel heads it
        primary = [b.text() for b in window.findChildren(QPushButton, "Primary") if b.isVisible()]
        assert primary in (["返回首页"], ["Back to start"]), primary
    assert seen == 2
