"""The accessibility settings the window needs, built once from configuration."""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from kiosk import accessibility as a11y
from kiosk.config import Config
from ui.bridge import Bridge

if TYPE_CHECKING:
    from ui.voice import Voice


@dataclasses.dataclass(frozen=True)
class Access:
    ppi: float = 0.0                   # 0: assumed from the window's resolution (accessibility.assumed_ppi)
    assisted_idle_timeout_s: int = 300
    assisted_idle_warning_s: int = 60
    keys: dict[str, tuple[str, ...]] = dataclasses.field(
        default_factory=lambda: a11y.parse_keys(a11y.DEFAULT_KEYS))
    voice: "Voice | None" = None


def from_config(config: Config, bridge: Bridge) -> Access:
    """Also reports the voice's health, so technician mode shows a kiosk without voice."""
    from devices import speech
    from ui.voice import Voice      # QtMultimedia only where there is a voice to play

    voice = Voice(speech.synthesizer(config.speech_engine, config.speech_rate_wpm), bridge, config.audio_device)
    bridge.on_health(voice.health())
    return Access(config.screen_ppi, config.assisted_idle_timeout_s, config.assisted_idle_warning_s,
                  a11y.parse_keys(config.keypad_keys), voice)
