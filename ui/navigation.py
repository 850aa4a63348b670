"""The tactile keypad: previous, next, select, back, help, volume, rate, repeat and screen keys.

Focus moves through the screen's controls in the order the screen builds them (its reading order),
then through the header's; the focus ring is always drawn, and with voice on each control is read
as it is reached. The first key pressed with voice off turns voice on, as on accessible kiosks
where touching the keypad means "I need to hear this".
"""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NamedTuple, Protocol

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea, QWidget

from kiosk.session import Session, State
from ui.app_filter import app_filter
from ui.idle import IdleWatch
from ui.notice import Notice
from ui.widgets import TYPED, Keypad, TextArea, Typed, bring_into_view, typed_fields

if TYPE_CHECKING:
    from ui.controller import Controller
    from ui.keyboard import KeyStop, TextKeyboard  # Qt Quick: loaded with the screens that show a keyboard

_IDENTITY = ("role", "domain", "code", "key", "value", "notice")
VOLUME_STEP = 0.2


class FocusToken(NamedTuple):
    state: State
    language: str
    control: str | None


def control_id(widget: QWidget) -> str:
    """What a control is, across re-renders and languages: its name and identifying properties."""
    props = [f"{name}={widget.property(name)}" for name in _IDENTITY if widget.property(name) is not None]
    return "|".join([widget.objectName() or type(widget).__name__, *props])


def is_reading_pane(widget: QWidget) -> bool:
    """A scroll area of text only: a keypad stop that reads the text out and pages through it."""
    return (isinstance(widget, QScrollArea) and widget.widget() is not None
            and not widget.widget().findChildren(QAbstractButton) and not typed_fields(widget.widget()))


def interactive(root: QWidget | None, window: QWidget) -> list[QWidget]:
    """Controls under root a citizen can reach now, in the order the screen built them."""
    if root is None:
        return []
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(window) or not widget.isEnabled():
            continue
        if isinstance(widget, (QAbstractButton, *TYPED)) or is_reading_pane(widget):
            found.append(widget)
    return found


def keys_after_their_field(controls: list[QWidget]) -> list[QWidget]:
    """The digit keypad's keys right after the field they type into, not after every field: walking on
    from a number field meets its keys first. After the fields, a text field on the way would put the
    keypad away (the letter keyboard takes its place) and its keys could then be reached only backwards."""
    for keypad in {w.parentWidget() for w in controls if isinstance(w.parentWidget(), Keypad)}:
        if keypad.target not in controls:
            continue
        keys = [w for w in controls if w.parentWidget() is keypad]
        rest = [w for w in controls if w.parentWidget() is not keypad]
        at = rest.index(keypad.target) + 1
        controls = rest[:at] + keys + rest[at:]
    return controls


def aloud(field: Typed) -> str:
    """What a field holds, as the voice says it: a one-line answer (a number, a code, a name) character by
    character, to be checked; several sentences as written, not spelled out letter by letter."""
    return field.text() if isinstance(field, TextArea) else " ".join(field.text())


def typed_on_the_glass() -> bool:
    """A key the on-screen keyboard sends while a finger is on it (its enter key, Return): the field's, a new
    line or nothing, never the tactile keypad's select (which turned the voice on, or walked into the keys)."""
    keyboard = sys.modules.get("ui.keyboard")     # not loaded yet (it brings Qt Quick): no panel to be on
    return keyboard is not None and bool(keyboard.TextKeyboard.fingered)


class KeypadWindow(Protocol):
    """What the keypad uses of the kiosk window beyond its being a widget (ui/mainwindow.py's, which
    makes its navigator with itself), named here so this module does not import the window that imports it."""
    help: Notice
    overlay: Notice
    header: QWidget | None
    controls: QWidget | None
    shown: tuple[State, str] | None
    controller: Controller
    idle: IdleWatch

    @property
    def session(self) -> Session: ...
    @property
    def screen_widget(self) -> QWidget | None: ...
    def say(self, text: str, focused: QWidget | None = None) -> None: ...
    def restyle(self) -> None: ...


class Navigator(QObject):
    watches = (QKeyEvent,)      # what ui.app_filter asks it about: the tactile keypad's keys
    def __init__(self, window: KeypadWindow, keys: dict[str, tuple[str, ...]]) -> None:
        assert isinstance(window, QWidget), "the keypad's window is a widget: the navigator goes with it"
        super().__init__(window)
        self.window = window
        self.typing: TextKeyboard | None = None     # the on-screen keyboard the keypad is walking
        self.key_index = 0
        self.keyed: object = None     # the visit in which a keypad key was used: only then is focus drawn
        self.actions: dict[int, str] = {}
        for action, names in keys.items():
            for name in names:
                sequence = QKeySequence.fromString(name)
                if sequence.isEmpty() or sequence[0].key() == Qt.Key_unknown:
                    raise ValueError(f"keypad_keys: {name!r} is not a Qt key name")
                self.actions[sequence[0].key()] = action
        app_filter().join(self)

    # -- order and focus -----------------------------------------------------------------------
    def controls(self) -> list[QWidget]:
        window = self.window
        for notice in (window.help, window.overlay):
            if notice.isVisible():
                return interactive(notice, window)
        bars = [window.header] + ([window.controls] if window.controls is not window.header else [])
        screen = keys_after_their_field(interactive(window.screen_widget, window))
        return screen + [w for bar in bars for w in interactive(bar, window)]

    def remember(self) -> FocusToken | None:
        """The focused control and the screen it was on (the one last shown, not the session's new one)."""
        focused, shown = self.window.focusWidget(), self.window.shown
        if focused is None or shown is None:
            return None
        return FocusToken(shown[0], shown[1], control_id(focused))

    def restore(self, token: FocusToken | None) -> QWidget | None:
        """After a re-render: the same control if the screen still has it, else the screen's first."""
        self.typing = None          # the keyboard it walked went with the old screen
        controls = self.controls()
        if not controls:
            return None
        same = [w for w in controls if token is not None and token.state is self.window.session.state
                and control_id(w) == token.control]
        target = same[0] if same else self._initial(controls)
        # a new screen opens at its top for a touch user, whose focus is not drawn: scrolled to a first control
        # low on it (a disabled 开始办理 left 办不成事 the first), the guide opened at its end
        self.focus(target, reveal=bool(same) or self.keyed is self.window.session.visit)
        return target

    def _initial(self, controls: list[QWidget]) -> QWidget:
        screen = interactive(self.window.screen_widget, self.window)
        for wanted in ("Primary", "Domain"):
            for widget in screen:
                if widget.objectName() == wanted and (wanted == "Primary" or widget.isChecked()):
                    return widget
        unbiased = [w for w in screen if not w.property("answer")]     # the focus on 非常满意 reads as chosen
        return unbiased[0] if unbiased else screen[0] if screen else controls[0]

    def focus(self, widget: QWidget, reveal: bool = True) -> None:
        widget.setFocus(Qt.TabFocusReason)
        if reveal:
            bring_into_view(widget)

    def focus_first(self, root: QWidget) -> None:
        controls = interactive(root, self.window)
        if controls:
            self.focus(controls[0])

    def describe(self, widget: QWidget) -> str:
        """The spoken form of a control: its name, its state, what it does."""
        tr = self.window.session.translator
        name = widget.accessibleName()
        if isinstance(widget, QScrollArea):
            texts = [w.text() for w in widget.widget().findChildren(QLabel) if w.text()]
            return " ".join([tr.t("voice.control", name=name, description=widget.accessibleDescription()), *texts])
        if isinstance(widget, TYPED) and widget.text():
            name = tr.t("common.pair", label=name, value=aloud(widget))
        if isinstance(widget, QAbstractButton) and widget.isCheckable() and widget.isChecked():
            name = tr.t("voice.selected", name=name)
        return tr.t("voice.control", name=name, description=widget.accessibleDescription())

    # -- keys ----------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if not isinstance(event, QKeyEvent) or event.type() not in (QEvent.KeyPress, QEvent.KeyRelease) \
                or not isinstance(watched, QWidget):      # isinstance first: cheap on every event of the app
            return False
        if watched is not self.window and not self.window.isAncestorOf(watched):
            return False
        action = self.actions.get(event.key())
        if action is None or typed_on_the_glass():
            return False
        if event.type() == QEvent.KeyRelease:
            return True         # the keypad's, not the field's: an input method would commit its pinyin on it
        self.window.idle.eventFilter(watched, event)    # a key press is activity, as a touch is
        self.press(action)
        return True

    def press(self, action: str) -> None:
        window, controller = self.window, self.window.controller
        if self.keyed is not window.session.visit:      # the focus block appears with the first key
            self.keyed = window.session.visit
            window.restyle()
        profile = window.session.profile
        if not profile.voice:
            controller.set_profile(profile.toggled(voice=True), rebuild=False)
            self.repeat()
            return
        if self.typing is not None and action in ("previous", "next", "select", "back"):
            self.type_with_keys(action)
        elif action in ("previous", "next"):
            self.step(-1 if action == "previous" else 1)
        elif action == "select":
            self.select()
        elif action == "back":
            self.back()
        elif action == "help":
            controller.ask_for_help()
        elif action in ("volume_down", "volume_up"):
            louder = profile.louder(VOLUME_STEP if action == "volume_up" else -VOLUME_STEP)
            controller.set_profile(louder, rebuild=False)
            window.say(window.session.translator.t("voice.volume", percent=round(louder.volume * 100)))
        elif action == "rate":
            faster = profile.next_rate()
            controller.set_profile(faster, rebuild=False)
            window.say(window.session.translator.t(f"voice.rate_{faster.rate}"))
        elif action == "repeat":
            self.repeat()
        elif action == "screen":
            controller.set_profile(profile.with_audio_only(not profile.audio_only))
            window.say(window.session.translator.t("voice.screen_off" if not profile.audio_only else "voice.screen_on"))

    def step(self, direction: int) -> None:
        controls = self.controls()
        if not controls:
            return
        current = self.window.focusWidget()
        index = controls.index(current) + direction if current in controls else (0 if direction > 0 else -1)
        target = controls[index % len(controls)]
        self.focus(target)
        self.window.say(self.describe(target))

    def select(self) -> None:
        current = self.window.focusWidget()
        keyboard = self._keyboard_for(current)
        if keyboard is not None:
            self.typing, self.key_index = keyboard, 0
            self._at_key(self.window.session.translator.t("keyboard.entered"))
        elif isinstance(current, QAbstractButton) and current in self.controls():
            current.click()
        elif isinstance(current, QScrollArea):
            bar = current.verticalScrollBar()
            bar.setValue(0 if bar.value() >= bar.maximum() else bar.value() + bar.pageStep())
        elif current is not None:
            self.window.say(self.describe(current))

    # -- the on-screen keyboard, one key at a time ------------------------------------------------
    def _keyboard_for(self, widget: QWidget | None) -> TextKeyboard | None:
        """The letter keyboard shown for this text field, if any: select on the field walks into it."""
        if not isinstance(widget, TYPED):
            return None
        from ui.keyboard import TextKeyboard
        shown = [k for k in self.window.findChildren(TextKeyboard) if k.isVisible()]
        return shown[0] if shown else None

    def _at_key(self, prefix: str = "") -> KeyStop | None:
        assert self.typing is not None
        keys = self.typing.keys()
        if not keys:            # the panel is still sliding in: next finds its keys
            self.window.say(prefix)
            return None
        self.key_index %= len(keys)
        stop = keys[self.key_index]
        self.typing.highlight(stop)
        self.window.say(" ".join(p for p in (prefix, stop.spoken(self.window.session.translator)) if p))
        return stop

    def type_with_keys(self, action: str) -> None:
        """previous/next walk the keys, select presses one, back returns to the field with what was typed."""
        keyboard = self.typing
        assert keyboard is not None
        if action == "back":
            keyboard.highlight(None)
            self.typing = None
            field = self.window.focusWidget()
            left = self.window.session.translator.t("keyboard.left")
            self.window.say(left + " " + (self.describe(field) if field is not None else ""))
            return
        if action in ("previous", "next"):
            self.key_index += -1 if action == "previous" else 1
            self._at_key()
            return
        keys = keyboard.keys()
        if keys:        # pressed on the next turn of the loop: not from inside this key's event filter
            QTimer.singleShot(0, keyboard, lambda: self._press(keyboard, keys[self.key_index % len(keys)]))

    def _press(self, keyboard: TextKeyboard, stop: KeyStop) -> None:
        tr = self.window.session.translator
        keyboard.press(stop)
        field = self.window.focusWidget()
        typed = aloud(field) if isinstance(field, TYPED) else ""
        self.window.say(tr.t("keyboard.pressed", name=stop.spoken(tr), text=typed or tr.t("keyboard.empty")))
        keys = keyboard.keys()
        if self.typing is keyboard and keyboard.isVisible() and keys:
            keyboard.highlight(keys[self.key_index % len(keys)])

    def back(self) -> None:
        for notice in (self.window.help, self.window.overlay):
            if notice.isVisible():       # closed, as its 知道了 does; not 再试一次, a failed call's primary
                notice.hide()
                return
        self.window.controller.back()

    def repeat(self) -> None:
        # here: kiosk.voice is not loaded before the first paint (ui.mainwindow.MainWindow.render)
        from kiosk import voice as scripts

        window = self.window
        focused = window.focusWidget()
        window.say(scripts.announcement(window.session, window.session.translator, window.controller.printing),
                   focused if focused in self.controls() else None)
