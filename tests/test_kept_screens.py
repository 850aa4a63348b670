"""The service list is kept between visits (ui.kept) and made ahead while the start screen waits: shown again, it
is the screen as it was made, and a change of what it shows makes it anew."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QScrollArea, QWidget

from kiosk.catalog import Domain
from kiosk.session import State
from tests.fixtures.kiosk import KioskUnderTest
from ui.keyboard import READY_IN_MS
from ui.screens import services

pytestmark = pytest.mark.gui


def _checked_domains(app: KioskUnderTest) -> list[str]:
    return [b.property("domain") for b in app.buttons("Domain") if b.isChecked()]


def _area(screen: QWidget) -> QScrollArea:
    return max(screen.findChildren(QScrollArea), key=lambda a: a.widget().height())


def test_the_list_comes_back_as_it_was_made(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    first = app.window.screen_widget
    app.tap("Domain", domain=Domain.TAX.value)
    assert app.window.screen_widget is not first and _checked_domains(app) == [Domain.TAX.value]
    app.tap("Domain", domain=Domain.PUBLIC_SECURITY.value)
    assert app.window.screen_widget is first
    assert _checked_domains(app) == [Domain.PUBLIC_SECURITY.value]    # the tab tapped on the tax list is not
    app.tap("Domain", domain=Domain.PUBLIC_SECURITY.value)            # a tap on the chosen tab leaves it chosen
    assert app.window.screen_widget is first and _checked_domains(app) == [Domain.PUBLIC_SECURITY.value]

    _area(first).verticalScrollBar().setValue(_area(first).verticalScrollBar().maximum())
    app.tap("back")
    app.wait_state(State.ATTRACT)
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    assert app.window.screen_widget is first                          # the next citizen's list, at its top
    assert _area(first).verticalScrollBar().value() == 0
    assert app.window.focusWidget() in app.buttons("Domain", domain=Domain.PUBLIC_SECURITY.value)


def test_a_change_of_mode_or_language_makes_it_anew(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    normal = app.window.screen_widget
    height = app.buttons("Service")[0].height()
    names = [b.accessibleName() for b in app.buttons("Service")]
    app.tap("HeaderButton", role="text_size")
    larger = app.window.screen_widget
    assert larger is not normal and app.buttons("Service")[0].height() > height
    app.tap("HeaderButton", role="language")
    assert app.window.screen_widget not in (normal, larger)
    assert not {b.accessibleName() for b in app.buttons("Service")} & set(names)


def test_the_list_after_a_change_of_mode_is_made_before_the_tap(kiosk_app: KioskUnderTest,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    app = kiosk_app
    made: list[object] = []
    build: Callable[..., QWidget] = services.build
    monkeypatch.setattr(services, "build", lambda ctx: made.append(ctx) or build(ctx))
    app.tap("HeaderButton", role="colours")
    app.qtbot.waitUntil(lambda: len(made) == 1, timeout=READY_IN_MS * 4)
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    assert len(made) == 1 and app.window.screen_widget.isVisible()
