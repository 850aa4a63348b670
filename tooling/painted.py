"""Contrast as painted: text lines found in a rendered screen and their contrast measured from its pixels.

Palettes say what a widget should look like; a stylesheet rule, a checked state, a QML keyboard or a
selection highlight can paint something else. So this reads only the image: strokes thinner than a
glyph's are found against the background around them (morphological closing and opening remove them,
leaving the background), strokes are grouped into lines, and each line's contrast is taken between its
background (the commonest colour in the line's box) and its ink (the strongest of the line's stroke
pixels, so anti-aliased edges do not lower it). The figure is WCAG's contrast ratio of the two colours.

`ignored_regions` names what is not text on a kiosk window: photographs, the signature, QR codes and
pictograms (images, not words), and the screen dimmed behind a notice.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import cv2
import numpy as np
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QWidget

STROKE_PX = 11           # the closing/opening window: wider than any stroke of the kiosk's type (bold 80 px: 9 px),
                         # narrower than any gap between two controls (12 px and more)
INK_RATIO = 1.02         # a pixel this much lighter or darker than the background around it is ink: low, as
                         # thin text of 1.3:1 anti-aliases to barely 1.03:1, and must still be found (and fail)
GLYPH_MAX_PX = 180       # a connected stroke bigger than this is a shape (a border, a ring), not a glyph
JOIN = (21, 5)           # strokes this close (width, height) belong to one line: a glyph's parts, its neighbours
RULE_MIN_PX = 40         # a thin stroke longer than this is a rule or a border's edge (glyph strokes are shorter)
LINE_MIN_STROKES = 30    # fewer stroke pixels than this: a fragment too thin to reach its colour, not a line
LINE_MIN_PX = 10         # a line shorter than this is a mark or noise, not words (glyphs are >= 11 px)
RING_FILL = 0.15         # a large stroke covering less of its box than this is an outline, not a glyph
LONE_FILL = 0.25         # a line of one stroke covering less of its box than this is an arc, not a glyph
SOLID_FILL = 0.8         # a stroke this thick filling its box this much is a bar or a gap, not a glyph
INK_PERCENTILE = 99      # the line's ink: the core of its strokes, not their anti-aliased edges


@dataclasses.dataclass(frozen=True)
class Line:
    """One text line as found in the image: where, its two colours and their contrast."""
    rect: tuple[int, int, int, int]       # x, y, width, height
    ink: str
    background: str
    contrast: float

    def describe(self) -> str:
        x, y, w, h = self.rect
        return f"painted text at ({x},{y} {w}x{h}) {self.ink} on {self.background}: contrast {self.contrast:.2f}"


_CHANNEL = np.arange(256, dtype=np.float32) / 255.0
_CHANNEL = np.where(_CHANNEL <= 0.04045, _CHANNEL / 12.92, ((_CHANNEL + 0.055) / 1.055) ** 2.4).astype(np.float32)
_WEIGHTS = np.array([[0.2126, 0.7152, 0.0722]], np.float32)


def _linear(rgb: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of sRGB pixels (..., 3) as uint8, through a table of the 256 levels."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    return cv2.transform(cv2.LUT(rgb.reshape(-1, 1, 3), _CHANNEL), _WEIGHTS).reshape(rgb.shape[:-1])


def _ratio(a: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
    return (np.maximum(a, b) + 0.05) / (np.minimum(a, b) + 0.05)


def rgb_array(image: QImage) -> np.ndarray:
    """(height, width, 3) uint8 of a QImage, whatever its format."""
    converted = image.convertToFormat(QImage.Format_RGB888)
    width, height = converted.width(), converted.height()
    buffer = np.frombuffer(converted.constBits(), np.uint8, count=converted.sizeInBytes())
    return buffer.reshape(height, converted.bytesPerLine())[:, :width * 3].reshape(height, width, 3).copy()


def _hex(rgb: np.ndarray) -> str:
    return "#{:02X}{:02X}{:02X}".format(*(int(v) for v in rgb))


def _components(mask: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """OpenCV's connected components, with 16-bit labels when they cannot overflow (twice as fast)."""
    mask = mask.astype(np.uint8)
    small = cv2.countNonZero(mask) < np.iinfo(np.uint16).max
    return cv2.connectedComponentsWithStats(mask, connectivity=8, ltype=cv2.CV_16U if small else cv2.CV_32S)


def _glyphs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The mask's strokes that could be parts of glyphs (not rules, rings or large shapes), and each
    kept stroke's (x, y, width, height, area)."""
    _, labels, stats, _ = _components(mask)
    w, h, area = (stats[:, i].astype(np.float64) for i in (cv2.CC_STAT_WIDTH, cv2.CC_STAT_HEIGHT, cv2.CC_STAT_AREA))
    thin, long = np.minimum(w, h), np.maximum(w, h)
    rule = (thin <= 4) & (long >= np.maximum(RULE_MIN_PX, 8 * thin))  # a rule or a border's edge
    ring = (thin >= 30) & (area < RING_FILL * w * h)                # a button's outline or a ring round it
    solid = (thin >= 3) & (area > SOLID_FILL * w * h)               # a solid bar: a gap between two controls
    keep = (long <= GLYPH_MAX_PX) & (long >= 3) & (area >= 4) & ~rule & ~ring & ~solid
    keep[0] = False                                                 # the background
    return keep[labels], stats[keep]


def _lines(glyphs: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes of glyph strokes that sit side by side: words and lines."""
    joined = cv2.dilate(glyphs.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_RECT, JOIN))
    count, _, stats, _ = _components(joined)
    boxes = []
    for index in range(1, count):
        x, y, w, h, _ = stats[index]
        if h >= LINE_MIN_PX and w >= LINE_MIN_PX:
            boxes.append((int(x), int(y), int(w), int(h)))
    return boxes


def measure(rgb: np.ndarray, ignore: Iterable[tuple[int, int, int, int]] = ()) -> list[Line]:
    """Every text line of the image with its painted contrast, lowest first."""
    lum = _linear(rgb)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (STROKE_PX, STROKE_PX))
    behind_dark = cv2.morphologyEx(lum, cv2.MORPH_CLOSE, kernel)     # dark strokes removed
    behind_light = cv2.morphologyEx(lum, cv2.MORPH_OPEN, kernel)     # light strokes removed
    dark = lum <= (behind_dark + 0.05) / INK_RATIO - 0.05           # at least INK_RATIO darker than around it
    light = lum >= (behind_light + 0.05) * INK_RATIO - 0.05         # at least INK_RATIO lighter
    allowed = np.ones(lum.shape, bool)
    for x, y, w, h in ignore:
        allowed[max(0, y):max(0, y + h), max(0, x):max(0, x + w)] = False
    found: list[Line] = []
    for lighter, ink_mask in ((False, dark & allowed), (True, light & allowed)):
        glyphs, strokes_found = _glyphs(ink_mask)
        for x, y, w, h in _lines(glyphs):
            inside = strokes_found[(strokes_found[:, 0] >= x) & (strokes_found[:, 1] >= y)
                                   & (strokes_found[:, 0] + strokes_found[:, 2] <= x + w)
                                   & (strokes_found[:, 1] + strokes_found[:, 3] <= y + h)]
            if len(inside) == 1 and inside[0, 4] < LONE_FILL * w * h:   # a lone arc: a rounded corner's edge
                continue
            box = (slice(max(0, y - 2), y + h + 2), slice(max(0, x - 2), x + w + 2))
            pixels, strokes = rgb[box], glyphs[box]
            if strokes.sum() < LINE_MIN_STROKES or strokes.all():
                continue
            packed = pixels[~strokes].reshape(-1, 3) // 8             # the commonest colour, to 5 bits a channel
            codes = packed[:, 0].astype(np.int32) << 10 | packed[:, 1].astype(np.int32) << 5 | packed[:, 2]
            values, counts = np.unique(codes, return_counts=True)
            common = values[counts.argmax()]
            chosen = pixels[~strokes][codes == common]
            background = np.median(chosen, axis=0)
            behind = float(_linear(background[None, :])[0])
            contrast = _ratio(lum[box][strokes], behind)
            if np.median(contrast) < INK_RATIO:           # "strokes" of the background's own colour: a gap
                continue
            if (np.median(lum[box][strokes]) > behind) != lighter:
                continue        # the gaps inside text of the other polarity (a counter, the space between strokes)
            strongest = float(np.percentile(contrast, INK_PERCENTILE))
            at = np.argmin(np.abs(contrast - strongest))
            found.append(Line((x, y, w, h), _hex(pixels[strokes][at]), _hex(background), round(strongest, 2)))
    return sorted(found, key=lambda line: line.contrast)


def shortfalls(rgb: np.ndarray, minimum: float, ignore: Iterable[tuple[int, int, int, int]] = ()) -> list[Line]:
    return [line for line in measure(rgb, ignore) if line.contrast < minimum]


def ignored_regions(window: QWidget) -> list[tuple[int, int, int, int]]:
    """Rectangles of a kiosk window that hold no words to read: images (photographs, the signature,
    QR codes, pictograms) and whatever a notice dims around its dialog."""
    from ui.signature import SignaturePad

    regions: list[tuple[int, int, int, int]] = []

    def add(rect: QRect) -> None:
        if rect.isValid():
            regions.append((rect.x(), rect.y(), rect.width(), rect.height()))

    def place(widget: QWidget) -> QRect:
        return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())

    for widget in window.findChildren(QLabel):
        if widget.isVisibleTo(window) and widget.pixmap() is not None and not widget.pixmap().isNull():
            add(place(widget))
    for widget in window.findChildren(SignaturePad):
        if widget.isVisibleTo(window):
            add(place(widget))
    for notice in window.findChildren(QWidget, "Overlay"):
        if notice.isVisibleTo(window):
            dialog = place(notice.findChild(QWidget, "Dialog"))
            full = window.rect()
            add(QRect(0, 0, full.width(), dialog.top()))
            add(QRect(0, dialog.bottom() + 1, full.width(), full.height() - dialog.bottom() - 1))
            add(QRect(0, dialog.top(), dialog.left(), dialog.height()))
            add(QRect(dialog.right() + 1, dialog.top(), full.width() - dialog.right() - 1, dialog.height()))
    return regions

