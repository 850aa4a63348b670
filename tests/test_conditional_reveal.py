"""GOV.UK's conditional reveal on the real form: the postal address is asked only once 邮寄送达 is chosen, goes
again with 到受理派出所领取, and is then neither a problem, nor sent, nor reviewed."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from kiosk import application, catalog, review, workdays
from kiosk.i18n import Translator
from kiosk.session import Event, Session, State
from tests.test_form_fits import NoStore, _bridge, settle
from tooling.samples import CLOCK, sample_identity
from tooling.screenshots import PROFILES
from ui.access import Access
from ui.controller import Controller
from ui.mainwindow import MainWindow
from ui.paging import Pages

pytestmark = pytest.mark.gui

ID_CARD = "1141150041700231981000117002000"      # 居民身份证补领、换领申请: pickup or post, then an address


@pytest.fixture
def form(qtbot, request) -> Iterator[MainWindow]:
    """The ID card's form in a real window, in the profile named by the test's parameter."""
    session = Session(catalog.load(), workdays.load(), "XY-DEMO-01", "zh_CN", PROFILES[request.param],
                      clock=lambda: CLOCK)
    window = MainWindow(Controller(session, NoStore(), None, _bridge()), 120, 20, lock_close=False, access=Access())
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    session.fire(Event.START)
    session.choose_service(ID_CARD)
    session.fire(Event.APPLY)
    session.identified(sample_identity())
    window.render()
    settle()
    yield window
    window.close()


def tap(window: MainWindow, name: str) -> None:
    [found] = [b for b in window.findChildren(QPushButton, name) if b.isVisible()]
    found.click()
    settle()


@pytest.mark.parametrize("form", ["normal"], indirect=True)
def test_the_address_shows_under_the_choice_of_post_only(form: MainWindow) -> None:
    address = form.findChild(QLineEdit, "field_address")
    assert address is not None and not address.isVisible()            # nothing chosen yet: not asked
    tap(form, "choice_delivery_1")                                       # 邮寄送达
    assert address.isVisible()
    post = form.findChild(QPushButton, "choice_delivery_1")
    assert address.mapTo(form, QPoint(0, 0)).y() > post.mapTo(form, QPoint(0, post.height())).y()
    address.setText("浉河区民权路1号")
    tap(form, "choice_delivery_0")                                       # 到受理派出所领取
    assert not address.isVisible()
    form.session.edit_field("mobile", "13812345678")
    tap(form, "choice_reason_0")
    tap(form, "Primary")                                                 # 下一步
    session = form.session
    assert session.state is not State.FORM and not session.form_problems
    assert "address" not in session.form                                 # not sent
    assert "address" not in {row.key for row in review.rows(session, Translator("zh_CN"))}


@pytest.mark.parametrize("form", ["assisted"], indirect=True)
def test_a_question_a_page_counts_the_address_only_once_post_is_chosen(form: MainWindow) -> None:
    [pages] = [p for p in form.findChildren(Pages) if p.isVisible()]
    asked = len(pages.pages)
    shown = {w.text() for w in form.findChildren(QLabel) if w.isVisible()}
    # one place says where: the step and the question in it (review h m3, i minor 9)
    assert f"第 2 步，共 4 步 · 第 1 题，共 {asked} 题" in shown
    while not form.findChild(QPushButton, "choice_delivery_1").isVisible():
        tap(form, "Primary")                                             # 继续 to the question of delivery
    tap(form, "choice_delivery_1")
    assert len(pages.pages) == asked + 1
    tap(form, "Primary")                                                 # 继续: the address, the page after
    assert form.findChild(QLineEdit, "field_address").isVisible()


def test_a_required_question_left_out_never_blocks_the_form() -> None:
    service = next(s for s in catalog.load().services if s.code == ID_CARD)
    required = dataclasses.replace(service, fields=tuple(
        dataclasses.replace(f, required=True) if f.key == "address" else f for f in service.fields))
    answers = {"id_number": sample_identity().id_number, "mobile": "13812345678", "reason": "丢失",
               "delivery": "到受理派出所领取", "address": ""}
    assert "address" not in application.validate(required, answers)
    assert "address" in application.validate(required, {**answers, "delivery": "邮寄送达"})
    assert "address" not in application.normalized(required, {**answers, "address": "浉河区民权路1号"})
