"""The packaged genuine face photos (sample_photos/NOTICE): what the demo's card and camera show."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

PEOPLE = ("obama", "biden")


def card_photo(person: str) -> bytes:
    """The chip photo of a packaged person, as a simulated card carries it (JPEG, at most 1 KiB)."""
    return resources.files("devices.face").joinpath(f"sample_photos/card-{person}.jpg").read_bytes()


def live_frame(person: str) -> Path:
    """Another photo of the same person, for a simulated camera (devices.doccam.ImageFiles)."""
    return Path(str(resources.files("devices.face").joinpath(f"sample_photos/live-{person}.jpg")))
