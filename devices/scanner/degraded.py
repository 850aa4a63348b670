"""Real code photos as a kiosk camera sees them on a bad day, made reproducibly from a seed.

synthetic.py draws clean generated codes; this takes the real corpus photos (their print, paper
and lens already imperfect) and adds what a kiosk's camera adds: the hall's ceiling lights
reflected on a glossy phone screen or a laminated card (glare), auto-exposure fooled by a bright
screen (over-exposure), a code held too close to focus (blur), a phone screen's pixel grid beating
with the sensor's (moiré), and these together. Light is added in linear terms and clipped at 255
as a sensor clips, so under the brightest glare the white modules saturate and only what is left
of the dark ones carries the code. bench.qr measures the pipeline on these frames.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from devices.scanner.camera import FRAME_SIZE
from devices.scanner.synthetic import counter

Image = Any
Rng = Any       # numpy.random.Generator

WIDTH, HEIGHT = FRAME_SIZE
# pixels per module of a code held 15-30 cm from a 720p kiosk camera
MODULE_PX = (3.0, 6.0)


def module_px(photo: Image) -> float | None:
    """How many pixels a module of the photo's code spans (zxing-cpp finds it and its version),
    or None when it cannot tell."""
    import zxingcpp
    found = zxingcpp.read_barcodes(photo, formats=[zxingcpp.BarcodeFormat.QRCode])  # type: ignore[arg-type]
    extra = found[0].extra if found else None
    version = str(extra.get("Version", "")) if isinstance(extra, dict) else ""
    if not version.isdigit():
        return None
    corners = found[0].position
    side = ((corners.top_right.x - corners.top_left.x) ** 2 + (corners.top_right.y - corners.top_left.y) ** 2) ** 0.5
    return side / (17 + 4 * int(version))


def placed(photo: Image, pitch: float, rng: Rng) -> tuple[Image, tuple[int, int, int]]:
    """photo held up somewhere on the counter, its modules MODULE_PX wide (pitch: theirs in the
    photo); the frame (float) and where the photo went (top, left, side)."""
    import cv2
    import numpy as np
    scale = min(rng.uniform(*MODULE_PX) / pitch, (WIDTH - 40) / photo.shape[1], (HEIGHT - 40) / photo.shape[0])
    code = cv2.resize(photo, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    frame = counter(rng).astype(np.float32)
    top = int(rng.integers(10, HEIGHT - code.shape[0] - 10))
    left = int(rng.integers(10, WIDTH - code.shape[1] - 10))
    frame[top:top + code.shape[0], left:left + code.shape[1]] = code
    return frame, (top, left, max(code.shape))


def glare(frame: Image, where: tuple[int, int, int], rng: Rng) -> Image:
    """One or two reflected lights over the code: a bright core that clips the white modules and
    lifts the dark ones to 150-225 (a lamp bright enough to clip the dark ones too leaves nothing
    to recover), and a wide veil that lowers the contrast around it."""
    import numpy as np
    top, left, side = where
    dark = float(np.percentile(frame[top:top + side, left:left + side], 20))     # a typical dark module
    rows, cols = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    for strength in (1.0, 0.6)[:int(rng.integers(1, 3))]:
        row, col = top + side * rng.uniform(0.25, 0.75), left + side * rng.uniform(0.25, 0.75)
        radius = side * rng.uniform(0.12, 0.25)
        distance = ((cols - col) ** 2 + ((rows - row) * rng.uniform(0.6, 1.0)) ** 2) / (2 * radius ** 2)
        veil = rng.uniform(20, 45)
        frame = frame + strength * ((rng.uniform(150, 225) - dark - veil) * np.exp(-distance)
                                    + veil * np.exp(-distance / 6))
    return frame


def over_exposure(frame: Image, where: tuple[int, int, int], rng: Rng) -> Image:
    """Exposure set for a darker scene: everything 2.2-3.5 times too bright, the paper clipped."""
    return frame * rng.uniform(2.2, 3.5) + rng.uniform(0, 20)


def blur(frame: Image, where: tuple[int, int, int], rng: Rng) -> Image:
    """Out of focus: a Gaussian of 1.2-2.2 pixels."""
    import cv2
    return cv2.GaussianBlur(frame, (0, 0), rng.uniform(1.2, 2.2))


def moire(frame: Image, where: tuple[int, int, int], rng: Rng) -> Image:
    """A screen's pixel grid beating with the sensor's: stripes 3-7 pixels apart, at an angle,
    darkening by up to 25-45 %."""
    import numpy as np
    rows, cols = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    angle = rng.uniform(0, np.pi)
    period = rng.uniform(3, 7)
    stripes = np.cos(2 * np.pi * (cols * np.cos(angle) + rows * np.sin(angle)) / period)
    return frame * (1 - rng.uniform(0.25, 0.45) * (0.5 + 0.5 * stripes))


Fault = Callable[[Image, tuple[int, int, int], Rng], Image]
KINDS: dict[str, tuple[Fault, ...]] = {
    "glare": (glare,), "over_exposure": (over_exposure,), "blur": (blur,), "moire": (moire,),
    "glare_blur": (glare, blur), "over_exposure_moire": (moire, over_exposure),
    "glare_over_exposure": (over_exposure, glare), "moire_blur_glare": (moire, blur, glare),
}
SENSOR_NOISE = 2.5


def degraded(photo: Image, pitch: float, kind: str, rng: Rng, faults: bool = True, exposure: float = 1.0) -> Image:
    """photo in a 1280x720 grey frame with kind's faults applied in order (or none: the frame's
    clean twin, same place and noise), then the sensor: exposure (a camera's bracketed retry
    takes the same scene at 1/2, 1/4), noise, clipping."""
    import numpy as np
    frame, where = placed(photo, pitch, rng)
    for fault in KINDS[kind] if faults else ():
        frame = fault(frame, where, rng)
    return np.clip(frame * exposure + rng.normal(0, SENSOR_NOISE, frame.shape), 0, 255).astype(np.uint8)


def hard_set(photos: Sequence[tuple[str, Image]], per_kind: int, seed: int = 15,
             kinds: tuple[str, ...] = tuple(KINDS), faults: bool = True, exposure: float = 1.0,
             start: int = 0) -> list[tuple[str, str, Image]]:
    """(kind, expected text, frame): per_kind frames of each kind, from the photos whose module
    size zxing-cpp can tell, taken in turn from an offset of the kind's own; frame i of a kind is
    the same whatever else is asked (start skips the first ones). faults=False gives the clean
    twins, so a caller can keep only frames that fail by their faults; exposure, the same frames
    at another exposure."""
    import numpy as np
    sized = [(text, photo, pitch) for text, photo in photos if (pitch := module_px(photo)) is not None]
    frames = []
    for kind in kinds:
        number = list(KINDS).index(kind)
        for index in range(start, per_kind):
            text, photo, pitch = sized[(number * 7 + index) % len(sized)]
            rng = np.random.default_rng([seed, number, index])
            frames.append((kind, text, degraded(photo, pitch, kind, rng, faults, exposure)))
    return frames
