"""The packaged genuine face photos (sample_photos/NOTICE): what the demo's card and camera show."""
from __future__ import annotations

from importlib import resources
from pathlib import Path


def _photo(name: str) -> Path:
    return Path(str(resources.files("devices.face").joinpath(f"sample_photos/{name}")))


def card_photo(person: str) -> bytes:
    """The chip photo of a packaged person, as a simulated card carries it (JPEG, at most 1 KiB)."""
    return _photo(f"card-{person}.jpg").read_bytes()


def live_frame(person: str) -> Path:
    """Another photo of the same person, for a simulated camera (devices.doccam.ImageFiles)."""
    return _photo(f"live-{person}.jpg")


def turning_frames() -> list[Path]:
    """What the simulated camera shows on each try: the first demo card's holder with the head turned one
    way, facing, turned the other way (genuine photos of three poses: the head-turn challenge passes on
    them as on a citizen turning), then facing again for the comparison. Only one photo of the second
    person is packaged, so no turn of theirs can be shown: with liveness on, their card is not verified."""
    return [_photo("turn-left-obama.jpg"), live_frame("obama"), _photo("turn-right-obama.jpg"), live_frame("obama")]
