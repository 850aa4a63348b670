"""The idle warning: over the task it interrupts (never the out-of-service notice, where no visit runs),
worded calmly, longer in the accessible mode, and with neither edge through a line of the screen beneath."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QWidget

from kiosk.session import State
from tests.fixtures.kiosk import KioskUnderTest, resident_card, walkable_service
from tooling.screenshots import MODES, walk

pytestmark = pytest.mark.gui


def to_the_form(app: KioskUnderTest) -> None:
    service = walkable_service(app.session.catalog)
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("Domain", domain=service.domain.value)
    app.tap("Service", code=service.code)
    app.tap("Primary")
    app.wait_state(State.IDENTIFY)
    app.reader.insert(resident_card())
    app.wait_state(State.FORM)


def cut_lines(window: QWidget) -> list[str]:
    """The visible controls and lines of text beneath the notice that one of its dialog's edges runs through."""
    overlay = window.overlay
    top = overlay.dialog.mapTo(window, QPoint(0, 0)).y()
    edges = (top, top + overlay.dialog.height())
    cut = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.findChildren(QWidget) or overlay.isAncestorOf(widget) or widget is overlay:
            continue
        y = widget.mapTo(window, QPoint(0, 0)).y()
        if any(y < edge < y + widget.height() for edge in edges):
            cut.append(widget.objectName() or type(widget).__name__)
    return cut


@pytest.mark.parametrize("size", [(1366, 768), (1080, 1920), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_warning_sits_over_the_form_between_its_lines(kiosk_app: KioskUnderTest, size: tuple[int, int]) -> None:
    app = kiosk_app
    app.window.resize(*size)
    to_the_form(app)
    idle = app.window.idle
    idle.timeout_s, idle.warning_s = 30, 29
    idle.arm(True)
    app.qtbot.waitUntil(app.window.overlay.isVisible, timeout=5000)
    assert app.session.state is State.FORM
    text = app.window.overlay.message.text()
    assert "为保护您的信息" in text and "清除" not in text
    assert cut_lines(app.window) == []


def test_more_time_in_the_accessible_mode_and_none_on_the_out_of_service_notice(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    config = app.kiosk.config
    to_the_form(app)
    assert app.window.idle.warning_s == config.idle_warning_s and app.window.idle.armed
    app.kiosk.controller.toggle_assisted()
    app.qtbot.waitUntil(lambda: app.session.profile.assisted, timeout=5000)
    app.qtbot.waitUntil(lambda: app.window.idle.warning_s == config.assisted_idle_warning_s, timeout=5000)
    assert app.window.idle.warning_s >= 30
    app.tap("HeaderButton", role="home")
    app.tap("NoticeHome")                   # asked first: the visit held the citizen's unsent work
    app.wait_state(State.ATTRACT)
    assert not app.window.idle.armed          # the attract screen, and the out-of-service notice shown in its place


@pytest.mark.parametrize("mode", ["normal", "assisted"])
def test_the_screenshot_walk_draws_the_warning_over_the_form(mode: str) -> None:
    seen = []
    for frame in walk({mode: MODES[mode]}, sizes=((1366, 768),), screens="12-idle-warning"):
        window = frame.window        # looked at while the walk holds it: the window goes with the next mode
        assert window.session.state is State.FORM and window.overlay.isVisible()
        assert str(window.timeouts[window.session.profile.assisted][1]) in window.overlay.message.text()
        assert cut_lines(window) == []
        seen.append(frame.screen)
    assert seen == ["12-idle-warning"]
