"""Voice guidance: synthesis off the UI thread (through the bridge), playback with QtMultimedia.

The newest request wins: a citizen who moves on does not wait for the last screen's words, so a
finished synthesis that is no longer wanted is dropped instead of played.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
from pathlib import Path

import PySide6
from PySide6.QtCore import Q_ARG, QMetaObject, QObject, Qt, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
from PySide6.QtQml import QQmlComponent, QQmlEngine

from devices.health import Health, State
from devices.speech import Synthesizer
from kiosk.accessibility import Profile
from kiosk.outcome import Outcome
from ui.bridge import Bridge

log = logging.getLogger(__name__)
AV_LOG_WARNING = 24             # libavutil/log.h


def _quiet_ffmpeg() -> None:
    """FFmpeg, under Qt Multimedia, dumps each file's streams (av_dump_format, at INFO) to stderr every time
    the voice speaks: keep its warnings and errors only. Its libavutil is the one PySide6 bundles, else the
    system's (a distribution's Qt), taken only once Qt's media backend has loaded it (RTLD_NOLOAD)."""
    bundled = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libavutil.so.*"))
    found = str(bundled[0]) if bundled else ctypes.util.find_library("avutil")
    try:
        libavutil = ctypes.CDLL(found, mode=os.RTLD_NOLOAD) if found else None
    except OSError:
        libavutil = None            # another media backend (GStreamer): nothing of FFmpeg's to quiet
    if libavutil is not None:
        libavutil.av_log_set_level(AV_LOG_WARNING)


# What the voice asks of the player, run by QML from the event loop (_ask): never from Python holding the GIL.
_PLAYER = b"""import QtMultimedia
MediaPlayer {
    audioOutput: AudioOutput {}
    function hush() { stop() }
    function speak(url) { stop(); source = url; play() }
    function level(volume) { audioOutput.volume = volume }
}"""


def _player(parent: QObject) -> tuple[QMediaPlayer, QAudioOutput, tuple[QQmlEngine, QQmlComponent]]:
    """A player and its output made by Qt, not by Python. FFmpeg's audio renderer lives on a thread of its own
    and listens to the output; when it goes, Qt tells the output (disconnectNotify) while holding its
    signal lock. Made from Python, the output is a PySide subclass that takes the GIL to look for a Python
    override, and the UI thread, holding the GIL, waits on that lock in its next call to the player: the
    kiosk froze (seen in tests; 1 in 2 runs of 400 quick say()s). Made through QML, they are plain Qt
    objects whose notifications never need Python. Returned too: the engine and the component, which must live
    as long as the player for its QML functions to run."""
    engine = QQmlEngine(parent)
    component = QQmlComponent(engine)
    component.setData(_PLAYER, QUrl())
    player = component.create()
    if not isinstance(player, QMediaPlayer):
        raise ImportError(f"Qt Multimedia's QML module did not load: {component.errorString()}")
    player.setParent(parent)         # deleted with the voice, on the UI thread
    return player, player.audioOutput(), (engine, component)


class Voice(QObject):
    playing = Signal(str)       # the text whose WAV has just been handed to the player

    def __init__(self, synthesizer: Synthesizer, bridge: Bridge, audio_device: str = "") -> None:
        super().__init__()
        self.synthesizer = synthesizer
        self.bridge = bridge
        self.player, self.output, self._qml = _player(self)
        self.output.setDevice(self._device(audio_device))
        self.devices = QMediaDevices(self)           # headphones plugged in later are taken at once
        self.devices.audioOutputsChanged.connect(lambda: self.output.setDevice(self._device(audio_device)))
        _quiet_ffmpeg()                              # the player has loaded the FFmpeg backend
        bridge.run(synthesizer.prepare, lambda _: None)     # the kiosk is coming up: no screen waits for it
        self._wanted = 0
        self.quiet = True         # nothing said since the last stop: nothing to stop
        self.last_text = ""
        self.last_problem: str | None = None

    @staticmethod
    def _device(name: str):
        """The output whose description holds name (the headphone jack), else the default one."""
        for device in QMediaDevices.audioOutputs():
            if name and name.lower() in device.description().lower():
                return device
        return QMediaDevices.defaultAudioOutput()

    def health(self) -> Health:
        """The engine's health, and a warning when there is no sound output to play on."""
        engine = self.synthesizer.health()
        if engine.state is State.OK and not QMediaDevices.audioOutputs():
            return Health("speech", State.WARNING, "speech.no_audio_device")    # a key: the page translates it
        return engine

    def _ask(self, function: str, *values: object) -> None:
        """The player's stop waits for FFmpeg's audio thread, and that thread, logging a warning, waits for the
        GIL (the kiosk's Qt message handler is Python): called from Python, the UI thread held the GIL while it
        waited, and the kiosk froze for good (seen in bench.transitions under load). Queued, QML runs it from
        the event loop, which has let the GIL go."""
        QMetaObject.invokeMethod(self.player, function, Qt.ConnectionType.QueuedConnection,
                                 *(Q_ARG("QVariant", value) for value in values))

    def say(self, text: str, language: str, profile: Profile) -> None:
        """Once the screen is painted: the words' pinyin is Python holding the GIL, and the player's stop waits
        for FFmpeg's thread; both slowed the building and painting of the screen they are about."""
        self._wanted += 1
        self.quiet = False
        wanted = self._wanted

        def speak() -> None:
            self._ask("hush")
            self._ask("level", profile.volume)
            self.bridge.run(lambda: self.synthesizer.synthesize(text, language, profile.rate),
                            lambda outcome: self._play(wanted, text, outcome))
        self.bridge.after_paint(speak)

    def stop(self) -> None:
        """Nothing more said: what plays stops, and words still being made for an earlier screen are dropped."""
        if self.quiet:
            return
        self.quiet = True
        self._wanted += 1
        self._ask("hush")

    def close(self) -> None:
        """Release the media before the player goes: a player destroyed mid-play can crash Qt's
        decoder threads (seen under test churn on a machine without a sound card). At once: the event loop may
        not turn again."""
        self._wanted += 1
        self.player.stop()
        self.player.setSource(QUrl())

    def set_volume(self, volume: float) -> None:
        self._ask("level", volume)

    def _play(self, wanted: int, text: str, outcome: Outcome[Path]) -> None:
        if wanted != self._wanted:
            return                  # the citizen has moved on
        if not outcome.ok:
            if outcome.problem != self.last_problem:
                log.warning("no voice: %s %s", outcome.problem, outcome.detail)
            self.last_problem = outcome.problem
            return
        self.last_problem = None
        self.last_text = text
        self._ask("speak", QUrl.fromLocalFile(str(outcome.value)))
        self.playing.emit(text)
