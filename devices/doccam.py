"""The document camera (高拍仪): capture a frame, find the page, straighten it, compress it for upload.

A UVC document camera looks down on a dark mat, so the page is the largest bright four-sided shape
in the frame. The page is warped to a fixed 150 dpi A4 size (the long side 1754 pixels), its uneven
lighting divided out so the paper turns an even white, and encoded as JPEG (or WebP, a fifth
smaller): text stays legible and red seals keep their colour. OpenCV is imported on first use, so a
kiosk start-up without a document camera never loads it.
"""
from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.outcome import Outcome

if TYPE_CHECKING:
    import numpy as np

NO_PAGE = "doccam.no_page"
CAMERA_ABSENT = "doccam.camera_absent"
BAD_IMAGE = "doccam.bad_image"

LONG_SIDE = 1754            # pixels: A4 at 150 dpi, where 五号 (10.5 pt) text, the size of most forms, is 22 px
QUALITY = 60                # JPEG and WebP alike: the strokes of 五号 characters keep clean edges
# extension, MIME type, the quality option, then options switched on (optimised progressive JPEG: 8% less)
_FORMATS = {
    "jpeg": (".jpg", "image/jpeg", ("IMWRITE_JPEG_QUALITY", "IMWRITE_JPEG_OPTIMIZE", "IMWRITE_JPEG_PROGRESSIVE")),
    "webp": (".webp", "image/webp", ("IMWRITE_WEBP_QUALITY",)),
}
# after dividing out the lighting, levels at or below _INK become black and at or above _PAPER white
_INK, _PAPER = 30, 230
_DETECT_SIDE = 800          # find the page on a copy this size: as exact, far quicker
_MIN_PAGE_AREA = 0.15       # of the frame; anything smaller is a stray card or a hand, not a page
_QUAD_FIT = 0.05            # the four corners' area may differ this much from the bright shape's


class FrameSource(Protocol):
    def read(self) -> Outcome[np.ndarray]:
        """One BGR frame, or a named failure."""

    def close(self) -> None: ...


class Camera:
    """A UVC camera (index or /dev/videoN) or a video file, through cv2.VideoCapture.

    Opened on first read and released on failure, so an unplugged camera comes back by itself.
    The first frames after opening are dropped: auto exposure needs them to settle.
    """

    def __init__(self, device: int | str, width: int = 2592, height: int = 1944, warmup_frames: int = 5) -> None:
        self.device = device
        self.width, self.height = width, height
        self.warmup_frames = warmup_frames
        self._capture: Any = None

    def read(self) -> Outcome[np.ndarray]:
        import cv2

        if self._capture is None:
            capture = cv2.VideoCapture(self.device)
            if not capture.isOpened():
                return Outcome.failure(CAMERA_ABSENT, f"cannot open {self.device!r}")
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
            for _ in range(self.warmup_frames):
                capture.grab()
            self._capture = capture
        ok, frame = self._capture.read()
        if not ok or frame is None:
            self.close()
            return Outcome.failure(CAMERA_ABSENT, f"no frame from {self.device!r}")
        return Outcome.success(frame)

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class ImageFiles:
    """The simulated document camera: each read is the next image file, round and round."""

    def __init__(self, paths: Sequence[Path]) -> None:
        if not paths:
            raise ValueError("the simulator needs at least one image file")
        self._paths: Iterator[Path] = itertools.cycle(paths)

    def read(self) -> Outcome[np.ndarray]:
        path = next(self._paths)
        try:
            data = path.read_bytes()
        except OSError as exc:
            return Outcome.failure(BAD_IMAGE, f"{path}: {exc.strerror or exc}")
        return decode_image(data, str(path))

    def close(self) -> None:
        pass


def decode_image(data: bytes, name: str = "image") -> Outcome[np.ndarray]:
    """A BGR image from encoded bytes; an empty, corrupt or unknown file is BAD_IMAGE."""
    import cv2
    import numpy as np

    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR) if data else None
    if image is None or image.size == 0:
        return Outcome.failure(BAD_IMAGE, f"{name}: empty, corrupt or not an image ({len(data)} bytes)")
    return Outcome.success(image)


@dataclasses.dataclass(frozen=True)
class Scan:
    data: bytes
    mime: str
    width: int
    height: int
    corners: tuple[tuple[float, float], ...]    # in the frame: top-left, top-right, bottom-right, bottom-left


def scan(frame: np.ndarray, fmt: str = "jpeg", quality: int = QUALITY) -> Outcome[Scan]:
    """The page in a frame, straightened, evened out and encoded; NO_PAGE if there is none."""
    corners = find_page(frame)
    if corners is None:
        return Outcome.failure(NO_PAGE, "no four-sided bright shape of page size in the frame")
    page = even_out(rectify(frame, corners))
    data, mime = encode(page, fmt, quality)
    height, width = page.shape[:2]
    return Outcome.success(Scan(data, mime, width, height, tuple((float(x), float(y)) for x, y in corners)))


def find_page(frame: np.ndarray) -> np.ndarray | None:
    """The page's corners (4x2, top-left first, clockwise) in frame pixels, or None."""
    import cv2
    import numpy as np

    if frame.ndim != 3 or min(frame.shape[:2]) < 32:
        return None
    scale = _DETECT_SIDE / max(frame.shape[:2])
    small = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    _, bright = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    # closing fills the dark print inside the page, so the page is one shape
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(bright, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    hull = cv2.convexHull(max(contours, key=cv2.contourArea))
    hull_area = cv2.contourArea(hull)
    x, y, width, height = cv2.boundingRect(hull)
    if hull_area < _MIN_PAGE_AREA * gray.size or x <= 1 or y <= 1 or \
            x + width >= gray.shape[1] - 1 or y + height >= gray.shape[0] - 1:
        return None     # too small, or running off the frame: part of the page would be lost
    perimeter = cv2.arcLength(hull, True)
    for tolerance in (0.02, 0.04, 0.06):
        quad = cv2.approxPolyDP(hull, tolerance * perimeter, True)
        # four corners that cover the shape: a page, not a disc or a folded sheet
        if len(quad) == 4 and abs(cv2.contourArea(quad) / hull_area - 1) < _QUAD_FIT:
            return _clockwise(quad.reshape(4, 2).astype(np.float32) / scale)
    return None


def _clockwise(points: np.ndarray) -> np.ndarray:
    """Clockwise on screen (by angle around the centre), starting at the corner nearest the origin:
    unlike picking by x+y and y-x, this never names one corner twice when the page lies askew."""
    import numpy as np

    centred = points - points.mean(axis=0)
    ordered = points[np.argsort(np.arctan2(centred[:, 1], centred[:, 0]))]
    return np.roll(ordered, -int(ordered.sum(axis=1).argmin()), axis=0)


def rectify(frame: np.ndarray, corners: np.ndarray, long_side: int = LONG_SIDE) -> np.ndarray:
    """The page seen square-on, its measured aspect kept (not every material is A4), its long side long_side."""
    import cv2
    import numpy as np

    top_left, top_right, bottom_right, bottom_left = corners
    width = max(np.linalg.norm(top_right - top_left), np.linalg.norm(bottom_right - bottom_left))
    height = max(np.linalg.norm(bottom_left - top_left), np.linalg.norm(bottom_right - top_right))
    scale = long_side / max(width, height)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    target = np.array([[0, 0], [size[0], 0], [size[0], size[1]], [0, size[1]]], np.float32)
    return cv2.warpPerspective(frame, cv2.getPerspectiveTransform(corners, target), size, flags=cv2.INTER_CUBIC)


def even_out(page: np.ndarray) -> np.ndarray:
    """Divide out the lighting and stretch ink to black, paper to white: noise and shading on the
    paper then cost no bytes, and faint print gets darker.

    The lighting is the page with its print dilated away and blurred; strokes thinner than the
    dilation keep their contrast, in colour, so red seals stay red.
    """
    import cv2
    import numpy as np

    lighting = cv2.GaussianBlur(cv2.dilate(page, np.ones((9, 9), np.uint8)), (0, 0), 15)
    even = cv2.divide(page, lighting, scale=255)
    curve = np.clip((np.arange(256) - _INK) * 255.0 / (_PAPER - _INK), 0, 255).astype(np.uint8)
    return cv2.LUT(even, curve)


def encode(page: np.ndarray, fmt: str = "jpeg", quality: int = QUALITY) -> tuple[bytes, str]:
    """The page as (bytes, MIME type), in "jpeg" (every case-handling system opens it) or "webp"."""
    import cv2

    extension, mime, (quality_option, *switches) = _FORMATS[fmt]
    options = [getattr(cv2, quality_option), quality]
    options += [value for name in switches for value in (getattr(cv2, name), 1)]
    ok, data = cv2.imencode(extension, page, options)
    if not ok:
        raise ValueError(f"OpenCV could not encode the page as {fmt}")
    return data.tobytes(), mime
