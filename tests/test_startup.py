"""Start-up: the attract screen painted from what it needs alone, the rest brought up right after, and a
touch in between acted on by the whole kiosk, once."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import load
from kiosk.session import State

ROOT = Path(__file__).resolve().parents[1]
# Each of these costs tens to hundreds of milliseconds to import, and the attract screen needs none of them.
HEAVY = ("sqlalchemy", "alembic", "requests", "urllib3", "pydantic", "cryptography", "qrcode", "qtawesome", "qtpy",
         "cv2", "escpos", "serial", "chinese_calendar_data", "sync.casestore", "sync.client", "sync.outbox",
         "sync.worker", "kiosk.storage", "PySide6.QtMultimedia", "PySide6.QtQml", "PySide6.QtQuick",
         "PySide6.QtNetwork")
# Lighter, but the attract screen needs none of them either: each of these was once on its path, a few ms apiece.
LIGHT = ("socket", "hashlib", "secrets", "importlib.resources", "chinese_calendar", "ui.apply_steps", "ui.face_steps",
         "ui.online", "devices.doccam", "kiosk.online_flow", "kiosk.voice", "kiosk.guide", "kiosk.messages",
         "kiosk.help", "kiosk.ports", "kiosk.certified", "devices.health", "platformdirs", "kiosk.online",
         "kiosk.application", "kiosk.bundles", "kiosk.materials", "kiosk.proxy", "kiosk.receipt",
         "kiosk.outcome", "kiosk.identity", "kiosk.idnumber", "kiosk.print_status", "ui.running",
         "kiosk.identify_ways", "kiosk.closure", "kiosk.feedback_sent")
# Not needed once the kiosk has started before in the same data dir (its strings kept as parsed there).
ON_RESTART = ("tomllib",)


# PySide makes a Qt class's Python enums when the class is first used: at the first paint, those of the classes
# the attract screen uses (191 when written). An object of a class PySide does not know (the virtual keyboard's
# input context) seen by a Python event filter once made them for every Qt class, ~170 more, 25-45 ms. The style's
# and the main thread's, met by the application's filter while the window was shown, came before the first paint
# until that filter was kept off until then (ui.runner).
QT_ENUMS_AT_FIRST_PAINT = 250
NOT_AT_FIRST_PAINT = {"QStyle", "QCommonStyle", "QThread"}

# `kiosk24 run --check` as a technician runs it, with stderr watched: when the kiosk says it has painted, the
# modules loaded and the Qt enums made at that moment (their classes) are written first; then and when it is ready,
# whether and where Python's cyclic garbage collector runs.
AT_FIRST_PAINT = """
import enum, gc, runpy, sys

def qt_enums():
    seen, todo = set(), [enum.Enum]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [made.__qualname__ for made in seen if made.__module__.startswith("PySide6")]

def collecting():
    if gc.isenabled():
        return "automatic"
    from PySide6.QtWidgets import QApplication
    collector = sys.modules.get("ui.collector")
    on_ui_thread = collector is not None and any(window.findChildren(collector.UiThreadCollector)
                                                 for window in QApplication.topLevelWidgets())
    return "on the UI thread" if on_ui_thread else "off"

class Watched:
    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        if "attract screen painted" in text:
            self.stream.write("loaded: " + " ".join(sorted(sys.modules)) + "\\n")
            self.stream.write("qt enums: " + " ".join(sorted(qt_enums())) + "\\n")
        if "attract screen painted" in text or "kiosk ready" in text:
            self.stream.write(f"collecting garbage: {collecting()}\\n")
        return self.stream.write(text)

    def __getattr__(self, name):
        return getattr(self.stream, name)

sys.stderr = Watched(sys.stderr)
sys.argv = ["kiosk24", "run", "--check"]
runpy.run_module("tooling.cli", run_name="__main__")
"""


def _started(data_dir: Path) -> tuple[list[str], str, str]:
    """The modules loaded at the first paint, and stderr before and after it."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK24_DATA_DIR": str(data_dir),
           "KIOSK24_CENTRE_URL": "http://127.0.0.1:9"}
    done = subprocess.run([sys.executable, "-c", AT_FIRST_PAINT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    early, _, late = done.stderr.partition("kiosk24: attract screen painted")
    [loaded] = [line.removeprefix("loaded: ").split() for line in early.splitlines() if line.startswith("loaded: ")]
    return loaded, early, late


def _among(loaded: list[str], kept_off: tuple[str, ...]) -> list[str]:
    return [m for m in loaded if m in kept_off or m.startswith(tuple(f"{h}." for h in kept_off))]


def test_the_attract_screen_is_painted_before_any_heavy_module_is_imported(tmp_path: Path) -> None:
    loaded, early, late = _started(tmp_path)
    assert {"ui.mainwindow", "ui.screens.attract"} <= set(loaded)
    assert _among(loaded, HEAVY + LIGHT) == []
    [enums] = [line.removeprefix("qt enums: ").split() for line in early.splitlines() if line.startswith("qt enums: ")]
    assert 0 < len(enums) < QT_ENUMS_AT_FIRST_PAINT
    assert {enum.split(".")[0] for enum in enums} & NOT_AT_FIRST_PAINT == set()
    assert "kiosk24: kiosk ready" in late and (tmp_path / "kiosk.db").exists()     # the store came after
    assert (tmp_path / "cache" / "strings-zh_CN.json").exists()      # the strings as parsed, for the next start
    # no garbage collection before the first paint (each pass over the new modules delays it); after it, on the UI
    # thread only (ui.collector)
    assert "collecting garbage: off" in early and "collecting garbage: on the UI thread" in late
    restarted, _, _ = _started(tmp_path)             # as a kiosk restarts: its data dir is there
    assert _among(restarted, HEAVY + LIGHT + ON_RESTART) == []


def test_pyside_is_told_which_modules_use_it_as_shiboken_would_tell_it(qapp) -> None:
    """ui.app answers shiboken's question about every module imported after PySide6 from the file's bytes: the same
    answers as shiboken's own scan through inspect.getsource, for our modules, the standard library's, and
    modules without a .py file."""
    import importlib

    import ui.app  # noqa: F401  (installs the lighter scan)

    feature = sys.modules["shibokensupport.feature"]
    lighter = feature._mod_uses_pyside
    assert lighter.shibokens                                                 # installed when ui.app was imported
    names = ("ui.app", "ui.mainwindow", "ui.screens.attract", "kiosk.session", "kiosk.i18n", "json", "sys",
             "PySide6.QtCore", "shiboken6", "tests.test_startup", "ui")
    answers = {name: lighter(importlib.import_module(name)) for name in names}
    assert answers == {name: lighter.shibokens(importlib.import_module(name)) for name in names}
    assert answers["ui.app"] and answers["ui.mainwindow"] and not answers["kiosk.session"]


@pytest.fixture
def first(qtbot, tmp_path: Path):
    from ui import bootstrap

    config = load(None, {}, data_dir=tmp_path, fullscreen=False, speech_engine="none",
                  centre_url="http://127.0.0.1:9")
    first = bootstrap.first_frame(config)
    qtbot.addWidget(first.window)
    first.window.resize(1920, 1080)
    first.window.show()
    qtbot.waitExposed(first.window)
    return first


def bring_up(first):
    from ui import bootstrap

    return bootstrap.bring_up(first)


@pytest.mark.gui
def test_a_tap_during_bring_up_waits_and_is_acted_on_once_the_kiosk_is_up(qtbot, first) -> None:
    from PySide6.QtCore import Qt

    session, window = first.session, first.window
    [start] = [b for b in window.screen_widget.findChildren(type(window.header_button("help")))
               if b.property("hero")]
    qtbot.mouseClick(start, Qt.LeftButton)
    assert session.state is State.ATTRACT            # nothing half-built answered it
    kiosk = bring_up(first)
    try:
        assert session.state is State.SERVICES          # the whole kiosk did, with its own controller
        assert window.controller is kiosk.controller and kiosk.controller.store is kiosk.outbox
        assert session.calendar.covered_years          # the holiday arrangements, left out of the first frame
    finally:
        kiosk.stop()


@pytest.mark.gui
def test_a_tap_before_the_first_paint_is_held_where_the_platform_delivers_it(qtbot, first) -> None:
    """Until the first paint ui.runner keeps the application's filter off: a tap then is held at the window's
    QWindow, before any widget of the first frame sees it, and acted on once the kiosk is up."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from ui.app_filter import app_filter

    session, window = first.session, first.window
    [start] = [b for b in window.screen_widget.findChildren(type(window.header_button("help")))
               if b.property("hero")]
    with app_filter().quiet():
        first.held.hold_at(window.windowHandle())
        at = start.mapTo(window, start.rect().center())
        QTest.mouseClick(window.windowHandle(), Qt.LeftButton, Qt.NoModifier, at)
    assert session.state is State.ATTRACT and len(first.held.held) == 2
    kiosk = bring_up(first)
    try:
        assert session.state is State.SERVICES
    finally:
        kiosk.stop()


@pytest.mark.gui
def test_taps_aimed_at_the_first_frame_count_once_and_not_on_the_screen_that_follows(qtbot, first) -> None:
    """Text size, tapped during bring-up, grows the text one step; the taps after it were aimed at the attract
    screen as it was and are dropped rather than landing on whatever the larger text put there."""
    from PySide6.QtCore import Qt

    session, window = first.session, first.window
    before, language = session.profile, session.language
    qtbot.mouseClick(window.header_button("text_size"), Qt.LeftButton)
    qtbot.mouseClick(window.header_button("language"), Qt.LeftButton)     # where colours are once text is larger
    qtbot.keyClick(window, Qt.Key_Return)                                  # a first key turns the voice on
    assert session.profile == before and len(first.held.held) == 6
    kiosk = bring_up(first)
    try:
        assert session.profile == before.next_text_size() and session.profile.text_size > before.text_size
        assert session.language == language and session.state is State.ATTRACT
        assert not first.held.holding and first.held.held == []
    finally:
        kiosk.stop()


@pytest.mark.gui
def test_the_pictograms_are_qtawesomes_pixel_for_pixel(qapp) -> None:
    """ui.glyphs draws the Material Design Icons without importing qtawesome: the same picture."""
    import qtawesome

    from ui import design, glyphs

    for name in [*design.ICONS.values(), *(device.value for device in design.Device)]:
        for size in (24, 96):
            ours = glyphs.pixmap(name, "#0b5394", size).toImage()
            theirs = qtawesome.icon(name, color="#0b5394").pixmap(size, size).toImage()
            assert ours == theirs.convertToFormat(ours.format()), (name, size)


class Heard:
    """A voice that only notes what it was asked to say."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, text: str, language: str, profile: object) -> None:
        self.said.append(text)

    def close(self) -> None:
        pass


@pytest.mark.gui
def test_when_the_voice_comes_the_first_frame_is_not_announced_anew_only_its_focused_control(qtbot, first) -> None:
    """The first frame works out nothing to say (kiosk.voice comes later): when the voice comes, the screen is
    not announced anew, only its focused control, as when the first frame had worked out its announcement."""
    from kiosk.accessibility import Profile
    from ui.access import Access

    window, heard = first.window, Heard()
    first.session.set_profile(Profile(voice=True))
    window.attach(window.controller, Access(voice=heard))      # type: ignore[arg-type]  (a stand-in voice)
    assert heard.said == [window.navigator.describe(window.focusWidget())]


def test_what_is_logged_before_the_log_file_opens_reaches_it_in_order(tmp_path: Path) -> None:
    """The first frame comes before the log file (its module is not on that path): nothing logged meanwhile
    is lost to the file technicians export."""
    import logging

    from kiosk import logfile
    from ui import runner

    config = load(None, {}, data_dir=tmp_path)
    root, log = logging.getLogger(), logging.getLogger("kiosk.test_startup")
    early = logfile.Early()
    root.addHandler(early)
    try:
        log.warning("the out-of-service file is unreadable")
        runner.log_to_file(config, early)
        log.warning("the kiosk is up")
    finally:
        root.removeHandler(early)
        for handler in [h for h in root.handlers if getattr(h, "baseFilename", "").startswith(str(tmp_path))]:
            root.removeHandler(handler)
            handler.close()
    lines = (config.log_dir / logfile.NAME).read_text(encoding="utf-8").splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == ["the out-of-service file is unreadable", "the kiosk is up"]
    assert early.records == []
