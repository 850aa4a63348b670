"""Check your answers, 修改 and back, the step indicator and the privacy notice, through the real window."""
from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QWidget

from kiosk import idnumber
from kiosk.accessibility import Colours
from kiosk.session import State
from tests.fixtures.kiosk import KioskUnderTest, resident_card, sign_on_the_pad, walkable_service
from tests.test_end_to_end import walk_to_review
from ui.paging import Pages

pytestmark = pytest.mark.gui


def shown(app: KioskUnderTest) -> str:
    return "\n".join(w.text() for w in app.window.findChildren(QLabel) if w.isVisible())


def test_the_privacy_notice_is_on_the_glass_before_a_card_is_read(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    service = walkable_service(app.session.catalog)
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("Domain", domain=service.domain.value)
    app.tap("Service", code=service.code)
    app.wait_state(State.DETAIL)
    app.tap("Primary")
    app.wait_state(State.IDENTIFY)
    text = shown(app)
    assert "您的个人信息这样使用" in text and service.department.zh in text and "第 1 步，共" in text


def test_change_one_answer_and_come_back_to_review(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    walk_to_review(app)
    assert "第 4 步，共 4 步" in shown(app)                    # identify, form, sign, review
    assert shown(app).count(idnumber.mask(resident_card().id_number)) == 1      # the card's number once
    app.tap("Change", answer="mobile")
    app.wait_state(State.FORM)
    app.qtbot.waitUntil(lambda: app.window.focusWidget() is app.field("mobile"), timeout=5_000)   # that answer
    [back] = app.buttons("back")
    assert back.text() == "不修改，返回核对"
    app.field("mobile").setText("13800000000")
    app.tap("back")                                           # not changed after all: review as it was
    app.wait_state(State.REVIEW)
    assert "139 1234 5678" in shown(app) and app.session.signature is not None

    app.tap("Change", answer="mobile")
    app.wait_state(State.FORM)
    app.field("mobile").setText("13800000000")
    app.tap("Primary")                                        # 下一步: signed again, it covers what stands now
    app.wait_state(State.SIGN)
    sign_on_the_pad(app)
    app.tap("Primary")
    app.wait_state(State.REVIEW)
    assert "138 0000 0000" in shown(app) and "139 1234 5678" not in shown(app)   # grouped as printed
    app.tap("Primary")                                        # submit
    app.wait_state(State.RECEIPT)
    assert app.session.application.form["mobile"] == "13800000000"


def _luminance(colour: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def painted_contrast(widget: QWidget) -> float:
    """Contrast of the words inside a widget against what is behind them, read from its painted pixels:
    the commonest colour is the ground, the colour farthest from it in luminance the ink."""
    image = widget.grab().toImage()
    inside = widget.inside.geometry()                         # the words, not the tick box or the border
    counts: Counter[int] = Counter(image.pixel(x, y) for x in range(inside.left(), inside.right(), 2)
                                   for y in range(inside.top(), inside.bottom(), 2))
    ground = QColor(counts.most_common(1)[0][0])
    ink = max((QColor(rgb) for rgb, n in counts.items() if n > 3),
              key=lambda c: abs(_luminance(c) - _luminance(ground)))
    high, low = sorted((_luminance(ground), _luminance(ink)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_complaints_about_this_service_bar_is_legible_as_painted_in_every_mode(kiosk_app: KioskUnderTest) -> None:
    """Issue 12: painted white on yellow (1.3:1) in dark contrast, black on navy in light contrast."""
    app = kiosk_app
    service = walkable_service(app.session.catalog)
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("Domain", domain=service.domain.value)
    app.tap("Service", code=service.code)
    app.wait_state(State.DETAIL)
    app.tap("Complain")
    app.wait_state(State.COMPLAINT)
    controller = app.kiosk.controller
    for colours, least in ((Colours.NORMAL, 4.5), (Colours.LIGHT, 7.0), (Colours.DARK, 7.0)):
        controller.set_profile(app.session.profile.toggled(colours=colours))
        [about] = app.buttons("AboutService")
        assert about.isChecked()
        assert painted_contrast(about) >= least, colours


def test_in_the_accessible_mode_review_pages_instead_of_scrolling(kiosk_app: KioskUnderTest) -> None:
    from PySide6.QtWidgets import QScrollArea

    from kiosk.application import PNG_MAGIC
    from kiosk.session import Event

    app, session = kiosk_app, kiosk_app.session
    app.kiosk.controller.set_profile(session.profile.with_assisted(True).toggled(text_size=4))
    service = walkable_service(session.catalog)
    session.fire(Event.START)
    session.choose_service(service.code)
    session.fire(Event.APPLY)
    session.identified(resident_card())
    choices = {f.key: f.choices[0].zh for f in service.fields if f.choices}
    session.submit_form({**session.form, **choices, "mobile": "13912345678"})
    session.signed(PNG_MAGIC + b"drawn")
    assert session.state is State.REVIEW
    app.kiosk.controller.changed.emit()
    def paged() -> bool:                                    # "page 1 of n", in the footer
        where = app.window.screen_widget.findChild(QLabel, "PageWhere")
        return where is not None and where.isVisible()

    app.qtbot.waitUntil(paged, timeout=5_000)
    assert not [a for a in app.window.screen_widget.findChildren(QScrollArea) if a.isVisible()]
    assert not app.buttons("PageNext")                     # one way on: the footer's 继续, no second pager
    [pages] = app.window.screen_widget.findChildren(Pages)
    seen: set[str] = set()
    while True:
        seen |= {b.property("answer") for b in app.buttons("Change")}
        if pages.page == len(pages.pages) - 1:
            break
        assert app.buttons("Primary")[0].text() == session.translator.t("access.onward")
        app.tap("Primary")
    assert {"mobile", "sign"} <= seen                          # every answer's 修改 reached, page by page
    app.tap("back")                                            # 上一页 turns back a page, not out of review
    assert session.state is State.REVIEW and pages.page == len(pages.pages) - 2
