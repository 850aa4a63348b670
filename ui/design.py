"""The design system's components: every screen builds from these, so a primary action, a chosen option,
an error or a confirmation looks and behaves the same everywhere (docs/design.md).

Colours come only from the theme's roles (ui.theme.Palette) through the stylesheet's object names;
sizes from its type scale and spacing steps. The pictograms are Material Design Icons 6.9.96 as
bundled by qtawesome (MDI: Apache License 2.0; qtawesome: MIT), drawn by ui.glyphs.
"""
from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.i18n import Translator
from kiosk.punctuation import pair
from ui import glyphs, paging
from ui.theme import Theme, choice_indicator_px
from ui.widgets import WrappingButton, button, columns_that_fit, label, widest_button_px, wrapping_button

# -- buttons ---------------------------------------------------------------------------------------

def primary(text: str, on_tap: Callable[[], None], description: str, name: str = "Primary") -> QPushButton:
    """The one primary action of a screen, in the colour reserved for it. `name` other than Primary
    keeps a test's handle while the look stays (set the property 'primary')."""
    widget = button(text, on_tap, name=name, description=description)
    if name != "Primary":
        widget.setObjectName("Primary")
        widget.setProperty("handle", name)
    return widget


def secondary(text: str, on_tap: Callable[[], None], description: str, name: str = "") -> QPushButton:
    """Every other action: outlined, never in the primary colour."""
    return button(text, on_tap, name=name, description=description)


class Choice(WrappingButton):
    """An option to choose: a circle (one of several) or a square (any of several) beside its words,
    filled or ticked when chosen; never a button in the primary colour. The words wrap."""

    def __init__(self, text: str, theme: Theme, multiple: bool) -> None:
        super().__init__(text, theme.space(2) + theme.focus_px)
        self.theme = theme
        self.multiple = multiple
        self.indicator_px = choice_indicator_px(theme)
        inset = theme.focus_px + theme.space(2)
        # with large text the words fill the height themselves: a step less above and below them (a bundle's
        # question with two choices was 5 px taller than the largest English left it at 1366x768)
        upright = theme.focus_px + theme.space(1 if theme.large else 2)
        self.layout().setContentsMargins(inset + self.indicator_px + theme.space(3), upright, inset, upright)
        self.setMinimumHeight(theme.target_px)
        self.setCheckable(True)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        """The indicator in the colour the stylesheet gives the words (chosen, disabled, focused alike)."""
        super().paintEvent(event)
        ink = self.inside.palette().color(QPalette.WindowText)
        size = self.indicator_px
        box = QRectF(self.theme.focus_px + self.theme.space(2), (self.height() - size) / 2, size, size)
        line = max(3, size // 12)
        inner = box.adjusted(line / 2, line / 2, -line / 2, -line / 2)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(QPen(ink, line))
        painter.setBrush(Qt.NoBrush)
        if self.multiple:
            painter.drawRect(inner)
        else:
            painter.drawEllipse(inner)
        if self.isChecked() and self.multiple:
            painter.fillRect(inner, ink)
            tick = QPainterPath(QPointF(box.left() + size * 0.22, box.top() + size * 0.52))
            tick.lineTo(QPointF(box.left() + size * 0.42, box.top() + size * 0.72))
            tick.lineTo(QPointF(box.left() + size * 0.80, box.top() + size * 0.28))
            paper = QColor("#000000" if ink.lightnessF() > 0.5 else "#FFFFFF")
            painter.setPen(QPen(paper, max(3, size // 8), Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
            painter.drawPath(tick)
        elif self.isChecked():
            dot = size * 0.25
            painter.setPen(Qt.NoPen)
            painter.setBrush(ink)
            painter.drawEllipse(box.adjusted(dot, dot, -dot, -dot))
        painter.end()


def choice(text: str, on_tap: Callable[[], None], theme: Theme, chosen: bool, description: str,
           multiple: bool = False, name: str = "Choice") -> Choice:
    """A radio (multiple=False) or checkbox (multiple=True) option. Its accessible name says the state."""
    widget = Choice(text, theme, multiple)
    widget.setObjectName("Choice")
    widget.setProperty("choice", True)        # the stylesheet's mark, whatever the object's name
    if name != "Choice":
        widget.setProperty("handle", name)
    widget.setChecked(chosen)
    widget.setAccessibleName(text.replace("\n", " "))
    widget.setAccessibleDescription(description)
    widget.setFocusPolicy(Qt.StrongFocus)
    widget.clicked.connect(lambda _=False: on_tap())
    return widget


def disabled_with_reason(widget: QPushButton, reason: str) -> QWidget:
    """A control that cannot be used now, with why in words on the glass (and to the screen reader)."""
    widget.setEnabled(False)
    widget.setAccessibleDescription(reason)
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(4)
    column.addWidget(widget)
    column.addWidget(label(reason, "Reason"))
    return holder


# -- errors ----------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing to fix: the words of its link (what is wrong), how to go to it (focus its field; None: words
    alone, where a link would sit out of reach), the field's key, and the question's name, said instead where
    the words would wrap in the box (the field says them: a box of wrapped links outgrew the glass)."""
    message: str
    go_to: Callable[[], None] | None
    key: str = ""
    short: str = ""


def error_summary(problems: Sequence[Problem], tr: Translator, theme: Theme, room: int) -> QFrame:
    """GOV.UK's error summary, after a failed 下一步: a box with a thick red edge headed 有问题需要处理, each
    problem a button to its field, as many a row as room holds (a long one wraps, never widening the glass).
    On a kiosk's glass the list must stay short: say what is wrong at the field itself."""
    frame = QFrame()
    frame.setObjectName("ErrorSummary")
    frame.setAccessibleName(tr.t("design.problem_title"))
    frame.setAccessibleDescription(" ".join(p.message for p in problems))
    frame.setStyleSheet(f"#ErrorSummary {{ border: {theme.border_px}px solid {theme.palette.error}; "
                        f"border-left: {theme.px(3)}px solid {theme.palette.error}; border-radius: 4px; "
                        f"background: {theme.palette.surface}; }}"
                        f"#ErrorSummary #SummaryTitle {{ font-weight: bold; font-size: {theme.text_px * 5 // 4}px; }}")
    column = QVBoxLayout(frame)
    column.setContentsMargins(theme.px(4), theme.px(2), theme.px(4), theme.px(2))
    column.setSpacing(theme.gap_px)
    column.addWidget(label(tr.t("design.problem_title"), "SummaryTitle"))
    links = QGridLayout()
    links.setSpacing(theme.gap_px)
    inner = room - 2 * theme.px(4) - theme.px(3) - theme.border_px      # inside the margins and the red edges
    texts = [p.short if p.short and widest_button_px([p.message], theme) > inner else p.message for p in problems]
    per_row = min(3, columns_that_fit(texts, theme, inner))
    cell = (inner - (per_row - 1) * theme.gap_px) // per_row
    for index, (problem, text) in enumerate(zip(problems, texts, strict=True)):
        if problem.go_to is None:
            link: QWidget = label(f"• {text}")
        else:
            description = tr.t("design.desc.problem")
            if widest_button_px([text], theme) <= cell:
                link = button(text, problem.go_to, name="ProblemLink", description=description)
            else:
                link = wrapping_button(text, problem.go_to, "ProblemLink", description, theme)
        link.setProperty("key", problem.key)
        links.addWidget(link, index // per_row, index % per_row)
    column.addLayout(links)
    return frame


def inline_error(message: str, *fields: QWidget) -> QFrame:
    """The same message above its field, with a thick red bar at the left of both."""
    frame = QFrame()
    frame.setObjectName("InlineError")
    column = QVBoxLayout(frame)
    column.setContentsMargins(16, 4, 0, 4)
    column.addWidget(label(message, "ErrorMessage"))
    for field in fields:
        column.addWidget(field)
    return frame


# -- showing answers, steps, results ------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Answer:
    """One row of check-your-answers; change is None where an answer cannot be changed here."""
    question: str
    value: str
    change: Callable[[], None] | None = None
    key: str = ""


def answers(rows: Sequence[Answer], tr: Translator, theme: Theme, beside: bool = False) -> QWidget:
    """Check your answers: question (quiet), answer (bold), 修改 at the right of each row. beside: a
    summary list read, not changed (文书核验's record): question and answer on one line, so the rows stay
    short enough to be held together with what they are compared with."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    edge = theme.space(1 if beside else 2)
    for row in rows:
        frame = QFrame()
        frame.setObjectName("AnswerRow")
        line = QHBoxLayout(frame)
        line.setContentsMargins(theme.space(2), edge, theme.space(2), edge)
        line.setSpacing(theme.space(3))
        if beside:
            line.addWidget(label(row.question, "Label"), 2)
            line.addWidget(label(row.value, "Value"), 3)
        else:
            words = QVBoxLayout()
            words.setSpacing(2)
            words.addWidget(label(row.question, "Label"))
            words.addWidget(label(row.value, "Value"))
            line.addLayout(words, 1)
        if row.change is not None:
            change = button(tr.t("design.change"), row.change, name="Change",
                            description=pair(tr.t("design.desc.change"), row.question))
            change.setProperty("answer", row.key)
            change.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
            line.addWidget(change, 0, Qt.AlignVCenter)
        column.addWidget(frame)
    return holder


def step_indicator(step: int, total: int, tr: Translator) -> QLabel:
    """'第 2 步，共 5 步' above the title: where the citizen is on the way."""
    return label(tr.t("design.step", step=step, total=total), "Step")


def _panel(name: str, rows: Sequence[tuple[str, str]], theme: Theme) -> QFrame:
    """A block of centred words, never squeezed below them, padded by a step of the theme's spacing (4 mm), its
    lines half a gap apart: a fixed 32 px was 11 mm on a 1366x768 glass, where the largest text then had too
    little room for its lines; 8 mm left what happens next a page after the number in the accessible mode's
    English (review j, M10)."""
    frame = QFrame()
    frame.setObjectName(name)
    frame.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
    column = QVBoxLayout(frame)
    padding = theme.space(3)
    column.setContentsMargins(padding, padding, padding, padding)
    column.setSpacing(theme.gap_px // 2)
    for text, text_name in rows:
        if text:
            widget = label(text, text_name)
            widget.setAlignment(Qt.AlignCenter)
            column.addWidget(widget)
    return frame


def confirmation_panel(title: str, reference: str, tr: Translator, theme: Theme, reference_label: str = "",
                       about: str = "") -> QFrame:
    """The success moment: a large coloured block with the reference in big type, the page's heading (GOV.UK's:
    no title above it); about, what it was for (the service's name). Put what happens next under it, outside
    the block."""
    frame = _panel("Panel", ((title, "PanelTitle"), (about, "Lead"),
                             (reference_label or tr.t("design.reference"), "Lead"), (reference, "PanelReference")),
                   theme)
    frame.setAttribute(Qt.WA_StyledBackground, True)
    frame.setProperty(paging.WHOLE, True)      # paged as one block: never the label on one page, the number on the next
    return frame


def refusal_panel(title: str, message: str, theme: Theme) -> QFrame:
    """The confirmation panel's counterpart for an outcome that is not good (revoked, not found): the
    error summary's red-bordered box, its title large, one sentence of what it means under it."""
    return _panel("ErrorSummary", ((title, "ErrorTitle"), (message, "ErrorMessage")), theme)


# -- pictograms ------------------------------------------------------------------------------------

class Device(enum.Enum):
    """Where on the kiosk a thing goes in or comes out; each its Material Design Icon."""
    CARD_READER = "mdi6.card-account-details"
    SCANNER = "mdi6.qrcode-scan"
    PRINTER = "mdi6.printer-pos"
    DOCUMENT_CAMERA = "mdi6.camera-document"


ICONS = {"wait": "mdi6.timer-sand", "hotline": "mdi6.phone-classic", "clock": "mdi6.clock-outline",
         "hours": "mdi6.store-clock-outline",
         "pointer": "mdi6.hand-pointing-down"}


def icon_label(icon: str, colour: str, size_px: int, name: str = "") -> QLabel:
    """An icon of the set drawn at size_px in one of the palette's colours."""
    widget = QLabel()
    widget.setObjectName("Pictogram")
    widget.setPixmap(glyphs.pixmap(icon, colour, size_px))
    widget.setFixedSize(size_px, size_px)
    widget.setAccessibleName(name)
    return widget


ARROWS = {"below": "mdi6.arrow-down-thick", "below-left": "mdi6.arrow-bottom-left-thick",
          "below-right": "mdi6.arrow-bottom-right-thick", "left": "mdi6.arrow-left-thick",
          "right": "mdi6.arrow-right-thick"}


def pictogram(device: Device, theme: Theme, tr: Translator, size_px: int = 0, place: str = "") -> QWidget:
    """A device's pictogram with its name under it: where to put the card, where the receipt comes out. place
    (config.READER_PLACES): where the device is on the kiosk's body, said under it beside an arrow that points
    there, as an ATM's screen points at its card slot."""
    size = size_px or theme.title_px * 3
    holder = QWidget()
    holder.setObjectName("Pictogram")
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(4)
    name = tr.t(f"design.device.{device.name.lower()}")
    column.addWidget(icon_label(device.value, theme.palette.text, size, name), 0, Qt.AlignHCenter)
    caption = label(name, "Lead")
    caption.setAlignment(Qt.AlignCenter)
    column.addWidget(caption)
    if not place:
        return holder
    where = label(tr.t(f"design.reader_place.{place.replace('-', '_')}"), "Lead")
    row = QHBoxLayout()
    row.setSpacing(theme.space(1))
    row.addStretch(1)
    row.addWidget(icon_label(ARROWS[place], theme.palette.text, round(theme.lead_px * 1.5)), 0, Qt.AlignVCenter)
    row.addWidget(where, 0, Qt.AlignVCenter)
    row.addStretch(1)
    column.addLayout(row)
    holder.setAccessibleName(tr.t("common.pair", label=name, value=where.text()))
    return holder


def device_note(device: Device, words: QWidget, theme: Theme, tr: Translator, size_px: int = 0) -> QWidget:
    """Words about a device beside its pictogram (where the receipt or the certificate comes out), as
    the ATM shows the slot it speaks of; size_px, a smaller pictogram where the words share a page."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(theme.space(4))
    row.addWidget(icon_label(device.value, theme.palette.text, size_px or theme.title_px * 2,
                             tr.t(f"design.device.{device.name.lower()}")))
    row.addWidget(words, 1)
    return holder


# -- whole-screen states ---------------------------------------------------------------------------

def please_wait(title: str, reason: str, theme: Theme) -> QWidget:
    """The full-screen 'please wait': what is happening and why, nothing to press."""
    root = QWidget()
    root.setObjectName("Wait")
    root.setAttribute(Qt.WA_StyledBackground, True)
    column = QVBoxLayout(root)
    column.setContentsMargins(theme.margin_px, theme.margin_px, theme.margin_px, theme.margin_px)
    column.setSpacing(theme.space(4))
    column.addStretch(1)
    column.addWidget(icon_label(ICONS["wait"], theme.palette.text, theme.title_px * 3), 0, Qt.AlignHCenter)
    for text, name in ((title, "Title"), (reason, "Lead")):
        widget = label(text, name)
        widget.setAlignment(Qt.AlignCenter)
        column.addWidget(widget)
    column.addStretch(2)
    return root


def tile(text: str, on_tap: Callable[[], None], description: str, theme: Theme, name: str = "Tile") -> WrappingButton:
    """A large tile for a much-used service on the start screen; its words wrap."""
    widget = wrapping_button(text, on_tap, "Tile", description, theme, centred=True)
    widget.inside.setObjectName("Lead")
    if name != "Tile":
        widget.setProperty("handle", name)
    return widget


__all__ = ["Answer", "Choice", "Device", "Problem", "answers", "choice", "confirmation_panel", "device_note",
           "disabled_with_reason",
           "error_summary", "icon_label", "inline_error", "pictogram", "please_wait", "primary", "refusal_panel",
           "secondary", "step_indicator", "tile"]
