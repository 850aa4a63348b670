"""Speech synthesis: text in, a WAV file out, offline, behind one small interface.

The driver runs espeak-ng. Its Mandarin voice `cmn` reads Latin letters as English and so misreads
Chinese text, and `cmn-latn-pinyin` given Chinese characters drops tones and misreads polyphonic
characters (银行 as yin xing, 长辈 as chang bei, 重新 as zhong xin). Given tone-numbered pinyin,
`cmn-latn-pinyin` reads correctly, so Mandarin is converted to pinyin first with pypinyin, whose
phrase dictionary resolves most polyphones. Where no engine is installed, `Silent` answers every
request with a named failure and reports itself absent: the kiosk goes on without voice.
"""
from __future__ import annotations

import functools
import itertools
import shutil
import subprocess
import tempfile
import weakref
from pathlib import Path
from typing import Protocol

from devices.health import Health, State
from kiosk.outcome import Outcome

VOICES = {"zh_CN": "cmn-latn-pinyin", "en": "en-us"}
RATE_FACTORS = (0.75, 1.0, 1.3)            # Profile.rate: slow, normal, fast
# Full-width punctuation becomes the ASCII that espeak-ng pauses on.
_PUNCTUATION = str.maketrans({"，": ",", "。": ".", "：": ":", "；": ";", "？": "?", "！": "!", "、": ",",
                              "（": ",", "）": ",", "·": ",", "…": "."})
TIMEOUT_S = 10
# espeak-ng runs at the lowest priority: it fills the core the next screen's building wants, and a voice a few
# milliseconds late is not heard as late, a screen is seen (bench.transitions, the assisted mode: p95 of every
# screen change 54-56 -> 42-45 ms on two cores). `nice`, not a preexec_fn: that would fork the whole kiosk.
LOWEST_PRIORITY = ["nice", "-n", "19"] if shutil.which("nice") else []


class Synthesizer(Protocol):
    def prepare(self) -> None:
        """Load now what the first synthesis would load: called off the UI thread, before any citizen."""

    def synthesize(self, text: str, language: str, rate: int) -> Outcome[Path]:
        """A WAV file speaking text; the file lives until a few later calls."""

    def health(self) -> Health:
        """What technician mode shows: is there a voice at all."""


PINYIN_KEPT = 512          # texts whose pinyin is kept: every screen's words in both modes of speech, and more


@functools.lru_cache(maxsize=PINYIN_KEPT)
def to_pinyin(text: str) -> str:
    """Chinese characters as tone-numbered pinyin (5 = neutral); everything else kept as it is. Kept by text: a
    screen's words come again with every citizen, and converting them is Python holding the GIL on the voice's
    thread while the UI thread builds the next screen (bench.transitions, the assisted mode, with the conversion
    made instant: every change's wall time p50 35 -> 26 ms, p95 88 -> 44 ms)."""
    from pypinyin import Style, lazy_pinyin  # its phrase dictionary costs 0.2 s: not on the path to the first frame

    syllables = lazy_pinyin(text.translate(_PUNCTUATION), style=Style.TONE3, neutral_tone_with_five=True)
    return " ".join(s.strip() for s in syllables if s.strip())


class EspeakNg:
    """espeak-ng as a subprocess writing WAV files into its own temporary folder."""

    KEEP = 4      # files kept: the one playing and the ones queued behind it

    def __init__(self, words_per_minute: int = 150, executable: str = "espeak-ng") -> None:
        self.words_per_minute = words_per_minute
        self.executable = shutil.which(executable) or executable
        self._folder = Path(tempfile.mkdtemp(prefix="kiosk24-voice-"))
        weakref.finalize(self, shutil.rmtree, self._folder, ignore_errors=True)    # the folder goes with the engine
        self._numbers = itertools.count()

    def prepare(self) -> None:
        """pypinyin's dictionaries: 0.2 s of Python holding the GIL, which the first spoken screen waited for
        (bench.transitions: the accessible mode's first start screen, 454 ms where it built in 41 ms of CPU)."""
        to_pinyin("")

    def synthesize(self, text: str, language: str, rate: int) -> Outcome[Path]:
        spoken = to_pinyin(text) if language == "zh_CN" else text
        path = self._folder / f"{next(self._numbers) % self.KEEP}.wav"
        speed = round(self.words_per_minute * RATE_FACTORS[rate])
        try:
            subprocess.run([*LOWEST_PRIORITY, self.executable, "-v", VOICES[language], "-s", str(speed),
                            "-w", str(path), "--", spoken], check=True, capture_output=True, timeout=TIMEOUT_S)
        except (OSError, subprocess.SubprocessError) as exc:
            return Outcome.failure("speech.failed", str(exc))
        return Outcome.success(path)

    def health(self) -> Health:
        try:
            result = subprocess.run([self.executable, "--version"], capture_output=True, text=True, timeout=TIMEOUT_S)
        except (OSError, subprocess.SubprocessError) as exc:
            return Health("speech", State.ABSENT, f"espeak-ng cannot run: {exc}")
        return Health("speech", State.OK, result.stdout.strip().splitlines()[0] if result.stdout else "espeak-ng")


class Silent:
    """No engine: every request fails by name, and the health says so."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def prepare(self) -> None:
        pass

    def synthesize(self, text: str, language: str, rate: int) -> Outcome[Path]:
        return Outcome.failure("speech.absent", self.reason)

    def health(self) -> Health:
        return Health("speech", State.ABSENT, self.reason)


def synthesizer(engine: str, words_per_minute: int) -> Synthesizer:
    """The configured engine, or Silent with the reason when it is off or not installed."""
    if engine == "none":
        return Silent("voice guidance is switched off in the configuration (speech_engine = none)")
    if shutil.which("espeak-ng") is None:
        return Silent("espeak-ng is not installed: no voice guidance (apt install espeak-ng)")
    return EspeakNg(words_per_minute)
