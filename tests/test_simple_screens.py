"""The accessibility mode's service list: one task a screen, at most four large choices a page."""
from __future__ import annotations

import pytest

from kiosk import browsing
from kiosk.catalog import Domain
from kiosk.session import State
from kiosk.voice import announcement
from tests.fixtures.kiosk import KioskUnderTest

pytestmark = pytest.mark.gui


def test_pages_never_run_past_either_end() -> None:
    place = browsing.Browsing()
    place.open("tax")
    place.turn(-1, 9)
    assert place.page == 0
    place.turn(1, 9)
    place.turn(1, 9)
    place.turn(1, 9)
    assert place.page == 2 and browsing.page_count(9) == 3
    assert list(browsing.on_page(list(range(9)), 2)) == [8]
    place.open(None)
    assert (place.category, place.page) == (None, 0)


def test_a_category_then_its_services_a_few_at_a_time(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    app.tap("Assist")
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    categories = app.buttons("Category")
    assert 1 < len(categories) <= browsing.PER_PAGE       # the first step: categories only, paged
    assert not app.buttons("Service") and not app.buttons("Domain")
    said = announcement(app.session, app.session.translator, False)
    assert str(browsing.PER_PAGE) in said

    domain = max(Domain, key=lambda d: len(app.session.catalog.by_domain(d)))
    while not app.buttons("Category", category=domain.value):
        app.tap("PageNext")
    app.tap("Category", category=domain.value)
    services = app.session.catalog.by_domain(domain)
    seen: set[str] = set()
    for _ in range(len(services)):          # one pager: the glass's pages of a few, then the next few
        shown = [b.property("code") for b in app.buttons("Service")]
        assert 0 < len(shown) <= browsing.PER_PAGE
        seen |= set(shown)
        if not any(b.isEnabled() for b in app.buttons("PageNext")):
            break
        app.tap("PageNext")
    assert len(app.buttons("PageNext")) <= 1                # one pager, never the screen's and the glass's
    assert seen == {s.code for s in services}            # every service reachable, none twice on a page
    app.tap("back")                                       # 换个类别: back to the categories, not out
    assert app.session.state is State.SERVICES and app.session.browsing.category is None
    app.tap("Category", category=app.buttons("Category")[0].property("category"))
    app.tap("Service", code=app.buttons("Service")[0].property("code"))
    app.wait_state(State.DETAIL)


def test_the_list_is_the_full_one_again_for_the_next_citizen(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    app.tap("Assist")
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("Category", category=Domain.TAX.value)
    app.tap("HeaderButton", role="home")
    app.wait_state(State.ATTRACT)
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    assert app.buttons("Domain") and not app.buttons("Category")      # the mode and the place are wiped
    assert app.session.browsing.category is None


def test_home_from_a_part_filled_form_asks_first_and_staying_loses_nothing(kiosk_app: KioskUnderTest) -> None:
    """首页 sits beside 帮办代办 in the header: one slip must not throw a half-filled form away. Asked first,
    staying is the primary way on and keeps every answer; leaving wipes the visit. Where nothing would be
    lost (the service list) it goes at once."""
    from tests.test_keyboard import to_the_form

    app = kiosk_app
    to_the_form(app, (1920, 1080))
    app.type_digits("mobile", "139")
    app.tap("HeaderButton", role="home")
    notice = app.window.help
    assert notice.isVisible() and notice.headline.text() == "要放弃本次办理吗？"
    assert notice.more.text() == "继续办理" and notice.home.text() == "放弃，回到首页"
    app.tap("Primary", notice="help")
    assert not notice.isVisible() and app.session.state is State.FORM
    assert app.field("mobile").text() == "139"
    app.tap("HeaderButton", role="home")
    app.tap("NoticeHome")
    app.wait_state(State.ATTRACT)
    assert app.session.form == {} and app.session.identity is None
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("HeaderButton", role="home")
    app.wait_state(State.ATTRACT)
    assert not notice.isVisible()
