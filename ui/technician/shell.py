"""The technician shell: a cover over the whole kiosk window with the pages listed on the side.

It covers the citizens' screens rather than replacing them, so the kiosk's window, its lockdown and
its devices stay as they are; leaving takes the cover away and the attract screen is there again.
It uses the citizens' theme in its normal look (no elderly mode), at the same touch sizes.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk import accessibility as a11y
from kiosk.accessibility import Colours
from kiosk.config import LANGUAGES
from kiosk.i18n import Translator
from ui import theme as themes
from ui.technician.context import TechContext
from ui.technician.pages import Page
from ui.widgets import button, discard, label, scrolling

# the shell's own background and the side list's frame, on top of the citizens' stylesheet
EXTRA_STYLE = """
#Technician {{ background: {background}; }}
#TechSide {{ background: {surface}; border-right: 3px solid {border}; }}
#TechBar {{ background: {accent}; }}
#TechBar QLabel {{ color: {on_accent}; font-weight: bold; }}
"""


def button_width(text: str, theme: themes.Theme) -> int:
    """A bold bar button's width for its whole text: its size hint comes before the layer's stylesheet."""
    font = QFont()
    font.setPixelSize(theme.text_px)
    font.setBold(True)
    return QFontMetrics(font).horizontalAdvance(text) + 2 * (theme.px(4) + theme.focus_px + theme.border_px)


def technician_theme(language: str, ppi: float) -> themes.Theme:
    return themes.build(1, Colours.NORMAL, language, ppi)


class Cover(QWidget):
    """A layer over the whole kiosk window that keeps its size and stays above the citizens' screens."""

    def __init__(self, parent: QWidget, language: str, ppi: float = 0.0) -> None:
        super().__init__(parent)
        self.setObjectName("Technician")
        self.setAttribute(Qt.WA_StyledBackground, True)
        self.language = language
        self.fixed_ppi = ppi
        parent.installEventFilter(self)

    @property
    def tr(self) -> Translator:
        return Translator(self.language)

    @property
    def ppi(self) -> float:
        window = self.parentWidget()
        return self.fixed_ppi or a11y.assumed_ppi(window.width(), window.height())

    def theme(self) -> themes.Theme:
        """The technician's theme, applied to this layer (the window's own follows the citizen's profile)."""
        theme = technician_theme(self.language, self.ppi)
        p = theme.palette
        self.setStyleSheet(themes.stylesheet(theme) + EXTRA_STYLE.format(
            background=p.background, surface=p.surface, border=p.border, accent=p.accent, on_accent=p.on_accent))
        self.setGeometry(self.parentWidget().rect())
        return theme

    def render(self) -> None:
        raise NotImplementedError

    def remove(self) -> None:
        self.parentWidget().removeEventFilter(self)
        discard(self)

    def control(self, role: str) -> QPushButton:
        for widget in self.findChildren(QPushButton):
            if widget.property("role") == role and widget.isVisible():
                return widget
        raise LookupError(role)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.parentWidget():
            if event.type() == QEvent.Resize:
                self.render()
            elif event.type() == QEvent.ChildAdded:
                self.raise_()          # the window's new screen must not cover the technician's layer
        return False


class Shell(Cover):
    """Page list on the side, the chosen page beside it; `make_context(tr, theme, width)` feeds a page,
    `on_page(key)` hears which page the technician opened (for the audit trail)."""

    def __init__(self, parent: QWidget, pages: list[Page], language: str,
                 make_context: Callable[[Translator, themes.Theme, int], TechContext],
                 on_leave: Callable[[], None], on_page: Callable[[str], None] = lambda key: None,
                 ppi: float = 0.0) -> None:
        super().__init__(parent, language, ppi)
        self.pages = pages
        self.make_context = make_context
        self.on_leave = on_leave
        self.on_page = on_page
        self.current = pages[0].key if pages else ""
        self.page_widget: QWidget | None = None
        self.frame: QWidget | None = None
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.render()

    def render(self) -> None:
        """Rebuild the bar, the list and the current page (after a language change or a resize)."""
        theme = self.theme()
        self._close_page()
        if self.frame is not None:
            self.layout_.removeWidget(self.frame)
            discard(self.frame)
        self.frame = QWidget()
        column = QVBoxLayout(self.frame)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self._bar(theme))
        row = QHBoxLayout()
        row.setSpacing(0)
        side = self._side(theme)
        row.addWidget(side)
        self.area = QVBoxLayout()
        row.addLayout(self.area, 1)
        column.addLayout(row, 1)
        self.layout_.addWidget(self.frame)
        self.frame.show()
        side.ensurePolished()           # sized in the technician's stylesheet, now that it applies
        self.side_width = min(side.widget().sizeHint().width() + theme.px(8), max(1, self.width() // 3))
        side.setFixedWidth(self.side_width)
        self._build_page(self.current, theme)

    def _bar(self, theme: themes.Theme) -> QWidget:
        tr = self.tr
        bar = QWidget()
        bar.setObjectName("TechBar")
        bar.setAttribute(Qt.WA_StyledBackground, True)
        row = QHBoxLayout(bar)
        row.setContentsMargins(theme.margin_px, theme.gap_px, theme.margin_px, theme.gap_px)
        row.setSpacing(theme.gap_px)
        row.addWidget(label(tr.t("technician.title"), wrap=True), 1)
        other = LANGUAGES[(LANGUAGES.index(self.language) + 1) % len(LANGUAGES)]
        for role, text, tap, description in (
                ("tech_language", tr.t("app.language_switch"), lambda: self.set_language(other), "desc.language"),
                ("leave", tr.t("technician.leave"), self.on_leave, "technician.desc.leave")):
            widget = button(text, tap, name="HeaderButton", description=tr.t(description))
            widget.setProperty("role", role)
            widget.setSizePolicy(QSizePolicy.Minimum, QSizePolicy.Fixed)
            widget.setMinimumWidth(button_width(text, theme))
            row.addWidget(widget)
        return bar

    def _side(self, theme: themes.Theme) -> QWidget:
        tr = self.tr
        list_ = QWidget()
        column = QVBoxLayout(list_)
        column.setContentsMargins(theme.gap_px, theme.gap_px, theme.gap_px, theme.gap_px)
        column.setSpacing(theme.gap_px)
        self.entries: dict[str, QPushButton] = {}
        for entry in self.pages:
            widget = button(tr.t(entry.title), lambda key=entry.key: self.show_page(key), name="TechPage",
                            checked=entry.key == self.current, description=tr.t("technician.desc.page"))
            widget.setProperty("page", entry.key)
            column.addWidget(widget)
            self.entries[entry.key] = widget
        side = scrolling(list_, tr.t("technician.pages"), tr.t("technician.desc.pages"))
        side.setObjectName("TechSide")
        return side

    def show_page(self, key: str) -> None:
        if key not in self.entries:
            return
        self._close_page()
        self.on_page(key)
        self._build_page(key, technician_theme(self.language, self.ppi))

    def _build_page(self, key: str, theme: themes.Theme) -> None:
        entry = next((p for p in self.pages if p.key == key), None)
        if entry is None:
            return
        self.current = key
        for name, widget in self.entries.items():
            widget.setChecked(name == key)
        context = self.make_context(self.tr, theme, max(1, self.width() - self.side_width))
        self.page_widget = entry.build(context)
        self.page_widget.setProperty("page", key)
        self.page_widget.setAttribute(Qt.WA_StyledBackground, True)
        self.area.addWidget(self.page_widget)
        self.page_widget.show()

    def set_language(self, language: str) -> None:
        self.language = language
        self.render()

    def _close_page(self) -> None:
        """A page stops what it runs (a camera preview) in its closeEvent, before it goes."""
        if self.page_widget is not None:
            self.page_widget.close()
            discard(self.page_widget)
            self.page_widget = None

    def remove(self) -> None:
        self._close_page()
        super().remove()

    def entry(self, key: str) -> QPushButton:
        return self.entries[key]
