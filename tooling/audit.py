"""`kiosk24 audit`: every screen × mode × language × resolution measured on the real widgets.

For the people who certify a kiosk: each interactive control's accessible names in both
languages, its size in mm at the stated density, the glyph height of its text (国 for Chinese, a
capital H for English), its contrast from the colours Qt really uses (text against the control,
the control against what surrounds it), whether its text fits, and the screen's announcement.
A line's `shortfalls` names whatever misses the thresholds of kiosk.accessibility.
"""
from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterable, Iterator, Sequence

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPalette
from PySide6.QtWidgets import QAbstractButton, QLabel, QPlainTextEdit, QScrollArea, QWidget

from kiosk import accessibility as a11y
from kiosk.config import LANGUAGES
from tooling import painted
from tooling.screenshots import PROFILES, SIZES, Frame, walk
from ui.keyboard import TextKeyboard
from ui.navigation import control_id
from ui.widgets import WrappingButton

GLYPH = {"zh_CN": "国", "en": "H"}


def _hex(colour: QColor) -> str:
    return colour.name(QColor.HexRgb).upper()


def background_of(widget: QWidget) -> str:
    """The colour behind a widget: its own styled background, else the nearest ancestor's (a transparent
    one, as an inline error's bar has, lets its parent's show through: its palette reads black)."""
    current: QWidget | None = widget
    while current is not None:
        if current.testAttribute(Qt.WA_StyledBackground) or current.autoFillBackground():
            colour = current.palette().color(current.backgroundRole())
            if colour.alpha():
                return _hex(colour)
        current = current.parentWidget()
    return _hex(widget.palette().color(QPalette.Window))


def text_colour(widget: QWidget) -> str:
    group = QPalette.Active if widget.isEnabled() else QPalette.Disabled
    source = widget.inside if isinstance(widget, WrappingButton) else widget
    return _hex(source.palette().color(group, source.foregroundRole()))


def own_background(widget: QWidget) -> str:
    group = QPalette.Active if widget.isEnabled() else QPalette.Disabled
    return _hex(widget.palette().color(group, widget.backgroundRole()))


def glyph_mm(widget: QWidget, language: str, ppi: float) -> float:
    source = widget.inside if isinstance(widget, WrappingButton) else widget
    return a11y.mm(QFontMetricsF(source.font()).tightBoundingRect(GLYPH[language]).height(), ppi)


def clipped(widget: QWidget) -> bool:
    """Text that does not fit its widget: cut off, or squeezed below what it needs."""
    if isinstance(widget, WrappingButton):
        return any(clipped(words) for words in widget.words)
    if isinstance(widget, QLabel):
        if widget.wordWrap():
            return widget.heightForWidth(widget.width()) > widget.height() + 1
        return widget.sizeHint().width() > widget.width() + 1
    if isinstance(widget, QAbstractButton):
        hint = widget.sizeHint()
        return hint.width() > widget.width() + 1 or hint.height() > widget.height() + 1
    if isinstance(widget, QPlainTextEdit) and widget.verticalScrollBar().maximum() > 0:
        return True     # the words written run past the field's lines: some are out of sight
    return widget.minimumSizeHint().height() > widget.height() + 1


def visible_rect(widget: QWidget, window: QWidget) -> QRect:
    """The part of widget on the glass: cut by every scroll area it is in."""
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QScrollArea):
            viewport = parent.viewport()
            rect = rect.intersected(QRect(viewport.mapTo(window, QPoint(0, 0)), viewport.size()))
        parent = parent.parentWidget()
    return rect


def text_contrast(widget: QWidget) -> float:
    """Text against what is behind it; for a pane of text, its least readable line."""
    if isinstance(widget, QScrollArea):
        labels = [w for w in widget.widget().findChildren(QLabel) if w.text()]
        return min((a11y.contrast_ratio(text_colour(w), background_of(w)) for w in labels), default=21.0)
    return a11y.contrast_ratio(text_colour(widget), own_background(widget))


def boundary_contrast(widget: QWidget) -> float:
    """How well the control stands out from its surroundings: its fill, or its border, whichever is more.
    The border's colour is read from the control's own rendering, across the first pixels of the middle
    of its left edge: a thin outline (1 px) sits at x=0 and a rounded one a pixel or two in. A pane of text
    has no edge to find: its lines are what must stand out (text_contrast)."""
    if isinstance(widget, QScrollArea):
        return 21.0
    around = background_of(widget.parentWidget())
    fill = own_background(widget)
    image = widget.grab().toImage()
    edge = [] if image.isNull() else [_hex(image.pixelColor(QPoint(x, image.height() // 2)))
                                      for x in range(min(4, image.width()))]
    return max(a11y.contrast_ratio(colour, around) for colour in [fill, *edge])


@dataclasses.dataclass
class Control:
    id: str
    name: str
    description: str
    width_mm: float
    height_mm: float
    text_cap_height_mm: float
    contrast: float
    text_contrast: float
    boundary_contrast: float
    clipped: bool
    rect: QRect


def measure(frame: Frame, ppi: float, painted_check: bool = True) -> tuple[list[Control], list[str]]:
    """The frame's controls, and the problems of its other text (labels); painted_check=False leaves out
    the pixel measurement (tooling.painted), two thirds of the cost of a frame."""
    window = frame.window
    controls = []
    for widget in window.navigator.controls():
        text = text_contrast(widget)
        edge = boundary_contrast(widget)
        controls.append(Control(control_id(widget), widget.accessibleName(), widget.accessibleDescription(),
                                round(a11y.mm(widget.width(), ppi), 1), round(a11y.mm(widget.height(), ppi), 1),
                                round(glyph_mm(widget, frame.language, ppi), 2), round(min(text, edge), 2),
                                round(text, 2), round(edge, 2), clipped(widget), visible_rect(widget, window)))
    problems = []
    for keyboard in window.findChildren(TextKeyboard):
        if keyboard.isVisibleTo(window):
            width, height = (a11y.mm(px, ppi) for px in keyboard.smallest_key_px())
            if min(width, height) < a11y.MIN_TARGET_MM:
                problems.append(f"keyboard keys {width:.1f}x{height:.1f} mm < {a11y.MIN_TARGET_MM} mm")
    for widget in window.findChildren(QLabel):
        if not widget.isVisibleTo(window) or not widget.text() or isinstance(widget.parentWidget(), WrappingButton):
            continue
        ratio = a11y.contrast_ratio(text_colour(widget), background_of(widget))
        if clipped(widget):
            problems.append(f"text {widget.text()[:20]!r} clipped")
        minimum = PROFILES[frame.mode].colours.minimum_contrast
        if ratio < minimum:
            problems.append(f"text {widget.text()[:20]!r} contrast {ratio:.2f} < {minimum}")
    return controls, problems + (painted_shortfalls(frame) if painted_check else [])


def painted_shortfalls(frame: Frame) -> list[str]:
    """Text as painted (tooling.painted): what the palettes above cannot see, a checked state's fill, the
    keyboard's own style, a selection highlight."""
    minimum = PROFILES[frame.mode].colours.minimum_contrast
    image = painted.rgb_array(frame.window.grab().toImage())
    return [f"{line.describe()} < {minimum}"
            for line in painted.shortfalls(image, minimum, painted.ignored_regions(frame.window))]


def shortfalls(frame: Frame, controls: list[Control], names_other: dict[str, tuple[str, str]], ppi: float) -> list[str]:
    """Every threshold of kiosk.accessibility a frame misses, named."""
    profile = PROFILES[frame.mode]
    width, height = frame.size
    low_mm = a11y.TEXT_SIZES_MM[profile.text_size - 1][0]
    found = []
    if not frame.announcement.strip():
        found.append("no announcement")
    for index, c in enumerate(controls):
        other = names_other.get(c.id)       # None: the other language never shows it (its words page otherwise)
        if not c.name or not c.description or (other is not None and not all(other)):
            found.append(f"{c.id}: accessible name or description missing in a language")
        if min(c.width_mm, c.height_mm) < a11y.MIN_TARGET_MM:
            found.append(f"{c.id}: {c.width_mm}x{c.height_mm} mm < {a11y.MIN_TARGET_MM} mm")
        if c.text_cap_height_mm < low_mm:
            found.append(f"{c.id}: text {c.text_cap_height_mm} mm < {low_mm} mm")
        if c.contrast < profile.colours.minimum_contrast:
            found.append(f"{c.id}: contrast {c.contrast} < {profile.colours.minimum_contrast}")
        if c.clipped:
            found.append(f"{c.id}: text clipped")
        if not QRect(0, 0, width, height).contains(c.rect) and not c.rect.isEmpty():
            found.append(f"{c.id}: outside the screen")
        if 0 < c.rect.width() < round(c.width_mm * ppi / a11y.MM_PER_INCH) - 1:
            found.append(f"{c.id}: cut off at the side of its scrolling list")
        for later in controls[index + 1:]:
            if c.rect.intersects(later.rect):
                found.append(f"{c.id}: overlaps {later.id}")
        if profile.assisted and height > width and not c.rect.isEmpty() and c.rect.top() < a11y.REACH_TOP * height:
            found.append(f"{c.id}: above the reach line ({c.rect.top()} px < {a11y.REACH_TOP:.0%} of {height})")
    return found


def lines(ppi: float = 0.0, sizes=SIZES, painted_sizes=SIZES[:1], profiles: Iterable[str] = PROFILES) -> Iterator[dict]:
    """One dict per screen × mode × language × resolution; names come from both languages' renders.
    Painted contrast is measured at painted_sizes only (by default the first resolution): the palettes and style
    sheets are the same at every size, the geometric checks run at every size, and measuring the pixels of
    every frame at every size took most of the run (~2,400 frames, 0.3 s of CPU each)."""
    modes = {f"{profile}|{language}": (language, profile) for profile in profiles for language in LANGUAGES}
    measured: dict[tuple, tuple[Frame, list[Control], list[str], float]] = {}
    for walked in walk(modes, sizes, ppi):
        frame = dataclasses.replace(walked, mode=walked.mode.split("|")[0])
        frame_ppi = ppi or a11y.assumed_ppi(*frame.size)
        controls, problems = measure(frame, frame_ppi, painted_check=frame.size in painted_sizes)
        measured[(frame.screen, frame.mode, frame.language, frame.size)] = (frame, controls, problems, frame_ppi)
    # a control's names do not hang on the mode or the size: where the other language pages a screen otherwise
    # (its longer words), a control shown here may be on its other page at this size, and is named at another
    named: dict[tuple[str, str], dict[str, tuple[str, str]]] = {}
    for (screen, _, language, _), (_, controls, _, _) in measured.items():
        known = named.setdefault((screen, language), {})
        for c in controls:
            if c.name and c.description:
                known.setdefault(c.id, (c.name, c.description))
    for (screen, profile, language, size), (frame, controls, problems, frame_ppi) in measured.items():
        other_language = next(lang for lang in LANGUAGES if lang != language)
        other = measured[(screen, profile, other_language, size)][1]
        names_other = {**named[(screen, other_language)], **{c.id: (c.name, c.description) for c in other}}
        own = {c.id: (c.name, c.description) for c in controls}
        names = {language: own, other_language: names_other}
        yield {
            "screen": screen, "mode": profile, "language": language, "resolution": f"{size[0]}x{size[1]}",
            "ppi": frame_ppi, "announcement": frame.announcement,
            "controls": [{"id": c.id, "name_zh": names["zh_CN"].get(c.id, ("", ""))[0],
                          "name_en": names["en"].get(c.id, ("", ""))[0],
                          "description_zh": names["zh_CN"].get(c.id, ("", ""))[1],
                          "description_en": names["en"].get(c.id, ("", ""))[1],
                          "width_mm": c.width_mm, "height_mm": c.height_mm,
                          "text_cap_height_mm": c.text_cap_height_mm, "contrast": c.contrast,
                          "text_contrast": c.text_contrast, "boundary_contrast": c.boundary_contrast,
                          "clipped": c.clipped} for c in controls],
            "shortfalls": shortfalls(frame, controls, names_other, frame_ppi) + problems,
        }


def run(ppi: float, as_json: bool, painted_every_size: bool = False, sizes: Sequence[tuple[int, int]] = (),
        profiles: Sequence[str] = ()) -> int:
    """Print the lines (at sizes, else every resolution; in profiles, else every mode); exit 1 naming every
    shortfall, 0 when the kiosk meets every threshold. Painted contrast is measured where a whole run would
    measure it, so runs split by resolution or mode measure together what one run does."""
    unknown = [p for p in profiles if p not in PROFILES]
    if unknown:
        print(f"kiosk24 audit: unknown mode {', '.join(unknown)}: one of {', '.join(PROFILES)}", file=sys.stderr)
        return 2
    failing = 0
    count = 0
    for line in lines(ppi, sizes=sizes or SIZES, painted_sizes=SIZES if painted_every_size else SIZES[:1],
                      profiles=profiles or PROFILES):
        count += 1
        if as_json:
            print(json.dumps(line, ensure_ascii=False))
        if line["shortfalls"]:
            failing += 1
            where = f"{line['screen']} {line['mode']} {line['language']} {line['resolution']}"
            for problem in line["shortfalls"]:
                print(f"kiosk24 audit: {where}: {problem}", file=sys.stderr)
    print(f"kiosk24 audit: {count} screens measured, {failing} with shortfalls", file=sys.stderr)
    return 1 if failing else 0

