"""A certified document (证明) laid out on A4 with ReportLab: title, issuing body, holder, the record's
rows, a seal, the issue time, the verification code and its QR.
An electronic licence (营业执照) is laid out as a licence: its fields in their order, the citizen as its
法定代表人, no ID number. Signing is sync.document_signature's.

The Chinese font is embedded (ReportLab embeds a subset of a TrueType font; it cannot embed the CFF
OpenType of Noto CJK), so the document reads the same on any reader and printer. The seal is drawn
here and says that it is a demo seal: the reference centre is no authority.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from kiosk.application import CHINA_TZ

FONT = "Kiosk24CJK"
# TrueType (glyf) Chinese fonts Debian ships, in order of preference: (file, index in a collection).
FONT_FILES = (
    (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0),
    (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0),
    (Path("/usr/share/fonts/truetype/arphic/uming.ttc"), 0),
    (Path("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"), 0),
)
# A business licence's fields in the order the licence prints them; the citizen is its legal representative.
LICENCE_FIELDS = ("统一社会信用代码", "名称", "类型", "法定代表人", "经营范围", "成立日期", "住所", "登记机关")
LICENCE_HOLDER = "法定代表人"
SEAL_RED = Color(0.80, 0.08, 0.10)
SEAL_ALPHA = 0.65
MARGIN = 22 * mm
MAX_ROWS = 24
PAGES = 1                   # render() lays every document on one page


class MissingFont(RuntimeError):
    """No TrueType Chinese font is installed: documents cannot be made without one."""


@dataclasses.dataclass(frozen=True)
class Sheet:
    """What one document shows; all of it is already decided (the centre's records, masked holder)."""

    title: str
    issuer: str
    holder_name: str
    holder_id: str
    rows: tuple[tuple[str, str], ...]
    document_id: str
    code: str
    verify_url: str
    issued_at: dt.datetime
    demo: bool
    licence: bool = False


def _rows(sheet: Sheet) -> list[tuple[str, str]]:
    """A proof leads with its holder's name and ID number; a licence names the holder among its fields."""
    if not sheet.licence:
        return [("姓名", sheet.holder_name), ("公民身份号码", sheet.holder_id), *sheet.rows[:MAX_ROWS]]
    fields = {**dict(sheet.rows), LICENCE_HOLDER: sheet.holder_name}
    return [(label, fields[label]) for label in LICENCE_FIELDS if label in fields]


def _register_font() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for path, index in FONT_FILES:
        if path.is_file():
            pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=index))
            return
    raise MissingFont("no TrueType Chinese font to embed in documents: install fonts-wqy-zenhei "
                      "(scripts/install casestore), looked for " + ", ".join(str(p) for p, _ in FONT_FILES))


def _seal(canvas: Canvas, x: float, y: float, issuer: str) -> None:
    """A round red seal centred at (x, y): the issuer along the rim, a star, and 演示印章 across it."""
    radius = 21 * mm
    canvas.saveState()
    canvas.setStrokeColor(SEAL_RED)
    canvas.setFillColor(SEAL_RED)
    canvas.setFillAlpha(SEAL_ALPHA)         # as ink over print: the issuer and date under it stay legible
    canvas.setStrokeAlpha(SEAL_ALPHA)
    canvas.setLineWidth(1.6 * mm / 2)
    canvas.circle(x, y, radius, stroke=1, fill=0)
    rim = f"{issuer}（演示）"
    size = min(4.4 * mm, 2 * math.pi * radius * 0.62 / max(len(rim), 1))
    canvas.setFont(FONT, size)
    sweep = 240.0
    for index, char in enumerate(rim):
        angle = 90 + sweep / 2 - sweep * (index + 0.5) / len(rim)
        canvas.saveState()
        canvas.translate(x + (radius - size * 1.25) * math.cos(math.radians(angle)),
                         y + (radius - size * 1.25) * math.sin(math.radians(angle)))
        canvas.rotate(angle - 90)
        canvas.drawCentredString(0, 0, char)
        canvas.restoreState()
    star = 6 * mm
    points = [(x + (star if i % 2 == 0 else star * 0.4) * math.cos(math.radians(90 + 36 * i)),
               y + 1 * mm + (star if i % 2 == 0 else star * 0.4) * math.sin(math.radians(90 + 36 * i)))
              for i in range(10)]
    path = canvas.beginPath()
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.setFont(FONT, 3.6 * mm)
    canvas.drawCentredString(x, y - 9 * mm, "演示印章")
    canvas.setFont(FONT, 2.4 * mm)
    canvas.drawCentredString(x, y - 13 * mm, "DEMO 非真实印章")
    canvas.restoreState()


def _qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(text, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _wrapped(text: str, width: float, size: float) -> list[str]:
    """Lines of text no wider than width (CJK breaks anywhere; good enough for values and addresses)."""
    lines, line = [], ""
    for char in text:
        if pdfmetrics.stringWidth(line + char, FONT, size) > width and line:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line]


def render(sheet: Sheet) -> bytes:
    """The unsigned PDF (one A4 page) for sheet."""
    _register_font()
    out = io.BytesIO()
    width, height = A4
    canvas = Canvas(out, pagesize=A4, invariant=True, pageCompression=1)
    canvas.setTitle(sheet.title)
    canvas.setAuthor(sheet.issuer)
    canvas.setSubject(f"{sheet.title} {sheet.code}")
    canvas.setCreator("Kiosk24 reference case store")
    issued = sheet.issued_at.astimezone(CHINA_TZ)
    if sheet.demo:
        canvas.saveState()
        canvas.setFillColor(Color(0.85, 0.85, 0.85))
        canvas.setFont(FONT, 40 * mm / 2)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(35)
        canvas.drawCentredString(0, 0, "演示数据 DEMO")
        canvas.restoreState()
    top = height - MARGIN
    canvas.setFillColor(black)
    canvas.setFont(FONT, 8 * mm)
    canvas.drawCentredString(width / 2, top - 8 * mm, sheet.title)
    canvas.setFont(FONT, 3.5 * mm)
    canvas.drawString(MARGIN, top - 20 * mm, f"文书编号：{sheet.document_id}")
    canvas.drawRightString(width - MARGIN, top - 20 * mm, f"验证码：{sheet.code}")
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, top - 23 * mm, width - MARGIN, top - 23 * mm)
    y = top - 32 * mm
    label_width, size = 52 * mm, 4.2 * mm
    for label, value in _rows(sheet):
        canvas.setFont(FONT, size)
        canvas.drawString(MARGIN, y, f"{label}：")
        for line in _wrapped(value, width - 2 * MARGIN - label_width, size):
            canvas.drawString(MARGIN + label_width, y, line)
            y -= size * 1.6
        y -= size * 0.5
    canvas.line(MARGIN, y + size, width - MARGIN, y + size)
    y -= 4 * mm
    canvas.setFont(FONT, 3.8 * mm)
    canvas.drawString(MARGIN, y, "本打印件依据电子营业执照生成，由登记机关电子签名，扫描二维码或凭验证码可核验真伪。"
                      if sheet.licence else "特此证明。本证明由出具单位电子签名，扫描二维码或凭验证码可核验真伪。")
    if sheet.demo:
        y -= 6 * mm
        canvas.setFillColor(SEAL_RED)
        canvas.drawString(MARGIN, y, "本件为演示系统根据演示数据生成，不具有法律效力。")
        canvas.setFillColor(black)
    seal_x, seal_y = width - MARGIN - 30 * mm, max(y - 42 * mm, 80 * mm)
    canvas.setFont(FONT, 4.2 * mm)
    canvas.drawRightString(width - MARGIN, seal_y + 6 * mm, f"出具单位：{sheet.issuer}")
    canvas.drawRightString(width - MARGIN, seal_y - 2 * mm, f"出具时间：{issued:%Y年%m月%d日 %H:%M}")
    _seal(canvas, seal_x, seal_y, sheet.issuer)
    qr_size = 34 * mm
    canvas.setFillColor(white)
    _qr(canvas, sheet.verify_url, MARGIN, MARGIN + 8 * mm, qr_size)
    canvas.setFillColor(black)
    canvas.setFont(FONT, 3.2 * mm)
    canvas.drawString(MARGIN, MARGIN + 3 * mm, "扫码核验")
    canvas.drawString(MARGIN + qr_size + 4 * mm, MARGIN + 30 * mm, f"核验地址：{sheet.verify_url}")
    canvas.drawString(MARGIN + qr_size + 4 * mm, MARGIN + 24 * mm, f"验证码：{sheet.code}")
    canvas.drawString(MARGIN + qr_size + 4 * mm, MARGIN + 18 * mm,
                      "打印件与电子文件具有同等效力；涂改、复印件无效。" if not sheet.demo else "演示文件，仅供测试。")
    canvas.showPage()
    canvas.save()
    return out.getvalue()
