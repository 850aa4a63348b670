"""Hard versions of a genuine photo, for measuring the matcher and the liveness check where no
collection of real kiosk captures exists: poor light, another crop and tilt, heavy JPEG, the chip's
102x126 photo in 1 KiB, and a photo shown on a phone's screen and photographed again.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def _jpeg(image: np.ndarray, quality: int) -> np.ndarray:
    import cv2

    _, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return _decoded(bytes(data))


def _decoded(data: bytes) -> np.ndarray:
    import cv2
    import numpy as np

    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None, "OpenCV decodes what it encoded"
    return image


def dark(image: np.ndarray) -> np.ndarray:
    """A dim hall at night: a third of the light, the shadows crushed."""
    import numpy as np

    return np.clip(((image / 255.0) ** 1.8) * 255 * 0.55, 0, 255).astype(np.uint8)


def bright(image: np.ndarray) -> np.ndarray:
    """Sunlight from the side: brighter, washed out towards one edge."""
    import numpy as np

    ramp = np.linspace(1.1, 1.7, image.shape[1])[None, :, None]
    return np.clip(image * ramp + 20, 0, 255).astype(np.uint8)


def tilted(image: np.ndarray) -> np.ndarray:
    """The head tilted 12 degrees and the frame cut closer on one side."""
    import cv2

    h, w = image.shape[:2]
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), 12, 1.0)
    rotated = cv2.warpAffine(image, turn, (w, h), borderMode=cv2.BORDER_REPLICATE)
    return rotated[h // 12:, w // 10:]


def coarse(image: np.ndarray) -> np.ndarray:
    """A cheap camera's heavy compression."""
    return _jpeg(image, 12)


def chip_jpeg(image: np.ndarray, box: tuple[int, int, int, int]) -> bytes:
    """The chip's photo of this face: head and shoulders (1.6 face widths wide) at 102x126 pixels in at
    most 1 KiB. WLT's own quality is the vendors' secret; this stand-in is the best JPEG that fits,
    in grey, since at 1 KiB colour costs the face's detail."""
    import cv2

    left, top, right, bottom = box
    width = (right - left) * 1.6
    height = width * 126 / 102
    cx, cy = (left + right) / 2, (top + bottom) / 2
    x0, y0 = max(int(cx - width / 2), 0), max(int(cy - height / 2), 0)
    crop = cv2.resize(image[y0:int(cy + height / 2), x0:int(cx + width / 2)], (102, 126), interpolation=cv2.INTER_AREA)
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    for quality in range(90, 4, -5):
        ok, data = cv2.imencode(".jpg", grey, [cv2.IMWRITE_JPEG_QUALITY, quality, cv2.IMWRITE_JPEG_OPTIMIZE, 1])
        if ok and len(data) <= 1024:
            break
    return bytes(data)


def chip_photo(image: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """chip_jpeg as the reader's decoder would hand it over."""
    return _decoded(chip_jpeg(image, box))


def on_screen(image: np.ndarray) -> np.ndarray:
    """The photo shown on a phone held up to the camera: smaller, the screen's pixel grid and moiré,
    its glare, lower contrast, a slight keystone and the camera's blur."""
    import cv2
    import numpy as np

    h, w = image.shape[:2]
    shown = cv2.resize(image, (w * 3 // 4, h * 3 // 4), interpolation=cv2.INTER_AREA).astype(np.float32)
    sh, sw = shown.shape[:2]
    yy, xx = np.mgrid[0:sh, 0:sw]
    grid = 0.86 + 0.14 * ((xx % 3 != 2) & (yy % 3 != 2))                 # the dark lines between pixels
    moire = 1.0 + 0.06 * np.sin(2 * np.pi * (xx * 0.23 + yy * 0.07))
    glare = 55 * np.exp(-(((xx - sw * 0.7) / (sw * 0.35)) ** 2 + ((yy - sh * 0.3) / (sh * 0.35)) ** 2))
    shown = shown * 0.8 * (grid * moire)[..., None] + 25 + glare[..., None]
    shown = np.clip(shown, 0, 255).astype(np.uint8)
    frame = np.full_like(image, 30)
    src = np.array([[0, 0], [sw, 0], [sw, sh], [0, sh]], np.float32)
    dst = np.array([[w * 0.12, h * 0.10], [w * 0.86, h * 0.14], [w * 0.88, h * 0.88], [w * 0.10, h * 0.92]], np.float32)
    warp = cv2.getPerspectiveTransform(src, dst)
    frame = cv2.warpPerspective(shown, warp, (w, h), dst=frame, borderMode=cv2.BORDER_TRANSPARENT)
    return _jpeg(cv2.GaussianBlur(frame, (3, 3), 0), 80)


VARIANTS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "dark": dark, "bright": bright, "tilted": tilted, "coarse": coarse, "screen": on_screen,
}


def held_turned(image: np.ndarray, degrees: float) -> np.ndarray:
    """A flat picture (a print, a phone) turned about its upright axis before the camera, as someone would
    turn it to fake a head turn: the perspective of a plane, nothing of a head's depth."""
    import cv2
    import numpy as np

    h, w = image.shape[:2]
    angle, focal = np.radians(degrees), w * 1.2
    corners = []
    for x, y in ((0, 0), (w, 0), (w, h), (0, h)):
        depth = (x - w / 2) * np.sin(angle) + focal
        corners.append([(x - w / 2) * np.cos(angle) * focal / depth + w / 2, (y - h / 2) * focal / depth + h / 2])
    plane = cv2.getPerspectiveTransform(np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32),
                                        np.array(corners, np.float32))
    return cv2.warpPerspective(image, plane, (w, h), borderMode=cv2.BORDER_REPLICATE)
