"""Materials on the document camera: one row per material, its last page once taken, retake, another
page, and 以后补交 where the catalog accepts it missing (容缺受理). The camera runs off the UI thread."""
from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImageReader, QPixmap
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk import materials
from kiosk.catalog import Material
from ui.paging import HEADS
from ui.screens import privacy
from ui.screens.context import ScreenContext
from ui.widgets import button, card, columns_that_fit, label, scrolling

_CARD_INSIDE = 2 * 24 + 2 * 12 + 28      # a card's padding, the scroll area's margin and its bar, in pixels


def thumbnail(data: bytes, height: int) -> QPixmap:
    """The page scaled down while decoding: a JPEG decodes at a fraction of its size far faster."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.ReadOnly)
    reader = QImageReader(buffer)
    size = reader.size()
    if size.isValid() and size.height() > 0:
        reader.setScaledSize(QSize(max(1, size.width() * height // size.height()), height))
    return QPixmap.fromImage(reader.read())


def _picture(ctx: ScreenContext, index: int, material: Material) -> QLabel:
    height = ctx.theme.target_px * 2
    picture = QLabel()
    picture.setObjectName("Thumbnail")
    picture.setFixedSize(round(height * 210 / 297), height)
    picture.setAlignment(Qt.AlignCenter)
    picture.setFrameShape(QFrame.Box)
    pages = ctx.session.captures.get(index)
    if pages:
        picture.setPixmap(thumbnail(pages[-1].data, height - 4))
        picture.setAccessibleName(ctx.tr.t("apply.materials.preview", material=ctx.tr.local(material.name)))
    return picture


def _row(ctx: ScreenContext, index: int, material: Material, unmet: bool) -> QWidget:
    tr, session, steps = ctx.tr, ctx.session, ctx.controller.steps
    service = session.service
    assert service is not None
    may_follow = materials.may_follow(service, material)
    later = index in session.later
    tags = [tr.t("apply.materials.mandatory" if material.mandatory else "apply.materials.optional")]
    if may_follow:
        tags.append(tr.t("apply.materials.may_follow"))
    if steps.capturing == index:
        status = tr.t("apply.materials.capturing")
    elif index in session.captures:
        status = tr.t("apply.materials.captured", pages=len(session.captures[index]))
    elif later:
        status = tr.t("apply.materials.will_follow", days=service.missing_deadline_days)
    else:
        status = tr.t("apply.materials.not_yet")
    words = QVBoxLayout()
    name = label(tr.local(material.name))
    name.setProperty(HEADS, True)       # paged: never alone at a page's foot, what it names on the next
    words.addWidget(name)
    words.addWidget(label(tr.t("common.list_separator").join(tags), "Muted"))
    if material.note.zh:
        words.addWidget(label(tr.local(material.note), "Muted"))
    words.addWidget(label(status, "Problem" if unmet else ""))
    retake = index in session.captures
    # (text key, description key, button name, tap)
    taps = [("apply.materials.retake" if retake else "apply.materials.capture",
             "apply.desc.retake" if retake else "apply.desc.capture", "capture", lambda: steps.capture(index))]
    if retake and len(session.captures[index]) < materials.MAX_PAGES:
        taps.append(("apply.materials.add_page", "apply.desc.add_page", "add_page",
                     lambda: steps.capture(index, add_page=True)))
    if may_follow:
        taps.append(("apply.materials.undo_later" if later else "apply.materials.later",
                     "apply.desc.undo_later" if later else "apply.desc.later", "later",
                     lambda: steps.supply_later(index, not later)))
    actions = QGridLayout()
    actions.setSpacing(ctx.theme.gap_px)
    room = ctx.room - round(ctx.theme.target_px * 2 * 210 / 297) - ctx.theme.gap_px * 2 - _CARD_INSIDE
    per_row = columns_that_fit((tr.t(text) for text, *_ in taps), ctx.theme, room)
    for position, (text, description, name, tap) in enumerate(taps):
        widget = button(tr.t(text), tap, name=name, description=tr.t(description))
        widget.setProperty("material", str(index))
        widget.setEnabled(steps.capturing is None and (name == "later" or session.photo_consent))
        actions.addWidget(widget, position // per_row, position % per_row)
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(ctx.theme.gap_px * 2)
    layout.addWidget(_picture(ctx, index, material), 0, Qt.AlignTop)
    if not session.profile.assisted:
        words.addLayout(actions)
        layout.addLayout(words, 1)
        return row
    # the accessible mode pages a column by its lines: the words one under another, the picture beside the buttons
    # under them (the row beside its picture was one block, in the largest English 515 px on a page of 196, cut)
    layout.addLayout(actions, 1)
    lines = QWidget()
    lines.setLayout(words)
    words.setContentsMargins(0, 0, 0, 0)
    words.addWidget(row)
    return lines


def build(ctx: ScreenContext) -> QWidget:
    tr, session, steps = ctx.tr, ctx.session, ctx.controller.steps
    service = session.service
    assert service is not None
    unmet = set(session.unmet_materials()) if session.problem == "apply.materials.required" else set()
    rows = [card(_row(ctx, index, material, index in unmet)) for index, material in service.to_capture]
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(ctx.theme.gap_px)
    column.addWidget(privacy.photo_consent(ctx))      # separate consent before any document is photographed
    for row in rows:
        column.addWidget(row)
    proceed = button(tr.t("common.next"), steps.materials_done, name="Primary", description=tr.t("apply.desc.next"))
    proceed.setEnabled(steps.capturing is None)
    title, hint = tr.t("apply.materials.title"), tr.t("apply.materials.hint")
    if not session.profile.assisted:
        return ctx.page(title, [scrolling(holder, title, tr.t("desc.guide"))], subtitle=hint,
                        footer=[ctx.back_button(), proceed])
    # the accessible mode: 下一步 turns the pages first, from the footer (ui.onward), whose row of page buttons
    # under the materials took the room the consent needed (221 px on a page of 196, in the largest English at
    # 1366x768); the hint on the first page, paged with the materials
    column.insertWidget(0, label(hint, "Subtitle"))
    pane, footer = ctx.questions(holder, proceed, steps.materials_done, ctx.back_button())
    pane.setAccessibleName(title)
    pane.setAccessibleDescription(tr.t("desc.guide"))
    return ctx.page(title, [pane], footer=footer)
