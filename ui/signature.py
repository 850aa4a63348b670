"""The signature pad: the citizen writes their name with a finger (or the mouse); the kiosk keeps it as PNG.

Qt turns touches into mouse events for a widget that does not take touch itself, so one path serves
both. An empty pad, a dot or a flat line is not a signature: enough_ink asks for MIN_INK_MM of pen path
over MIN_HEIGHT_MM of height, in millimetres on the glass (from the screen's density), so an ordinary
name written small passes on any pad, and a stray touch does not. (It was 60 % of the pad's width in
pixels: about 25 cm of ink on a landscape kiosk, which refused ordinary signatures.)
"""
from __future__ import annotations

import itertools
import math

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

MIN_INK_MM = 40.0            # pen path: 王一 written small with a finger is about 70 mm, a stray touch a few
MIN_HEIGHT_MM = 6.0          # the strokes' height: a line is not a name
MM_PER_INCH = 25.4
EXPORT_WIDTH = 800           # pixels of the stored image, whatever the screen


class SignaturePad(QWidget):
    def __init__(self, ink: str, paper: str, border: str, pen_px: int, ppi: float,
                 strokes: list[list[QPointF]] | None = None) -> None:
        """strokes: ink already written in this visit (a signature refused as too short, to add to)."""
        super().__init__()
        self.setObjectName("SignaturePad")
        self.strokes: list[list[QPointF]] = strokes if strokes is not None else []
        self.ppi = ppi
        self.ink, self.paper, self.border = QColor(ink), QColor(paper), QColor(border)
        self.pen_px = pen_px
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setAttribute(Qt.WA_StaticContents, True)
        self.setFocusPolicy(Qt.NoFocus)         # nothing to do here with keys: the voice says how to get help

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(900, 320)

    # -- drawing -------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        self.strokes.append([event.position()])
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.strokes and event.buttons() & Qt.LeftButton:
            self.strokes[-1].append(event.position())
            self.update()

    def clear(self) -> None:
        self.strokes = []
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.fillRect(self.rect(), self.paper)
        painter.setPen(QPen(self.border, 3, Qt.DashLine))
        baseline = self.height() * 0.78        # where to write, as on a paper form
        painter.drawLine(QPointF(24, baseline), QPointF(self.width() - 24, baseline))
        painter.setPen(QPen(self.border, 3))
        painter.drawRect(self.rect().adjusted(1, 1, -2, -2))
        self._draw(painter, self.ink, self.pen_px, 1.0)
        painter.end()

    def _draw(self, painter: QPainter, colour: QColor, width: float, scale: float) -> None:
        painter.setPen(QPen(colour, width, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
        for stroke in self.strokes:
            if len(stroke) == 1:
                painter.drawPoint(stroke[0] * scale)
                continue
            path = QPainterPath(stroke[0] * scale)
            for point in stroke[1:]:
                path.lineTo(point * scale)
            painter.drawPath(path)

    # -- the result ------------------------------------------------------------------------------
    def _mm(self, px: float) -> float:
        return px * MM_PER_INCH / self.ppi

    def ink_mm(self) -> float:
        """The pen path's length in millimetres on the glass."""
        return self._mm(sum(math.dist((a.x(), a.y()), (b.x(), b.y()))
                            for stroke in self.strokes for a, b in itertools.pairwise(stroke)))

    def enough_ink(self) -> bool:
        points = [p for stroke in self.strokes for p in stroke]
        if not points:
            return False
        tall = self._mm(max(p.y() for p in points) - min(p.y() for p in points))
        return self.ink_mm() >= MIN_INK_MM and tall >= MIN_HEIGHT_MM

    def png(self) -> bytes:
        """Black on white, EXPORT_WIDTH wide, whatever the theme: a signature is a document."""
        scale = EXPORT_WIDTH / max(1, self.width())
        image = QImage(EXPORT_WIDTH, max(1, round(self.height() * scale)), QImage.Format_Grayscale8)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.Antialiasing)
        self._draw(painter, QColor("black"), max(3.0, self.pen_px * scale), scale)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())
