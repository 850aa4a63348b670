"""The attract screen: what a passer-by sees at 3 a.m. It sells the visit (UX.md): what to do now in one
sentence, where the card reader is, the most used services as tiles, the time, the hotline and this
kiosk's honest hours from its configuration. One touch anywhere starts."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QMouseEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk import hours
from kiosk.catalog import Service
from ui import design
from ui.screens import complaint
from ui.screens.context import ScreenContext
from ui.theme import Theme
from ui.widgets import label, widest_button_px

# The services citizens ask the halls for most (Xinyang's counters): shown as tiles when this kiosk offers them.
TOP_SERVICES = ("1141150041700231981000117011000",     # 无犯罪记录证明开具
                "1141150041700395202000117061000",     # 社会保险个人权益记录查询打印
                "1241150041710562532000117104000",     # 不动产权属状况证明打印
                "11411500417004883P2000117021000")     # 个人所得税纳税记录开具
TILES = {False: 4, True: 2}         # by large text: one row, so the sentence, the reader and the hours stay whole


def top_services(offered: tuple[Service, ...], count: int) -> list[Service]:
    """The most used services this kiosk offers, topped up from its list when it offers fewer of them."""
    chosen = [s for code in TOP_SERVICES for s in offered if s.code == code]
    return (chosen + [s for s in offered if s not in chosen])[:count]


def sentence(text: str, theme: Theme, room: int) -> str:
    """The one sentence, broken after its comma when it does not fit one line (never a lone character
    on the second line)."""
    font = QFont()
    font.setPixelSize(theme.title_px)
    font.setBold(True)
    head, comma, tail = text.partition("，")
    if not comma or QFontMetrics(font).horizontalAdvance(text) <= room:
        return text
    return f"{head}{comma}\n{tail}"


class AttractScreen(QWidget):
    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__()
        self.setObjectName("Body")
        self.ctx = ctx
        tr, theme, session = ctx.tr, ctx.theme, ctx.session
        reader = design.pictogram(design.Device.CARD_READER, theme, tr,
                                  round(theme.title_px * (2 if theme.large else 5 if ctx.portrait else 4)),
                                  place=session.reader_place)
        tiles = QWidget()
        column = QVBoxLayout(tiles)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(theme.space(2))
        grid = QGridLayout()
        grid.setSpacing(theme.gap_px * 2)
        per_row = 1 if ctx.portrait and theme.large else 2      # large text upright: whole names, a tile a row
        within_reach = bool(ctx.reach_px)        # the reader's picture goes up with the words, out of the band
        services = top_services(session.catalog.services, TILES[theme.large])
        beside = 0 if ctx.portrait or within_reach else reader.sizeHint().width() + theme.space(5)
        tile_px = (ctx.room - beside - theme.gap_px * 2) // per_row
        names = [tr.local(s.name) for s in services]
        if theme.large and widest_button_px(names, theme, True, theme.lead_px) > tile_px:
            services = []        # a name on two lines of large text needs more height than the glass leaves
                                 # under the sentence (English: cut); the list after 开始办理 is the way in
        for index, service in enumerate(services):
            tile = design.tile(tr.local(service.name), lambda code=service.code: self.open(code),
                               tr.t("attract.desc.tile"), theme)
            tile.setProperty("service", service.code)
            tile.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)     # the tiles share the height
            tile.setMaximumHeight(theme.target_px * 3)
            grid.addWidget(tile, index // per_row, index % per_row)
        if grid.count():
            column.addWidget(label(tr.t("attract.top"), "Heading"))
            column.addLayout(grid)
        middle = QWidget()
        middle.setProperty("fills", True)        # the page gives it the height left: no empty band mid-screen
        row = QVBoxLayout(middle) if ctx.portrait else QHBoxLayout(middle)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(theme.space(5))
        if ctx.portrait:
            row.addStretch(1)                    # what the tiles do not take: above and below them, centred
        if not within_reach:
            row.addWidget(reader, 0, Qt.AlignHCenter | Qt.AlignTop)
        if services:
            row.addWidget(tiles, 0 if ctx.portrait else 1)
        if ctx.portrait:
            row.addStretch(1)
        self.clock = label("", "Lead")
        facts = QWidget()
        grid = QGridLayout(facts)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(theme.space(2))
        one_row = not (ctx.portrait or theme.large)          # else: one fact a line
        shown = [("clock", self.clock)] if not theme.large else []      # large text: the time gives way
        shown += [("hours", label(hours.kiosk_hours(session.catalog.services, tr), "Lead")),
                  ("hotline", label(tr.t("attract.hotline"), "Lead"))]
        for index, (icon, widget) in enumerate(shown):
            row_at, column_at = (0, 2 * index) if one_row else (index, 0)
            grid.addWidget(design.icon_label(design.ICONS[icon], theme.palette.text, theme.lead_px), row_at, column_at,
                           Qt.AlignTop)
            grid.addWidget(widget, row_at, column_at + 1)
        if services or ctx.portrait:
            # the small print only at the standard size: larger text needs its line (the tiles' names in
            # English at 1366x768 were cut by 6 px each with it)
            body = [middle, facts] + ([] if theme.text_size > 1 else [label(tr.t("attract.offline_note"), "Muted")])
        else:                                     # no tiles, landscape: the facts beside the reader
            row.addWidget(facts, 1, Qt.AlignTop)
            body = [middle]
        start = design.primary(tr.t("attract.start"), ctx.controller.start, tr.t("desc.start"))
        start.setProperty("hero", True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(ctx.page(sentence(tr.t("attract.sentence"), theme, ctx.room), body,
                                  footer=[complaint.entry(ctx), start], notes=[reader] if within_reach else []))
        self.tick()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)
        self.timer.start(10_000)

    def tick(self) -> None:
        self.clock.setText(hours.clock_text(self.ctx.session.clock(), self.ctx.tr))

    def open(self, code: str) -> None:
        """A tile goes straight to its service's guide, as the list would."""
        self.ctx.controller.start()
        self.ctx.controller.choose_service(code)

    def mousePressEvent(self, event: QMouseEvent) -> None:   # noqa: N802 (Qt's name)
        self.ctx.controller.start()


def build(ctx: ScreenContext) -> QWidget:
    return AttractScreen(ctx)
