"""The service guide (办事指南) over the whole bundled catalog: it promises only what the item offers."""
from __future__ import annotations

import datetime as dt

import pytest

from kiosk import catalog, guide
from kiosk.catalog import Service
from kiosk.i18n import Translator

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
