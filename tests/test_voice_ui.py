"""Voice guidance in the real window: what is said, when, off the UI thread, and silence without an engine."""
from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtMultimedia import QMediaPlayer

from devices import speech
from devices.health import State as HealthState
from kiosk.accessibility import Profile
from kiosk.outcome import Outcome
from kiosk.session import Event, Session
from kiosk.voice import announcement
from ui.access import Access
from ui.bridge import Bridge
from ui.controller import Controller
from ui.mainwindow import MainWindow
from ui.voice import Voice

pytestmark = pytest.mark.gui
needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")


class Gate:
    """A synthesizer that waits until the test opens the gate: proves the UI thread does not wait."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.texts: list[str] = []

    def prepare(self) -> None:
        pass

    def synthesize(self, text: str, language: str, rate: int) -> Outcome[Path]:
        self.open.wait(10)
        self.texts.append(text)
        return Outcome.failure("speech.absent", "a gate, not an engine")

    def health(self):
        return speech.Silent("gate").health()


@pytest.fixture
def bridge() -> Iterator[Bridge]:
    bridge = Bridge()
    yield bridge
    bridge.shutdown()


def window_with(qtbot, session: Session, voice: Voice, bridge: Bridge, store=None) -> MainWindow:
    controller = Controller(session, store, None, bridge)
    window = MainWindow(controller, 120, 20, lock_close=False, access=Access(voice=voice))
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    return window


@needs_espeak
def test_each_screen_is_announced_then_its_focused_control(qtbot, session: Session, bridge: Bridge) -> None:
    voice = Voice(speech.synthesizer("espeak-ng", 150), bridge)
    session.set_profile(Profile(voice=True))
    window = window_with(qtbot, session, voice, bridge)
    with qtbot.waitSignal(voice.playing, timeout=10_000) as spoken:
        window.controller.start()
    focused = window.focusWidget()
    assert spoken.args[0].startswith(announcement(session, session.translator))
    assert focused.accessibleName() in spoken.args[0]
    qtbot.waitUntil(lambda: voice.player.source().toLocalFile().endswith(".wav"), timeout=5_000)  # queued to it
    played = (QMediaPlayer.MediaStatus.BufferedMedia, QMediaPlayer.MediaStatus.EndOfMedia)
    qtbot.waitUntil(lambda: voice.player.mediaStatus() in played, timeout=10_000)      # decoded and playing
    assert voice.player.error() is QMediaPlayer.Error.NoError
    with qtbot.waitSignal(voice.playing, timeout=10_000) as spoken:
        window.navigator.press("next")
    assert spoken.args[0] == window.navigator.describe(window.focusWidget())


def test_synthesis_runs_off_the_ui_thread_and_the_newest_words_win(qtbot, session: Session, bridge: Bridge) -> None:
    gate = Gate()
    voice = Voice(gate, bridge)
    session.set_profile(Profile(voice=True))
    window = window_with(qtbot, session, voice, bridge)
    window.controller.start()                      # asks for words while the gate is shut: must not wait
    window.navigator.press("next")                 # and more: the focused control's
    assert window.session.state.value == "services"  # the UI went on meanwhile
    gate.open.set()
    qtbot.waitUntil(lambda: len(gate.texts) >= 3, timeout=5000)
    qtbot.waitUntil(lambda: voice.last_problem == "speech.absent", timeout=5000)
    assert voice.last_text == ""                   # nothing was played: the gate makes no sound


def test_without_an_engine_the_kiosk_runs_silent_and_reports_it(qtbot, session: Session, bridge: Bridge) -> None:
    voice = Voice(speech.Silent("espeak-ng is not installed"), bridge)
    assert voice.health().state is HealthState.ABSENT
    session.set_profile(Profile(voice=True))
    window = window_with(qtbot, session, voice, bridge)
    window.controller.start()
    qtbot.waitUntil(lambda: voice.last_problem == "speech.absent", timeout=5000)
    assert window.session.state.value == "services"


def test_assisted_mode_gives_more_time_and_asks_aloud(qtbot, session: Session, bridge: Bridge) -> None:
    gate = Gate()
    gate.open.set()
    voice = Voice(gate, bridge)
    window = window_with(qtbot, session, voice, bridge)
    window.controller.start()
    assert (window.idle.timeout_s, window.idle.warning_s) == (120, 20)
    window.controller.toggle_assisted()
    assert (window.idle.timeout_s, window.idle.warning_s) == (300, 60)
    window.show_idle_warning(60)
    tr = session.translator
    qtbot.waitUntil(lambda: tr.t("voice.idle", seconds=60) in gate.texts, timeout=5000)
    assert window.focusWidget() is window.overlay.more
    window.navigator.press("select")               # "more time"
    assert not window.overlay.isVisible() and window.idle.idle_s == 0
    session.fire(Event.HOME)
    window.render()
    assert not session.profile.assisted and (window.idle.timeout_s, window.idle.warning_s) == (120, 20)


def test_the_configured_voice_reports_its_health(bridge: Bridge) -> None:
    from kiosk.config import load
    from ui import access

    reported = []
    silent = access.from_config(load(None, {"KIOSK24_SPEECH_ENGINE": "none"}), bridge, reported.append)
    assert silent.voice is not None and reported[-1].device == "speech"
    assert reported[-1].state is HealthState.ABSENT and "speech_engine" in reported[-1].detail
    keys = ("previous=Left,next=Right,select=Space,back=Escape,help=H,volume_down=F2,volume_up=F3,rate=F4,"
            "repeat=F5,screen=F6")
    configured = access.from_config(load(None, {"KIOSK24_KEYPAD_KEYS": keys, "KIOSK24_SCREEN_PPI": "80"}), bridge,
                                    reported.append)
    assert configured.keys["select"] == ("Space",) and configured.ppi == 80


def test_news_on_the_same_screen_is_said(qtbot, session: Session, bridge: Bridge, identity) -> None:
    """A problem found on the form (or a receipt that came out) changes what the screen says: it is said
    again, not only the focused control's name."""
    gate = Gate()
    gate.open.set()
    voice = Voice(gate, bridge)
    session.set_profile(Profile(voice=True))
    window = window_with(qtbot, session, voice, bridge)
    service = next(s for s in session.catalog.services if s.fields)
    session.fire(Event.START)
    session.choose_service(service.code)
    session.fire(Event.APPLY)
    session.identified(identity)
    window.render()
    before = announcement(session, session.translator, False)
    qtbot.waitUntil(lambda: any(before in text for text in gate.texts), timeout=5000)
    for key in list(session.form):                      # nothing filled in: every required field a problem
        session.edit_field(key, "")
    window.controller.submit_form()
    after = announcement(session, session.translator, False)
    assert after != before and session.form_problems
    qtbot.waitUntil(lambda: any(after in text for text in gate.texts), timeout=5000)


class Words(Gate):
    """A synthesizer whose words come out (a file to play) once the test opens the gate."""

    def __init__(self, made: Path) -> None:
        super().__init__()
        self.made = made

    def synthesize(self, text: str, language: str, rate: int) -> Outcome[Path]:
        super().synthesize(text, language, rate)
        return Outcome.success(self.made)


def test_words_still_being_made_are_dropped_once_the_voice_is_off(qtbot, session: Session, bridge: Bridge,
                                                                    tmp_path: Path) -> None:
    """The thanks of one visit played over the next citizen's start screen: the visit's end turned the voice off,
    and words made for the screen before still came out."""
    (tmp_path / "words.wav").write_bytes(b"")
    words = Words(tmp_path / "words.wav")
    voice = Voice(words, bridge)
    session.set_profile(Profile(voice=True))
    window = window_with(qtbot, session, voice, bridge)
    window.controller.start()                      # words asked for while the gate is shut
    qtbot.waitUntil(lambda: not voice.quiet, timeout=5000)
    session.set_profile(Profile(voice=False))
    window.controller.back()                       # the next screen, the voice off
    assert voice.quiet
    words.open.set()
    qtbot.waitUntil(lambda: len(words.texts) >= 1, timeout=5000)
    qtbot.wait(200)
    assert voice.last_text == ""                   # made, and never played
