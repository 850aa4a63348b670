"""The voice's player plays a real WAV through Qt Multimedia (FFmpeg) and leaves stderr to real problems."""
from __future__ import annotations

import wave
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtMultimedia import QMediaPlayer

from devices.health import Health, State
from kiosk.accessibility import Profile
from kiosk.outcome import Outcome
from ui.bridge import Bridge
from ui.voice import Voice

pytestmark = pytest.mark.gui


class OneWav:
    """A synthesizer whose every utterance is the same short silent WAV."""

    def __init__(self, path: Path) -> None:
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(22050)
            out.writeframes(b"\0\0" * 2205)
        self.path = path

    def prepare(self) -> None:
        pass

    def synthesize(self, text: str, language: str, rate: int) -> Outcome[Path]:
        return Outcome.success(self.path)

    def health(self) -> Health:
        return Health("speech", State.OK, "one wav")


def test_playing_prints_no_stream_dump(qtbot, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    bridge = Bridge()
    voice = Voice(OneWav(tmp_path / "said.wav"), bridge)
    with qtbot.waitSignal(voice.playing, timeout=10_000):
        voice.say("您好", "zh_CN", Profile(voice=True))
    played = (QMediaPlayer.MediaStatus.BufferedMedia, QMediaPlayer.MediaStatus.EndOfMedia)
    qtbot.waitUntil(lambda: voice.player.mediaStatus() in played, timeout=10_000)    # FFmpeg has opened it
    voice.close()
    assert "Stream #0" not in capfd.readouterr().err


def test_the_player_and_its_output_are_qt_objects_not_python_subclasses(qtbot, tmp_path: Path) -> None:
    """FFmpeg's renderer thread notifies the output when it goes; a Python-made output takes the GIL there,
    which the UI thread held while waiting on the renderer's lock: the kiosk froze (ui/voice.py)."""
    bridge = Bridge()
    voice = Voice(OneWav(tmp_path / "said.wav"), bridge)
    assert not shiboken6.createdByPython(voice.player) and not shiboken6.createdByPython(voice.output)
    assert voice.player.audioOutput() is voice.output and voice.player.parent() is voice
    for _ in range(3):                   # still speaks, stops and speaks again through them
        with qtbot.waitSignal(voice.playing, timeout=10_000):
            voice.say("您好", "zh_CN", Profile(voice=True))
        voice.stop()
    voice.close()
    bridge.shutdown()
