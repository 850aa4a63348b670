"""After a failed 下一步 nothing a citizen must see is out of sight: the error summary, each problem and its
field lie whole inside the glass, in every mode and at every size, and nothing scrolls. Real widgets in a
real window; the form is the catalog's (无犯罪记录证明, and the retirement bundle's combined form)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QScrollArea, QWidget

from kiosk import catalog, workdays
from kiosk.session import Event, Session, State
from tooling.samples import CLOCK, sample_identity
from tooling.screenshots import MODES, PROFILES, SIZES
from ui.access import Access
from ui.controller import Controller
from ui.mainwindow import MainWindow
from ui.paging import Pages

pytestmark = pytest.mark.gui

CRIMINAL_RECORD = "1141150041700231981000117011000"
FORM_MODES = ("normal", "large", "contrast-dark", "assisted", "english", "english-assisted")


class NoStore:
    """The form never stores: nothing is submitted in these tests."""

    def submit(self, application: object) -> None:
        raise AssertionError("nothing is submitted here")


@pytest.fixture(scope="module")
def cat() -> catalog.Catalog:
    return catalog.load()


@pytest.fixture
def window(qtbot, request, cat: catalog.Catalog) -> Iterator[MainWindow]:
    mode, (width, height) = request.param
    language, profile = MODES[mode]
    session = Session(cat, workdays.load(), "XY-DEMO-01", language, PROFILES[profile], clock=lambda: CLOCK)
    shown = MainWindow(Controller(session, NoStore(), None, _bridge()), 120, 20, lock_close=False, access=Access())
    qtbot.addWidget(shown)
    shown.resize(width, height)
    shown.show()
    yield shown
    shown.close()


def _bridge():
    from ui.bridge import Bridge

    return Bridge()


def settle() -> None:
    for _ in range(6):
        QApplication.processEvents()


def inside(widget: QWidget, window: QWidget) -> bool:
    """Whole on the glass: within the window, not clipped by any parent, and as tall as its wrapped words
    (a layout short of room squeezes a widget below them, and they are cut inside it)."""
    corner = widget.mapTo(window, QPoint(0, 0))
    whole = QRect(corner, widget.size())
    tall = not widget.hasHeightForWidth() or widget.height() >= widget.heightForWidth(widget.width())
    return window.rect().contains(whole) and widget.visibleRegion().boundingRect() == widget.rect() and tall


def answers(window: MainWindow, key: str) -> list[QWidget]:
    return [w for w in window.screen_widget.findChildren(QWidget)
            if w.isVisible() and (w.objectName() == f"field_{key}" or w.objectName().startswith(f"choice_{key}_"))]


def turn_to(window: MainWindow, key: str) -> None:
    """As a citizen pages (ui.onward): 上一页 back to the first page, then 继续 until the question is shown."""
    [pages] = [p for p in window.screen_widget.findChildren(Pages) if p.isVisible()]

    def tap(name: str) -> None:
        [found] = [b for b in window.findChildren(QPushButton, name) if b.isVisible() and b.isEnabled()]
        found.click()
        settle()

    while pages.page > 0:
        tap("back")
    while not answers(window, key) and pages.page < len(pages.pages) - 1:
        tap("Primary")


def fail_the_form(window: MainWindow, service: str | None, bundle: str | None) -> Session:
    session = window.session
    session.fire(Event.START)
    if bundle is not None:
        session.choose_bundle(bundle)
    else:
        session.choose_service(service)
    session.fire(Event.APPLY)
    session.identified(sample_identity())
    window.render()
    settle()
    [next_step] = [b for b in window.findChildren(QPushButton, "Primary") if b.isVisible()]
    for _ in range(20):                     # 继续 through the pages, then 下一步 with the form as the card left it
        next_step.click()
        settle()
        if session.form_problems:
            break
    assert session.state is State.FORM and session.form_problems
    return session


CASES = [(mode, size) for mode in FORM_MODES for size in SIZES]


@pytest.mark.parametrize("window", CASES, indirect=True, ids=[f"{m}-{w}x{h}" for m, (w, h) in CASES])
@pytest.mark.parametrize(("service", "bundle"), [(CRIMINAL_RECORD, None), (None, "bundle-retirement")],
                         ids=["criminal-record", "bundle"])
def test_after_a_failed_next_every_problem_is_in_sight(window: MainWindow, service: str | None,
                                                      bundle: str | None) -> None:
    size = window.size()
    session = fail_the_form(window, service, bundle)
    assert window.size() == size, "the form grew the window: something does not fit"
    assert not [a for a in window.screen_widget.findChildren(QScrollArea) if a.isVisible()], "the form scrolls"
    # no window of its own beside the kiosk's ("page 1 of 3", taken out of the footer without a parent, was one,
    # and took the focus from the field just tapped)
    assert not [p.where for p in window.screen_widget.findChildren(Pages) if p.where.isWindow()]
    summary = window.screen_widget.findChild(QWidget, "ErrorSummary")
    assert summary is not None and summary.isVisible() and inside(summary, window)
    entries = [w for w in summary.findChildren(QWidget) if w.isVisible() and w.property("key")]
    assert sorted(w.property("key") for w in entries) == sorted(session.form_problems)
    assert all(inside(w, window) for w in entries)
    first = answers(window, next(k for k in session.form_problems))
    links = [w for w in entries if isinstance(w, QPushButton)]
    stays = [] if links else [b for b in window.findChildren(QPushButton, "Primary") if b.isVisible()]
    # touch: no ring; keys: the summary's first link, or (no links within reach) 下一步 where it was
    assert window.focusWidget() in (None, *links[:1], *first, *stays)
    for entry in entries:                   # each problem's link (or paging) brings its field and message into sight
        key = entry.property("key")
        if isinstance(entry, QPushButton):
            entry.click()
            settle()
        else:                               # the accessible mode's list of words: the pages lead to it
            turn_to(window, key)
        field = answers(window, key)
        assert field and all(inside(w, window) for w in field), key
        assert window.size() == size, f"{key}: its page grew the window"
        block = field[0].parentWidget()
        while block.parentWidget() is not None and block.parentWidget().objectName() != "FormPages":
            block = block.parentWidget()
        messages = [w for w in block.findChildren(QLabel, "Problem") if w.isVisible()]
        assert messages and all(inside(w, window) for w in messages), key


KEYS_CASES = [("normal", (1920, 1080)), ("normal", (1366, 768)), ("normal", (1080, 1920)), ("large", (1080, 1920))]


@pytest.mark.parametrize("window", KEYS_CASES, indirect=True, ids=[f"{m}-{w}x{h}" for m, (w, h) in KEYS_CASES])
def test_a_failed_next_opens_the_keys_of_the_first_problem(window: MainWindow) -> None:
    """The cursor in the first problem's field (the mobile number) with the digits to put it right on the glass
    (review i, M2: an old person told to enter 11 digits looked for them), the summary still in sight."""
    from ui.widgets import Keypad

    session = fail_the_form(window, CRIMINAL_RECORD, None)
    assert next(iter(session.form_problems)) == "mobile"
    settle()
    [field] = answers(window, "mobile")
    assert window.focusWidget() is field
    [keypad] = [k for k in window.screen_widget.findChildren(Keypad) if k.isVisible()]
    assert inside(keypad, window) and inside(field, window)
    summary = window.screen_widget.findChild(QWidget, "ErrorSummary")
    assert summary is not None and summary.isVisible() and inside(summary, window)
