"""The citizen's presentation choices for one visit, and the physical rules they are measured by.

Sizes are physical, as for accessible voting machines (VVSG 2.0): four text sizes defined by the
height of a glyph on the glass, touch targets of at least 15 mm, whatever the screen's density.
Colours are checked with WCAG's contrast ratio. Everything resets to the kiosk's defaults when the
session ends (Session.wipe).
"""
from __future__ import annotations

import dataclasses
import enum
import math
from typing import Any

MM_PER_INCH = 25.4
# Without a configured or reported density, the glass is assumed to be 21.5 inches across, the
# common stand-up kiosk panel: 102 ppi at 1920x1080, 73 ppi at 1366x768.
ASSUMED_DIAGONAL_IN = 21.5
MIN_TARGET_MM = 15.0         # no touch target smaller than this, in either direction
# VVSG 2.0's four text sizes as glyph height ranges in mm: Chinese by the height of a full
# ideograph (国), Latin by the height of a capital letter. Each size aims at its range's middle.
TEXT_SIZES_MM: tuple[tuple[float, float], ...] = ((3.5, 4.2), (4.8, 5.6), (6.4, 7.1), (8.5, 9.0))
LARGEST = len(TEXT_SIZES_MM)
REACH_TOP = 0.4              # portrait + assisted: every control below this fraction of the screen height


class Colours(enum.Enum):
    NORMAL = "normal"
    LIGHT = "contrast_light"     # high contrast, dark text on white
    DARK = "contrast_dark"       # high contrast, light text on black

    @property
    def minimum_contrast(self) -> float:
        """WCAG 2.2: 4.5:1 (AA) for text everywhere, 7:1 (AAA) in the high-contrast modes."""
        return 4.5 if self is Colours.NORMAL else 7.0

    def next(self) -> Colours:
        members = list(Colours)
        return members[(members.index(self) + 1) % len(members)]


def assumed_ppi(width: int, height: int) -> float:
    return round(math.hypot(width, height) / ASSUMED_DIAGONAL_IN, 1)


def target_mm(size: int) -> float:
    low, high = TEXT_SIZES_MM[size - 1]
    return (low + high) / 2


def px(mm: float, ppi: float) -> int:
    return round(mm * ppi / MM_PER_INCH)


def mm(pixels: float, ppi: float) -> float:
    return pixels * MM_PER_INCH / ppi


@dataclasses.dataclass(frozen=True)
class Profile:
    assisted: bool = False     # 长辈/无障碍模式: largest text, voice, more time, controls within reach
    text_size: int = 1         # 1..4, TEXT_SIZES_MM
    colours: Colours = Colours.NORMAL
    voice: bool = False        # spoken guidance; on in the assisted mode and once a keypad key is used
    audio_only: bool = False   # screen blanked for privacy; voice and keypad carry the flow
    volume: float = 0.8        # 0..1
    rate: int = 1              # 0 slow, 1 normal, 2 fast

    def toggled(self, **changes: Any) -> Profile:
        return dataclasses.replace(self, **changes)

    def with_assisted(self, on: bool) -> Profile:
        """The mode is one switch: it brings the largest text and voice, and takes them away again."""
        return dataclasses.replace(self, assisted=on, text_size=LARGEST if on else 1, voice=on or self.audio_only)

    def with_audio_only(self, on: bool) -> Profile:
        return dataclasses.replace(self, audio_only=on, voice=on or self.voice)

    def next_text_size(self) -> Profile:
        return dataclasses.replace(self, text_size=self.text_size % LARGEST + 1)

    def louder(self, step: float) -> Profile:
        return dataclasses.replace(self, volume=round(min(1.0, max(0.1, self.volume + step)), 2))

    def next_rate(self) -> Profile:
        return dataclasses.replace(self, rate=(self.rate + 1) % 3)

    @property
    def large(self) -> bool:
        """Fewer items per row and line from size 3 on."""
        return self.text_size >= 3


def relative_luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour written #RRGGBB."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# Keypad actions, as on accessible kiosks' tactile keypads; each mapped to Qt key names in config.
ACTIONS = ("previous", "next", "select", "back", "help", "volume_down", "volume_up", "rate", "repeat", "screen")
DEFAULT_KEYS = ("previous=Up|Backtab,next=Down|Tab,select=Return|Enter,back=Escape,help=F1,"
                "volume_down=F2,volume_up=F3,rate=F4,repeat=F5,screen=F6")


def parse_keys(text: str) -> dict[str, tuple[str, ...]]:
    """'action=Key|Key,…' → {action: key names}; every action needs at least one key."""
    mapping: dict[str, tuple[str, ...]] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        action, sep, keys = item.partition("=")
        names = tuple(filter(None, (k.strip() for k in keys.split("|"))))
        if not sep or action.strip() not in ACTIONS or not names:
            raise ValueError(f"{item!r} is not action=Key|Key with an action among {', '.join(ACTIONS)}")
        mapping[action.strip()] = names
    missing = [a for a in ACTIONS if a not in mapping]
    if missing:
        raise ValueError(f"no key for {', '.join(missing)}")
    return mapping
