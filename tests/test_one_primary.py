"""Every screen the screenshot walk renders has exactly one primary action (UX.md: one primary button per
page, in the colour reserved for it: ui.design.primary names it Primary). A notice drawn over a screen (the
idle warning, help) is the screen then: its own actions are counted, not those under it."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton, QWidget

from tooling.screenshots import MODES, walk

pytestmark = pytest.mark.gui

# Screens with no primary button, each for a reason: nothing to do but wait (submitting, a face check) or read (a closed
# kiosk); the action is a choice that goes on at once (a service tile, a rating score: a Continue button
# after them would cost every citizen a tap); the action is the citizen's hand on a device (laying the ID
# card on the reader while identifying, the agent's and then the principal's for 代为办理).
WITHOUT_ACTION = {"09-submitting", "90-out-of-service", "02-services", "02-services-category", "14-rating",
                  "04-identify", "05-identify-problem", "64-proxy-agent",
                  "65-proxy-principal",
                  "81-face-checking"}     # 人证核验: the camera is on, nothing to do but look into it


def primaries(window: QWidget) -> list[QPushButton]:
    layers = [w for w in (window.help, window.overlay) if w.isVisible()] or [window.screen_widget]
    return [b for layer in layers for b in layer.findChildren(QPushButton, "Primary") if b.isVisibleTo(window)]


@pytest.mark.parametrize("mode", ["normal", "assisted"])
def test_every_screen_has_one_primary_action(mode: str) -> None:
    counted = {}
    for frame in walk({mode: MODES[mode]}, sizes=((1920, 1080),)):
        counted[frame.screen] = len(primaries(frame.window))
    wrong = {screen: count for screen, count in counted.items()
             if count != (0 if screen in WITHOUT_ACTION else 1)}
    assert len(counted) > 40 and not wrong, wrong


def test_no_screen_shows_demo_words_for_live_data() -> None:
    """The walk's answers are as a live centre gives them: no screen says 演示数据 or shows a DEMO kiosk's
    case number (review B4); the words are for data the centre marks as made up (test_online_kiosk), and
    for the guides of the bundled catalog, whose unchecked facts it marks as demo (its `demo` flags)."""
    from PySide6.QtWidgets import QLabel

    from kiosk.i18n import Translator

    catalog_says = Translator("zh_CN").t("guide.demo")
    shown = {}
    for frame in walk({"normal": MODES["normal"]}, sizes=((1920, 1080),)):
        words = [w.text() for w in frame.window.findChildren(QLabel) + frame.window.findChildren(QPushButton)
                 if w.isVisibleTo(frame.window)]
        shown[frame.screen] = [text for text in words if text != catalog_says and
                               ("演示数据" in text or "DEMO" in text.replace("\u2060", ""))]
    assert len(shown) > 40 and not any(shown.values()), {s: t for s, t in shown.items() if t}
