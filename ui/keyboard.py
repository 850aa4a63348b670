"""The on-screen keyboard for Chinese text (拼音), inside the kiosk's own window. Codes of Latin capitals
and digits have the kiosk's own code keypad (ui.widgets.Keypad, CODE_KEYS) instead.

Qt Virtual Keyboard types into widgets when it is the input method (tooling.cli.QT_INPUT, set by the CLI
before the QApplication exists). Its desktop mode opens a keyboard window of its own, which a kiosk
compositor may stack anywhere or not show at all; with that mode off (QT_VIRTUALKEYBOARD_DESKTOP_DISABLE)
the panel below lives in the form, sized and placed like every other control.
"""
from __future__ import annotations

import dataclasses
import logging
import re
import tempfile
from functools import cache
from pathlib import Path

from PySide6.QtCore import QDirIterator, QEvent, QFile, QIODevice, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QMouseEvent
from PySide6.QtQml import QQmlComponent, QQmlEngine
from PySide6.QtQuick import QQuickItem
from PySide6.QtQuickWidgets import QQuickWidget
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.i18n import Translator
from ui.after_paint import AfterPaint
from ui.theme import Palette, Theme

log = logging.getLogger(__name__)
_LOCALES = {"zh_CN": "zh_CN", "en": "en_US"}


class KeyboardUnavailable(RuntimeError):
    """Qt Virtual Keyboard did not load; the message says why (its QML plugin needs libpulse.so.0)."""

_PANEL = """
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
InputPanel {
    Component.onCompleted: {
        VirtualKeyboardSettings.styleName = "%s"
        VirtualKeyboardSettings.wordCandidateList.alwaysVisible = true
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = "%s"
    }
    externalLanguageSwitchEnabled: true
    onExternalLanguageSwitch: (localeList, currentIndex) => {
        VirtualKeyboardSettings.locale = localeList[(currentIndex + 1) %% localeList.length]
    }
}
"""
# The globe key switches between the two layouts at once: the style's own choice is a pop-up list that
# only a finger can pick from (its items are no keys for the tactile keypad to reach).
# The candidate bar is always there (alwaysVisible): appearing with the first letter, it grew the panel
# and pushed the bottom row (&123, globe, space, enter) off the glass.

_BUILTIN = ":/qt-project.org/imports/QtQuick/VirtualKeyboard/Styles/Builtin/default/style.qml"
_ICONS = ":/qt-project.org/imports/QtQuick/VirtualKeyboard/Styles/Builtin/default/images"
_STYLES = tempfile.TemporaryDirectory(prefix="kiosk24-keyboard-")     # removed when the process ends


def _colours(palette: Palette) -> dict[str, str]:
    """The built-in style's colour roles from the mode's palette: keys on the page's surface with the page's
    text, a border round each key (on a black page a black key has no edge), accent for shift and pop-ups;
    the special keys (delete, enter, &123) on the page's background, their icons in the text's colour."""
    return {"primaryColor": palette.background, "primaryDarkColor": palette.surface,
            "primaryLightColor": palette.background, "textOnPrimaryColor": palette.text,
            "secondaryColor": palette.accent, "secondaryLightColor": palette.accent,
            "secondaryDarkColor": palette.accent, "textOnSecondaryColor": palette.on_accent,
            "navigationHighlightColor": palette.focus, "selectionListSeparatorColor": palette.border}


@cache
def _read(path: str) -> str:
    resource = QFile(path)
    if not resource.open(QIODevice.ReadOnly):
        raise KeyboardUnavailable(f"Qt Virtual Keyboard's built-in style is missing {path}: its plugin did not load")
    try:
        return bytes(resource.readAll().data()).decode()
    finally:
        resource.close()


def _icons(palette: Palette, folder: Path) -> None:
    """The built-in icons, drawn white for its dark keys, in the palette's colours: text for every icon,
    muted for shift on, accent for caps lock (Qt's green was 3.3:1)."""
    folder.mkdir(parents=True, exist_ok=True)
    colours = {"#fff": palette.text, "#ffffff": palette.text, "#c5d6b6": palette.muted, "#80c342": palette.accent}
    names = QDirIterator(_ICONS)
    while names.hasNext():
        path = names.next()
        svg = _read(path)
        if not path.endswith("selectionhandle-bottom.svg"):
            svg = re.sub(r"#(?:ffffff|fff|c5d6b6|80c342)\b", lambda m: colours[m[0].lower()], svg, flags=re.IGNORECASE)
        (folder / Path(path).name).write_text(svg, encoding="utf-8")


def _unseen_when_disabled(style: str) -> str:
    """A disabled key (pinyin's syllable mark before any pinyin is typed) is not drawn at all: the built-in
    style fades its label to 5-20 %, which reads as a blank key that does nothing when pressed."""
    parts = style.split('name: "disabled"')
    for index in range(1, len(parts)):
        end = parts[index].index("\n            }")         # the end of that State block
        parts[index] = re.sub(r"opacity: [0-9.]+", "opacity: 0", parts[index][:end]) + parts[index][end:]
    return 'name: "disabled"'.join(parts)


def _labels_at_least(style: str, label_px: int) -> str:
    """Every label at least as large as the body text (字号), in the built-in proportions: Qt sizes them by the
    panel's width alone (60 units of a 2560-wide design), which at a form's width drew letters of 17 px beside
    a body of 35. The keys' inner margin shrinks as much as their labels grow, so a label stays on its key.
    The candidates (72 units) keep their bar's height: a taller bar took a portrait form's last rows onto a
    second page."""
    # 60 * scaleHint is 0 until the panel is laid out: a label then 0, not NaN, which QML cannot give a font
    # ("Unable to assign double to int", five lines each time a key's preview is made)
    grown = f"Math.max(1, {label_px} / Math.max(1, 60 * scaleHint))"
    style, found = re.subn(r"pixelSize: (?!72 )(\d+) \* scaleHint", r"pixelSize: \1 * scaleHint * labelGrowth", style)
    assert found > 10, found
    style, found = re.subn(r"(alternateKeysListItem(?:Width|Height): \d+ \* scaleHint)", r"\1 * labelGrowth", style)
    assert found == 2
    margin = "keyContentMargin: Math.round(40 * scaleHint)"
    assert margin in style
    style = style.replace(margin, f"{margin[:-1]} / labelGrowth)\n    readonly property real labelGrowth: {grown}")
    return _fitted_to_keys(style)


def _fitted_to_keys(style: str) -> str:
    """A label wider than its key ('&123', 'American English' on the space bar) shrinks to the key's width
    instead of running over its neighbours."""
    space = "anchors.centerIn: parent\n                font {"
    assert style.count(space) == 1
    style = style.replace(space, "anchors.fill: parent\n                anchors.margins: keyContentMargin\n"
                                 "                horizontalAlignment: Text.AlignHCenter\n"
                                 "                verticalAlignment: Text.AlignVCenter\n                font {")
    for label in ("keyText", "symbolKeyText", "modeKeyText", "spaceKeyText"):
        line = f"id: {label}\n"
        assert style.count(line) == 1, label
        style = style.replace(line, f"{line}                fontSizeMode: Text.HorizontalFit\n")
    return style


@cache       # written once per palette and text size, as the QML engines have it by name; not for every form
def _style(palette: Palette, label_px: int) -> str:
    """A style for this palette, made from Qt's built-in default (its layout and icons) with the kiosk's
    colours, font, bordered keys, large candidates and labels no smaller than label_px; returns its name.
    Written once into a directory on the engines' import path."""
    text = _read(_BUILTIN)
    for role, colour in _colours(palette).items():
        text, found = re.subn(rf"(property color {role}: )[^\n]+", rf'\g<1>"{colour}"', text)
        assert found == 1, role
    text = text.replace('fontFamily: "Arial"', 'fontFamily: "Noto Sans CJK SC"')
    text = _unseen_when_disabled(text)
    # the language's name on the space bar stays in full ink: Qt fades it to half a second after it shows (3.4:1)
    text, found = re.subn(r"(onTriggered: inputLocaleIndicatorOpacity = )0\.5", r"\g<1>1.0", text)
    assert found == 1
    highlight = "property color navigationHighlightColor"
    text = text.replace(highlight, f'property color keyBorderColor: "{palette.border}"\n    {highlight}')
    key = "color: control && control.highlighted ? highlightedKeyBackgroundColor : normalKeyBackgroundColor"
    border = "border.width: Math.max(2, Math.round(4 * scaleHint)); border.color: keyBorderColor"
    text = text.replace(key, f"{key}; {border}")
    text = text.replace("selectionListHeight: 85 * scaleHint", "selectionListHeight: 130 * scaleHint")
    text = text.replace("pixelSize: 44 * scaleHint", "pixelSize: 72 * scaleHint")       # the candidates
    text = _labels_at_least(text, label_px)
    name = f"kiosk24{palette.colours.value.replace('-', '')}{label_px}"
    folder = Path(_STYLES.name) / "QtQuick" / "VirtualKeyboard" / "Styles" / name
    _icons(palette, folder / "images")
    text, found = re.subn(r'(resourcePrefix: )"[^"]+"', rf'\g<1>"{QUrl.fromLocalFile(str(folder)).toString()}/"', text)
    assert found == 1
    (folder / "style.qml").write_text(text, encoding="utf-8")
    return name


# The keyboard's own key kinds (QtVirtualKeyboard's KeyType): what a special key is called aloud.
_SPECIAL = {1: "keyboard.backspace", 2: "keyboard.language", 3: "keyboard.enter", 11: "keyboard.shift",
            6: "keyboard.hide", 12: "keyboard.space", 13: "keyboard.symbols"}
_FILLER = 4
_RING = "import QtQuick\nRectangle { color: 'transparent'; border.width: %d; border.color: '%s'; z: 1000; radius: 4 }"


@dataclasses.dataclass(frozen=True)
class KeyStop:
    """One key of the panel as the tactile keypad reaches it."""

    item: QQuickItem
    kind: int
    text: str

    def spoken(self, tr: Translator) -> str:
        return tr.t(_SPECIAL[self.kind]) if self.kind in _SPECIAL else self.text


_FINGER = (QEvent.MouseButtonPress, QEvent.MouseButtonRelease, QEvent.TouchBegin, QEvent.TouchUpdate,
           QEvent.TouchEnd)


class TextKeyboard(QQuickWidget):
    """Pinyin for a Chinese session, QWERTY for an English one; the globe key switches."""

    fingered = False    # a finger is on a panel now: a key it sends (its enter) is typing, not the tactile keypad's

    def __init__(self, language: str, width: int, theme: Theme) -> None:
        super().__init__()
        self.setResizeMode(QQuickWidget.SizeViewToRootObject)     # the panel's height follows its width
        self.setFocusPolicy(Qt.NoFocus)            # typing on it must leave the focus in the field
        self.setAttribute(Qt.WA_AcceptTouchEvents, True)
        engine: QQmlEngine = self.engine()
        engine.addImportPath(_STYLES.name)
        if not QFile.exists(_BUILTIN):      # the built-in styles' resources come with their plugin
            loader = QQmlComponent(engine)
            loader.setData(b"import QtQml\nimport QtQuick.VirtualKeyboard.Styles.Builtin\nQtObject {}", QUrl())
            loader.create()
        style = _style(theme.palette, theme.text_px)
        component = QQmlComponent(engine)
        component.setData((_PANEL % (style, _LOCALES[language])).encode(), QUrl())
        panel = component.create()
        if panel is None:
            raise KeyboardUnavailable(component.errorString().strip())
        self.setContent(QUrl(), component, panel)
        self._ring: QQuickItem | None = None
        self._bounds = (width, 0)
        self._fitting = False
        self.rootObject().heightChanged.connect(self._refit)
        self.fit(width)

    def event(self, event: QEvent) -> bool:
        """The panel sends its enter key to the field as the key Return, the tactile keypad's select: while a
        finger (or the keypad's select, press) is on the panel, the navigator leaves the keys it sends alone."""
        if event.type() not in _FINGER:
            return super().event(event)
        TextKeyboard.fingered = True
        try:
            return super().event(event)
        finally:
            TextKeyboard.fingered = False

    def fit(self, width: int, height: int = 0) -> None:
        """As wide as width allows, and no taller than height (if given): the keys keep their shape."""
        self._bounds = (width, height)
        self._refit()

    def fit_height(self, height: int) -> None:
        """No taller than height, as wide as first allowed."""
        self.fit(self._bounds[0], height)

    def _refit(self) -> None:
        """Again whenever the panel's height changes: once active it grows by its candidate bar, and a
        widget kept at the first height cut the bottom row (space, &123, globe, hide) off the glass."""
        if self._fitting:
            return
        self._fitting = True
        try:
            width, height = self._bounds
            root = self.rootObject()
            root.setWidth(width)
            if height and root.height() > height:
                root.setWidth(int(width * height / root.height()))
            self.setFixedSize(round(root.width()), round(root.height()))
        finally:
            self._fitting = False

    # -- the tactile keypad's way through the keys -------------------------------------------------
    def keys(self) -> list[KeyStop]:
        """The keys a finger could press now, row by row, left to right."""
        stops = []
        for item in self.rootObject().findChildren(QQuickItem):
            kind = item.property("keyType")
            if kind is None or kind == _FILLER or not item.isVisible() or not item.isEnabled() or item.width() <= 0:
                continue
            stops.append(KeyStop(item, int(kind), str(item.property("displayText") or "")))
        place = {id(s.item): s.item.mapToScene(QPointF(0, 0)) for s in stops}
        return sorted(stops, key=lambda s: (round(place[id(s.item)].y()), place[id(s.item)].x()))

    def centre(self, stop: KeyStop) -> QPoint:
        centre = stop.item.mapToScene(QPointF(stop.item.width() / 2, stop.item.height() / 2))
        return QPoint(round(centre.x()), round(centre.y()))

    def press(self, stop: KeyStop) -> None:
        """As a finger would: the panel handles press and release on separate turns of its loop."""
        point = QPointF(self.centre(stop))
        for kind in (QEvent.MouseButtonPress, QEvent.MouseButtonRelease):
            buttons = Qt.LeftButton if kind is QEvent.MouseButtonPress else Qt.NoButton
            event = QMouseEvent(kind, point, self.mapToGlobal(point), Qt.LeftButton, buttons, Qt.NoModifier)
            QApplication.sendEvent(self, event)
            QApplication.processEvents()

    def highlight(self, stop: KeyStop | None, colour: str = "#ffbf00", width: int = 6) -> None:
        """The focus ring on the key the keypad is at; None takes it away."""
        if stop is None:
            if self._ring is not None:
                self._ring.setVisible(False)
            return
        if self._ring is None:
            component = QQmlComponent(self.engine())
            component.setData((_RING % (width, colour)).encode(), QUrl())
            self._ring = component.create()
            self._ring.setParent(self.rootObject())      # Qt owns it: it goes with the panel
            self._ring.setParentItem(self.rootObject())
        corner = self.rootObject().mapFromItem(stop.item, QPointF(0, 0))
        self._ring.setX(corner.x())
        self._ring.setY(corner.y())
        self._ring.setWidth(stop.item.width())
        self._ring.setHeight(stop.item.height())
        self._ring.setVisible(True)

    def smallest_key_px(self) -> tuple[float, float]:
        """(width, height) of the narrowest and of the shortest key: what the audit holds to 15 mm."""
        stops = self.keys()
        if not stops:
            return 0.0, 0.0
        return min(s.item.width() for s in stops), min(s.item.height() for s in stops)


READY_IN_MS = 500       # after the start screen shows, the next visit's keyboard is made: no citizen types sooner


class Keyboards:
    """The window's letter keyboards, lent to each screen that types letters and taken back when it goes:
    Qt makes one in 25-90 ms, as long as the rest of such a screen takes. A keyboard lent in a visit goes
    with the visit (the pinyin typed and its candidates must not meet the next citizen); one for the next
    visit is made while the start screen waits, in the start screen's language and colours."""

    def __init__(self, window: QWidget, retired: AfterPaint) -> None:
        self.window, self.retired = window, retired
        self._kept: dict[tuple[str, Palette, int], TextKeyboard] = {}
        self._lent: set[TextKeyboard] = set()       # given to a screen in this visit
        self._next: tuple[str, Theme] | None = None      # the next visit's language and theme
        self._timer = QTimer(window)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._prepare)

    def lend(self, language: str, width: int, theme: Theme) -> TextKeyboard:
        """One for language and theme's colours, as wide as width allows."""
        key = (language, theme.palette, theme.text_px)
        keyboard = self._kept.get(key)
        if keyboard is None:
            keyboard = self._kept[key] = TextKeyboard(language, width, theme)
        else:
            keyboard.highlight(None)
            keyboard.fit(width)
        self._lent.add(keyboard)
        return keyboard

    def take_back(self, screen: QWidget) -> None:
        """Out of a screen that is about to go, into the window, hidden, before Qt deletes the screen."""
        for keyboard in self._kept.values():
            if screen.isAncestorOf(keyboard):
                keyboard.hide()
                keyboard.setParent(self.window)

    def next_visit(self, language: str, theme: Theme) -> None:
        """The start screen shows: every keyboard lent in the last visit goes, and one for the next visit is
        made once the start screen has been painted and shown a while (READY_IN_MS)."""
        for key, keyboard in list(self._kept.items()):
            if keyboard in self._lent or key[0] != language:
                del self._kept[key]
                self.retired.retire(keyboard)       # 6 ms: after the start screen in its new colours is drawn
        self._lent.clear()
        self._next = (language, theme)
        self._timer.start(READY_IN_MS)

    def _prepare(self) -> None:
        assert self._next is not None
        language, theme = self._next
        key = (language, theme.palette, theme.text_px)
        if key in self._kept:
            return
        try:
            keyboard = TextKeyboard(language, 800, theme)
        except KeyboardUnavailable as exc:      # said where a screen needs it; here no citizen is waiting
            log.warning("no letter keyboard made ahead: %s", exc)
            return
        keyboard.hide()
        keyboard.setParent(self.window)
        self._kept[key] = keyboard
