"""The service guide (办事指南) over the whole bundled catalog: it promises only what the item offers."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from importlib import resources
from typing import TYPE_CHECKING

import pytest

from kiosk import catalog, guide, hours
from kiosk.catalog import ItemType, Scope, Service, Source
from kiosk.i18n import Translator

if TYPE_CHECKING:
    from kiosk.session import Session
    from ui.bridge import Bridge
    from ui.mainwindow import MainWindow

NOW = dt.datetime(2026, 11, 2, 10, 0)
SERVICES = catalog.load().services


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_guide_offers_the_commitment_only_where_the_item_does(language: str) -> None:
    """可告知承诺 on the screen and on paper exactly where the commitment step is really shown (art. 18:
    high-risk items that list notify_commit still ask for every material)."""
    tr = Translator(language)
    offered = tr.t("detail.notify_commit")
    wrong = []
    for service in SERVICES:
        on_screen = "detail.notify_commit" in guide.flags(service)
        on_paper = offered in guide.compose(service, tr, "XY-TEST-01", NOW).text()
        if on_screen != service.offers_commitment or on_paper != service.offers_commitment:
            wrong.append(service.code)
    assert wrong == []


def test_the_catalog_holds_a_high_risk_item_that_lists_the_commitment() -> None:
    """The case the promise is about is in the catalog, so the test above checks it."""
    refusing: list[Service] = [s for s in SERVICES if s.notify_commit and s.high_risk]
    assert refusing and not any(s.offers_commitment for s in refusing)
    assert any(s.offers_commitment for s in SERVICES)


# -- the complete guide (GB/T 39046 elements) ----------------------------------------------------------------

def test_every_item_carries_every_guide_element() -> None:
    """The schema's promise on the bundled catalog: each item has each element, and each material its own."""
    assert {s.code: catalog.guide_gaps(s) for s in SERVICES if catalog.guide_gaps(s)} == {}


def test_the_catalog_offers_what_a_real_kiosk_does() -> None:
    names = " ".join(s.name.zh for s in SERVICES)
    assert len(SERVICES) >= 50
    for wanted in ("社会保障卡挂失", "社会保障卡补换", "驾驶证期满换证", "签注", "户籍证明", "居住证", "营业执照打印",
                   "水费", "燃气"):
        assert wanted in names, wanted
    assert {s.guide.item_type for s in SERVICES} >= {ItemType.LICENSING, ItemType.CONFIRMATION, ItemType.PAYMENT,
                                                       ItemType.PUBLIC_SERVICE}
    assert {s.guide.scope for s in SERVICES} == set(Scope)
    assert {c.county for s in SERVICES for c in s.guide.counties} == set(catalog.COUNTIES)


def test_unchecked_facts_say_so_on_screen_and_paper() -> None:
    """Demo data is never presented as real: every guide names itself as such, in both languages."""
    for language in ("zh_CN", "en"):
        tr = Translator(language)
        for service in SERVICES:
            assert service.guide.demo and service.guide.version
            assert tr.t("guide.demo") in guide.compose(service, tr, "XY-TEST-01", NOW).text(), service.code
            shown = [value for section in guide.sections(service, tr) for _, value in section.pairs]
            assert tr.t("guide.demo") in shown, service.code


def test_the_printed_guide_tells_every_element_of_an_item() -> None:
    tr = Translator("zh_CN")
    service = next(s for s in SERVICES if "驾驶证期满换证" in s.name.zh)
    text = guide.compose(service, tr, "XY-TEST-01", NOW).text().replace("\n", "")
    g = service.guide
    expected = [g.statutory_limit.zh, "1 个工作日", g.fee_basis.zh, g.payment.zh, g.place.zh,
                hours.hall_opening(g.hall, tr) if g.hall else "-", hours.hall_place(g.hall, tr) if g.hall else "-",
                g.consult_phone, g.complaint_phone, g.result.zh,
                "行政许可",
                "跨省通办", "窗口自取", "邮寄送达", "电子证照", "到现场次数", g.version, service.conditions.zh, "新县"]
    expected += [step.name.zh for step in g.steps] + [step.duration.zh for step in g.steps]
    for material in service.materials:
        expected += [material.spec.zh, material.instructions.zh, "政府部门核发" if material.source is Source.ISSUED
                     else "", material.blank_form.zh, material.sample.zh]
    assert [value for value in expected if value not in text] == []
    assert "法定时限" in text and "承诺时限" in text         # the two limits, each under its own name


def test_the_english_guide_is_english_throughout() -> None:
    """Every element of every item in English, the counties by their English names."""
    tr = Translator("en")
    chinese = [(s.code, line) for s in SERVICES for line in guide.compose(s, tr, "XY-TEST-01", NOW).text().splitlines()
               if any("\u4e00" <= c <= "\u9fff" for c in line)]
    assert chinese == []
    licence = next(s for s in SERVICES if "驾驶证期满换证" in s.name.zh)
    assert "Xin County" in guide.compose(licence, tr, "XY-TEST-01", NOW).text()


def test_an_element_left_out_is_named_and_never_shown_blank() -> None:
    service = next(s for s in SERVICES if s.materials)
    bare = (catalog.Material(catalog.Localized("照片")),)
    stripped = dataclasses.replace(service, guide=catalog.Guide(), materials=bare)
    assert catalog.guide_gaps(stripped) == [*catalog.GUIDE_ELEMENTS, *(f"materials[0].{name}"
                                                                      for name in catalog.MATERIAL_ELEMENTS)]
    tr = Translator("zh_CN")
    assert all(value for section in guide.sections(stripped, tr) for _, value in section.pairs)
    assert "事项类型" not in guide.compose(stripped, tr, "XY-TEST-01", NOW).text()


@pytest.mark.parametrize(("path", "value", "named"), [
    (("guide", "item_type"), "administrative", "ItemType"),
    (("guide", "scope"), "worldwide", "Scope"),
    (("guide", "counties"), [{"county": "郑州市", "scope": "city"}], "county"),
    (("guide", "visits"), 9, "visits"),
    (("guide", "hall"), "NOWHERE", "none of the catalog's halls"),
    (("materials", 0, "medium"), "papyrus", "Medium"),
])
def test_a_malformed_element_is_refused_naming_the_item(path: tuple[object, ...], value: object, named: str) -> None:
    document = json.loads(resources.files("kiosk").joinpath("data/catalog.json").read_text(encoding="utf-8"))
    item = document["services"][0]
    target = item
    for step in path[:-1]:
        target = target[step]  # type: ignore[index]
    target[path[-1]] = value  # type: ignore[index]
    with pytest.raises(catalog.CatalogError, match=item["code"]) as refused:
        catalog.parse(document)
    assert named in str(refused.value)


def guide_window(qtbot, size: tuple[int, int]) -> tuple[MainWindow, Session, Bridge]:
    """A kiosk window at size on the start screen's session (Chinese, the test clock); returns it, its session
    and its bridge (to shut down)."""
    from kiosk.session import Session
    from kiosk.workdays import Calendar
    from ui.bridge import Bridge
    from ui.controller import Controller
    from ui.mainwindow import MainWindow

    session = Session(catalog.load(), Calendar(frozenset(), frozenset()), "XY-TEST-01", "zh_CN", clock=lambda: NOW)
    bridge = Bridge()
    window = MainWindow(Controller(session, None, None, bridge), 120, 20, lock_close=False)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    return window, session, bridge


@pytest.mark.gui
@pytest.mark.parametrize("assisted", [False, True], ids=["scrolled", "paged"])
def test_the_guide_screen_shows_the_elements_and_promises_no_commitment_it_refuses(qtbot, assisted: bool) -> None:
    """On the real detail screen: a high-risk item shows its elements and the demo note, never 可告知承诺; in
    the accessible mode the same lines are all there, on pages."""
    from PySide6.QtWidgets import QLabel

    refusing = next(s for s in SERVICES if s.notify_commit and s.high_risk)
    window, session, bridge = guide_window(qtbot, (1366, 768))
    controller = window.controller
    controller.start()
    if assisted:
        controller.toggle_assisted()
    controller.choose_service(refusing.code)
    qtbot.waitUntil(lambda: not window.after_paint.waiting(), timeout=5000)    # the cards below the window's foot
    tr = session.translator
    if assisted:        # in short first: the whole guide when asked for (review h, M6)
        assert tr.t("detail.materials") not in [w.text() for w in window.findChildren(QLabel)]
        controller.whole_guide()
    texts = "\n".join(w.text() for w in window.findChildren(QLabel))   # every page's lines, shown or not
    for value in (refusing.guide.statutory_limit.zh, refusing.guide.fee_basis.zh, refusing.guide.place.zh,
                  refusing.guide.steps[-1].duration.zh, tr.t("guide.demo"), *map(tr.t, guide.flags(refusing))):
        assert value in texts, value
    assert tr.t("detail.notify_commit") not in texts
    bridge.shutdown()


@pytest.mark.gui
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_guide_says_the_kiosks_hours_from_the_configuration_and_the_halls_apart(qtbot, language: str) -> None:
    """Review of 03-detail: 办理时间：工作日 08:30–17:30 on a 24-hour kiosk read as "this kiosk is closed now". On
    the real detail screen the kiosk's hours for the service (the catalog's as this kiosk's configuration sets
    them: service_hours) and the hall windows' (the guide's hall's; else the configured alternative_hall's) are two
    lines, each named as whose they are, written by kiosk/hours.py; so is the paper."""
    from PySide6.QtWidgets import QLabel

    from kiosk import local_services
    from kiosk.session import Session
    from kiosk.workdays import Calendar
    from ui.bridge import Bridge
    from ui.controller import Controller
    from ui.mainwindow import MainWindow

    weekdays = next(s for s in SERVICES if s.hours.weekdays_only and s.guide.hall is not None)
    unlisted = dataclasses.replace(weekdays, code="NO-HALL-HOURS", guide=dataclasses.replace(weekdays.guide, hall=None))
    offered = local_services.restrict(catalog.Catalog("test", (weekdays, unlisted)), "",
                                      f"*=-, {unlisted.code}=07:00-22:00")      # as a kiosk's config.toml says
    session = Session(offered, Calendar(frozenset(), frozenset()), "XY-TEST-01", language, clock=lambda: NOW)
    bridge = Bridge()
    configured_hall = catalog.Hall("TEST", catalog.Localized("测试大厅", "Test hall"), catalog.Localized(""),
                                   (catalog.Hours(dt.time(9), dt.time(17)),))       # every day: told apart
    window = MainWindow(Controller(session, None, None, bridge, alternative_hall=configured_hall), 120, 20,
                        lock_close=False)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    tr = session.translator

    def lines(code: str) -> list[str]:
        window.controller.home()
        window.controller.start()
        window.controller.choose_service(code)
        return [w.text() for w in window.findChildren(QLabel) if w.isVisibleTo(window)]

    def pair(key: str, value: str) -> str:
        return tr.t("common.pair", label=tr.t(key), value=value)

    shown = lines(weekdays.code)
    assert weekdays.guide.hall is not None
    hall = hours.hall_opening(weekdays.guide.hall, tr)
    assert pair("detail.hours", tr.t("hours.always")) in shown               # configured: around the clock
    assert pair("guide.el.hall_hours", hall) in shown
    assert hall.startswith(("法定工作日 08:30–12:00、14:30–17:30（夏季", "Working days 08:30–12:00 and 14:30–17:30 ("))
    assert "24" not in hall and "本终端" not in hall and "kiosk" not in hall                # the hall's alone
    paper = guide.compose(offered.get(weekdays.code), tr, "XY-TEST-01", NOW, configured_hall).text()
    assert pair("detail.hours", tr.t("hours.always")) in paper and pair("guide.el.hall_hours", hall) in paper

    shown = lines(unlisted.code)
    assert pair("detail.hours", tr.t("hours.range", opens="07:00", closes="22:00")) in shown
    assert pair("guide.el.hall_hours", hours.hall_opening(configured_hall, tr)) in shown    # no hall: the config's
    bridge.shutdown()


@pytest.mark.gui
def test_the_accessible_guide_opens_on_the_guide_in_short(qtbot) -> None:
    """Paged, the guide ran to 11-35 pages: its first page now says what you get, how long, what it costs and
    what to bring; the whole guide when asked for, so its pages are counted in one or two, not 23-35 (review h,
    M6); back from it, by the screen or the keypad, is the guide in short."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel, QPushButton

    from kiosk.session import State
    from ui.paging import Pages

    def shown_now(window) -> list[str]:
        return [w.text() for w in window.screen_widget.findChildren(QLabel) if w.isVisible()]

    service = next(s for s in SERVICES if len(s.materials) >= 2 and s.guide.result.zh)
    window, session, bridge = guide_window(qtbot, (1920, 1080))
    window.controller.start()
    window.controller.toggle_assisted()
    window.controller.choose_service(service.code)
    tr = session.translator
    shown = [w.text() for w in window.screen_widget.findChildren(QLabel) if w.isVisible()]
    assert tr.t("guide.section.summary") in shown
    bring = tr.t("common.pair", label=tr.t("guide.summary_bring"),
                 value=tr.t("common.list_separator").join(m.name.zh for m in service.materials))
    assert bring in shown and any(service.guide.result.zh in line for line in shown)
    assert tr.t("detail.materials") not in [w.text() for w in window.findChildren(QLabel)]    # not on any page
    [pages] = [p for p in window.screen_widget.findChildren(Pages) if p.isVisible()]
    in_short = len(pages.pages)
    assert in_short <= 2                                    # was 11-35 pages: the whole guide (review h, M6)
    [whole] = [b for b in window.screen_widget.findChildren(QPushButton, "WholeGuide") if b.isVisible()]
    qtbot.mouseClick(whole, Qt.LeftButton)                  # 阅读完整办事指南: the whole guide, paged, from page 1
    [pages] = [p for p in window.screen_widget.findChildren(Pages) if p.isVisible()]
    assert len(pages.pages) > in_short and pages.page == 0 and tr.t("guide.section.summary") not in shown_now(window)
    [back] = [b for b in window.screen_widget.findChildren(QPushButton, "back") if b.isVisible()]
    assert back.text() == tr.t("guide.back_to_short")
    qtbot.mouseClick(back, Qt.LeftButton)                   # back to the guide in short, still on the guide
    assert session.state is State.DETAIL and tr.t("guide.section.summary") in shown_now(window)
    window.controller.whole_guide()
    window.navigator.press("back")                          # the tactile keypad's back key: the same
    assert session.state is State.DETAIL and tr.t("guide.section.summary") in shown_now(window)
    window.controller.whole_guide()
    window.controller.apply()                               # gone from the guide, it opens in short again
    assert session.state is not State.DETAIL
    window.controller.back()
    assert tr.t("guide.section.summary") in shown_now(window)
    window.controller.toggle_assisted()                     # scrolled, the whole guide is there at once, under
    qtbot.waitUntil(lambda: not session.profile.assisted, timeout=5000)     # the same few lines (review k, M9)
    words = [w.text() for w in window.screen_widget.findChildren(QLabel)]
    assert tr.t("guide.section.summary") in words and tr.t("detail.materials") in words
    bridge.shutdown()


@pytest.mark.gui
@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1366, 768)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_guide_below_the_windows_foot_is_made_once_the_screen_is_drawn(qtbot, size: tuple[int, int]) -> None:
    """A whole guide is ~70 widgets: the cards below the window's foot are made after the screen's first paint
    (bench.transitions: the guide was the slowest screen to come up). At that paint the cards made already reach
    past the foot of the guide's pane, in both languages, at the smallest and the largest text, for the longest
    guides: nothing made later could have been in sight. Once drawn, every section is there, in order."""
    from PySide6.QtCore import QEvent, QObject, QPoint
    from PySide6.QtWidgets import QApplication, QFrame, QLabel, QScrollArea, QWidget

    from kiosk.accessibility import Profile

    class FirstPaint(QObject):
        """At the screen's first paint: the guide's cards made, and whether the last reaches past its pane."""
        def __init__(self) -> None:
            super().__init__()
            self.made: list[str] | None = None
            self.past_foot = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint and self.made is None and watched is window.screen_widget:
                self.made = headings(watched)
                [pane] = [a for a in watched.findChildren(QScrollArea) if a.isVisible()]
                last = cards(watched)[-1]
                self.past_foot = last.mapTo(pane.viewport(), QPoint(0, last.height())).y() >= pane.viewport().height()
            return False

    def cards(screen: QWidget) -> list[QFrame]:
        return [c for c in screen.findChildren(QFrame, "Card")
                if c.findChild(QLabel, "Heading") is not None and c.isVisible()]

    def headings(screen: QWidget) -> list[str]:
        return [c.findChild(QLabel, "Heading").text() for c in cards(screen)]

    longest = sorted(SERVICES, key=lambda s: -len(guide.compose(s, Translator("en"), "XY-TEST-01", NOW).text()))[:2]
    window, session, bridge = guide_window(qtbot, size)
    deferred = 0
    for language in ("zh_CN", "en"):
        for text_size in (1, 4):
            for service in longest:
                window.controller.set_language(language)
                window.controller.set_profile(Profile(text_size=text_size))
                window.controller.start()
                watch = FirstPaint()      # of the screen shown then: the centre's check may build the guide anew
                QApplication.instance().installEventFilter(watch)
                window.controller.choose_service(service.code)
                qtbot.waitUntil(lambda w=watch: w.made is not None, timeout=5000)
                QApplication.instance().removeEventFilter(watch)
                tr = session.translator
                whole = [tr.t("guide.section.summary"), *(tr.t("detail.materials") if s is None else s.heading
                                                          for s in guide.around_materials(guide.sections(service, tr)))]
                qtbot.waitUntil(lambda w=whole: headings(window.screen_widget) == w, timeout=5000)
                made = watch.made
                assert made == whole[:len(made)]
                if len(made) < len(whole):
                    assert watch.past_foot, (language, text_size, service.code, made)
                    deferred += len(whole) - len(made)
                window.controller.home()
    assert deferred > 0         # below the foot: made after the paint, at every size
    bridge.shutdown()


@pytest.mark.gui
def test_a_finger_drags_each_guide_and_the_kiosk_keeps_one_kind_of_drag(qtbot) -> None:
    """The guide is longer than the glass: a finger's drag scrolls it, guide after guide. Each scroll area grabbed its
    own gesture type, and PySide keeps every new type number for good: one kind of drag serves them all."""
    import gc

    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QScrollArea

    window, _, bridge = guide_window(qtbot, (1920, 1080))
    kinds = []
    for service in SERVICES[:3]:
        window.controller.home()
        window.controller.start()
        window.controller.choose_service(service.code)
        qtbot.wait(200)         # no centre here: its check's answer builds the guide anew, with its way out
        qtbot.waitUntil(lambda: any(a.property("flicks") for a in window.findChildren(QScrollArea) if a.isVisible()),
                        timeout=5000)
        [pane] = [a for a in window.findChildren(QScrollArea) if a.isVisible()]
        viewport = pane.viewport()
        QTest.mousePress(viewport, Qt.LeftButton, Qt.NoModifier, QPoint(400, 600))
        for step in range(1, 16):
            QTest.mouseMove(viewport, QPoint(400, 600 - 20 * step))
            qtbot.wait(10)
        QTest.mouseRelease(viewport, Qt.LeftButton, Qt.NoModifier, QPoint(400, 300))
        qtbot.waitUntil(lambda p=pane: p.verticalScrollBar().value() >= 200, timeout=5000)    # dragged 300 px up
        kinds.append(sum(isinstance(o, Qt.GestureType) for o in gc.get_objects()))
    assert kinds[0] == kinds[-1], kinds
    bridge.shutdown()
