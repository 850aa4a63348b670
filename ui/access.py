"""The accessibility settings the window needs, built once from configuration, and the focus policy:
the focus ring is for citizens who use the keypad or voice, never a mark a touch user did not make."""
from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk import accessibility as a11y
from kiosk.config import Config
from ui.after_paint import soon
from ui.app_filter import app_filter
from ui.bridge import Bridge
from ui.widgets import TYPED, Typed, bring_into_view

if TYPE_CHECKING:
    from devices.health import Health
    from kiosk.session import Session
    from ui.navigation import Navigator
    from ui.voice import Voice

log = logging.getLogger(__name__)
NO_AUDIO_OUTPUT = "speech.no_audio_output"      # the voice's health detail (an i18n key) and its alert code


@dataclasses.dataclass(frozen=True)
class Access:
    ppi: float = 0.0                   # 0: assumed from the window's resolution (accessibility.assumed_ppi)
    assisted_idle_timeout_s: int = 300
    assisted_idle_warning_s: int = 60
    keys: dict[str, tuple[str, ...]] = dataclasses.field(
        default_factory=lambda: a11y.parse_keys(a11y.DEFAULT_KEYS))
    voice: Voice | None = None


def silent(config: Config) -> Access:
    """The configuration's settings without the voice: the first frame's (ui/bootstrap.py), and a kiosk's
    that cannot play sound."""
    return Access(config.screen_ppi, config.assisted_idle_timeout_s, config.assisted_idle_warning_s,
                  a11y.parse_keys(config.keypad_keys))


def from_config(config: Config, bridge: Bridge, on_health: Callable[[Health], None]) -> Access:
    """Also reports the voice's health (as device "speech"), so technicians and the centre see a kiosk
    without voice; the kiosk itself goes on, silent. Made once the first frame is painted, as its modules."""
    from devices import speech
    from devices.health import Health, State
    try:
        from ui.voice import Voice  # QtMultimedia only where there is a voice to play
        voice = Voice(speech.synthesizer(config.speech_engine, config.speech_rate_wpm), bridge, config.audio_device)
    except ImportError as exc:      # Qt Multimedia needs PulseAudio's client (libpulse.so.0), and its QML module
        log.error("voice guidance: no audio output: %s", exc)      # for the player: serve silent
        on_health(Health("speech", State.FAULT, NO_AUDIO_OUTPUT))
        return silent(config)
    health = voice.health()
    if health.state is not State.OK:
        log.warning("voice guidance: %s", health.detail)
    on_health(health)
    return dataclasses.replace(silent(config), voice=voice)


class FocusWindow(Protocol):
    """What the focus policy reads of the kiosk window beyond its being a widget (ui/mainwindow.py's),
    named here so that this module does not import the window that imports it."""
    navigator: Navigator

    @property
    def session(self) -> Session: ...


class FocusShown(QObject):
    """Where the focus may rest, so that its ring is drawn only where it helps (GOV.UK: a focus style for
    keyboard users only). A touch user (voice off: the first key turns it on) sees no ring: not on load,
    not on a button they tapped, where a ring read as a choice made for them; a text field keeps the
    focus, its ring shows where typing goes. A keypad user's focus never rests on a rating answer
    (Score) it did not move to: a ring on 非常满意 on arrival read as a pre-selected answer and biased 好差评."""
    watches = (QKeyEvent,)      # what ui.app_filter asks it about

    def __init__(self, window: FocusWindow) -> None:
        assert isinstance(window, QWidget), "the focus policy's window is a widget: the policy goes with it"
        super().__init__(window)
        self.window = window
        self.moved = False              # the citizen's last key moved the focus (next, previous)
        app_filter().join(self)
        # a signal, not the filter: focus also moves while a screen is built, when the filter is off
        QApplication.instance().focusChanged.connect(self._focused)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if isinstance(event, QKeyEvent) and event.type() == QEvent.KeyPress:   # isinstance: cheap on the rest
            self.moved = self.window.navigator.actions.get(event.key()) in ("next", "previous")
        return False

    def _focused(self, _old: QWidget | None, now: QWidget | None) -> None:
        if now is not None and self.window.isAncestorOf(now) and not self.may_rest(now):
            now.clearFocus()

    def may_rest(self, widget: QWidget) -> bool:
        if not self.window.session.profile.voice:
            return isinstance(widget, TYPED)
        return widget.objectName() != "Score" or self.moved


def cursor_in_first(fields: list[Typed], problems: frozenset[str] = frozenset()) -> None:
    """The cursor, once the window has restored its own focus, in the field to type next: the first with a
    problem, else the first empty one. Its border marks it, and the keys it takes open with it (the keyboard
    follows the focus, ui.screens.form.typing_area): no digit keypad sits beside a field that takes words.
    Unless the citizen was quicker and is in a field already."""
    wanted = next((f for f in fields if f.objectName().removeprefix("field_") in problems), None) or \
        next((f for f in fields if not f.text()), None)
    if wanted is None:
        return
    target = wanted

    def cursor() -> None:
        if not isinstance(QApplication.focusWidget(), TYPED):
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            bring_into_view(target)
    soon(target, cursor)
