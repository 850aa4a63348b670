"""The operators' fleet view in a real headless Chromium, against a real case store and signed heartbeats.

Debian's chromium and chromium-driver come from scripts/install; selenium is pointed at both binaries
so it never looks for, or downloads, a browser of its own.
"""
from __future__ import annotations

import base64
import datetime as dt
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests
import uvicorn
from fastapi import FastAPI
from hypothesis import given, settings
from hypothesis import strategies as st
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from sqlalchemy.orm import sessionmaker

from kiosk import config as kiosk_config
from kiosk.storage import open_database
from sync.casestore import fleet, operators
from sync.casestore.db import make_engine
from sync.outbox import Outbox
from sync.worker import worker_for
from tests.fixtures.casestore import CaseStoreServer
from tests.fixtures.common import free_port, wait_until
from tests.fixtures.core import make_application

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
HOSTILE = '<img src=x onerror="document.title=1">XY-EVIL</td>'
PAPER_OUT = {"device": "printer", "state": "fault", "detail": "printer.paper_out"}
IDCARD_OK = {"device": "idcard", "state": "ok", "detail": ""}


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[webdriver.Chrome]:
    monkeypatch.setenv("SE_OFFLINE", "true")        # Selenium Manager must not reach out for anything
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,800", "--lang=zh-CN"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


class Clock:
    """The fleet page's now: the real time, moved on by a test instead of waiting."""

    def __init__(self) -> None:
        self.ahead = dt.timedelta(0)

    def __call__(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.ahead


@pytest.fixture
def fleet_page(casestore: CaseStoreServer) -> Iterator[tuple[str, Clock]]:
    """The fleet page over the case store's database, served in this process on a clock the test moves
    (the case store itself, a process of its own, keeps receiving the heartbeats)."""
    clock, engine = Clock(), make_engine(casestore.db_url)
    app = FastAPI()
    fleet.register(app, sessionmaker(engine, expire_on_commit=False), clock=clock)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, name="fleet-page")
    thread.start()
    try:
        wait_until(lambda: server.started, timeout=30)
        yield f"http://127.0.0.1:{server.config.port}", clock
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        engine.dispose()


def beat(casestore: CaseStoreServer, kiosk_id: str, interval_s: float, devices: list[dict]) -> None:
    """A signed heartbeat as a kiosk of another release might send it, through the kiosks' own client."""
    casestore.client(kiosk_id).heartbeat({
        "at": dt.datetime.now(dt.UTC).isoformat(), "sync_state": "offline",
        "queue": {"pending": 0, "dead": 0, "delivered": 4, "oldest_pending_age_s": None},
        "devices": devices, "version": "0.0.9", "interval_s": interval_s})


@pytest.mark.slow                  # a headless Chromium
def test_the_fleet_view_shows_every_kiosk_and_marks_the_silent_one(
        browser: webdriver.Chrome, casestore: CaseStoreServer, fleet_page: tuple[str, Clock], tmp_path: Path) -> None:
    page_url, clock = fleet_page
    token = operators.create(casestore.db_url, "duty-officer")
    beat(casestore, "XY-QUIET-02", 0.2, [IDCARD_OK])       # says it beats every 0.2 s, then says nothing
    config = kiosk_config.load(None, {}, data_dir=tmp_path / "kiosk", centre_url=casestore.url,
                               kiosk_id="XY-BANK-01", credential=casestore.enrol("XY-BANK-01"),
                               centre_public_key=casestore.centre_public_key)
    worker = worker_for(config, Outbox(open_database(config.database_path), config.kiosk_id),
                        device_health=lambda: [PAPER_OUT, IDCARD_OK])
    worker.outbox.submit(make_application())
    worker.heartbeat()                                      # the real kiosk heartbeat, with its alert
    worker.client.close()
    beat(casestore, HOSTILE, 30, [])
    clock.ahead = dt.timedelta(seconds=3 * 0.2 + 0.3)      # XY-QUIET-02 is three of its beats late, the others not

    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {
        "Authorization": "Basic " + base64.b64encode(f"duty-officer:{token}".encode()).decode()}})
    browser.get(f"{page_url}/fleet")
    rows = {row.get_attribute("data-kiosk"): row for row in browser.find_elements(By.CSS_SELECTOR, "#fleet tbody tr")}

    assert set(rows) == {"XY-QUIET-02", "XY-BANK-01", HOSTILE}
    quiet, bank, hostile = rows["XY-QUIET-02"], rows["XY-BANK-01"], rows[HOSTILE]
    assert "silent" in quiet.get_attribute("class").split()
    assert "失联" in quiet.find_element(By.CSS_SELECTOR, ".last-heartbeat").text
    background = {name: row.find_element(By.CSS_SELECTOR, ".kiosk-id").value_of_css_property("background-color")
                  for name, row in rows.items()}
    assert background["XY-QUIET-02"] == "rgba(253, 226, 226, 1)"       # highlighted as silent
    assert len(set(background.values())) == 3                           # silent, alerting, fine: each its own
    assert "silent" not in bank.get_attribute("class").split() and "alerting" in bank.get_attribute("class")
    assert bank.find_element(By.CSS_SELECTOR, ".paper").text == "缺纸"
    assert bank.find_element(By.CSS_SELECTOR, ".sync").text == "正常"
    assert quiet.find_element(By.CSS_SELECTOR, ".sync").text == "离线"
    assert bank.find_element(By.CSS_SELECTOR, ".queue").text == "1 / 0"
    assert bank.find_element(By.CSS_SELECTOR, ".version").text == worker_version()
    [alert] = bank.find_elements(By.CSS_SELECTOR, ".alerts li")
    assert alert.get_attribute("data-code") == "printer.paper_out" and "打印机缺纸" in alert.text
    # the hostile name is text, in its own cell: no element made from it, no script run
    assert hostile.find_element(By.CSS_SELECTOR, ".kiosk-id").text == HOSTILE
    assert browser.find_elements(By.TAG_NAME, "img") == []
    assert browser.title == "自助终端运行总览"
    assert list(rows) == ["XY-QUIET-02", "XY-BANK-01", HOSTILE]   # silent first, then those with alerts
    assert browser.find_element(By.CSS_SELECTOR, 'meta[http-equiv="refresh"]').get_attribute("content") == "15"
    shot = tmp_path / "fleet.png"
    assert browser.save_screenshot(str(shot)) and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    browser.get(f"{page_url}/fleet?lang=en")
    assert browser.title == "Kiosk fleet"
    assert "silent" in browser.find_element(By.CSS_SELECTOR, 'tr.silent .last-heartbeat').text


def worker_version() -> str:
    from sync.worker import VERSION
    return VERSION


def test_only_an_operators_credential_opens_the_fleet_view(casestore: CaseStoreServer) -> None:
    token = operators.create(casestore.db_url, "duty-officer")
    kiosk_credential = casestore.enrol("XY-BANK-01")
    url = f"{casestore.url}/fleet"

    assert requests.get(url, timeout=5).status_code == 401
    assert requests.get(url, auth=("XY-BANK-01", kiosk_credential), timeout=5).status_code == 401
    assert requests.get(url, auth=("duty-officer", kiosk_credential), timeout=5).status_code == 401
    assert requests.get(url, auth=("someone", token), timeout=5).status_code == 401
    answer = requests.get(url, auth=("duty-officer", token), timeout=5)
    assert answer.status_code == 200 and "XY-BANK-01" in answer.text
    assert answer.headers["Content-Security-Policy"].startswith("default-src 'none'")
    refused = requests.get(url, timeout=5)
    assert refused.headers["WWW-Authenticate"].startswith("Basic")
    # a new token for the same name replaces the old one at once
    operators.create(casestore.db_url, "duty-officer")
    assert requests.get(url, auth=("duty-officer", token), timeout=5).status_code == 401


def test_a_kiosk_is_silent_after_the_configured_number_of_its_own_intervals() -> None:
    now = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)
    seen = now - dt.timedelta(seconds=100)
    assert fleet.is_silent(seen, None, now, 3)             # the default 30 s interval: late after 90 s
    assert not fleet.is_silent(seen, None, now, 4)
    assert not fleet.is_silent(seen, 60, now, 3)           # a kiosk beating every minute is not late yet
    assert fleet.is_silent(None, 30, now, 3)               # enrolled, never heard from


def test_operator_names_are_plain(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="NAME"):
        operators.create(f"sqlite:///{tmp_path / 'c.db'}", "duty officer<")


class _Cells(HTMLParser):
    """Collects each tag opened and the text of td.kiosk-id and of the alert items."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.kiosk_ids: list[str] = []
        self.details: list[str] = []
        self._into: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._into = self.kiosk_ids if ("class", "kiosk-id") in attrs else self.details if tag == "code" else None
        if self._into is not None:
            self._into.append("")

    def handle_endtag(self, tag: str) -> None:
        self._into = None

    def handle_data(self, data: str) -> None:
        if self._into is not None:
            self._into[-1] += data


@given(name=st.text(min_size=1, max_size=128), code=st.text(min_size=1, max_size=64),
       device=st.text(max_size=32), state=st.text(max_size=16))
@settings(max_examples=200, deadline=None)
def test_whatever_a_kiosk_reports_comes_back_as_text_never_markup(name: str, code: str, device: str,
                                                                 state: str) -> None:
    now = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)
    report = {"sync_state": state, "version": name, "queue": {"pending": 1, "dead": 0},
              "devices": [{"device": device, "state": state, "detail": name}],
              "alerts": [{"code": code, "severity": "fault", "device": device, "detail": name}]}
    page = fleet.Page("en", now, 3, 15).render([fleet.KioskView(name, now, report, False)])
    parsed = _Cells()
    parsed.feed(page)
    assert parsed.kiosk_ids == [name] and parsed.details == [code]
    assert set(parsed.tags) <= {"html", "head", "meta", "title", "style", "body", "h1", "p", "a", "table", "thead",
                                "tbody", "tr", "th", "td", "ul", "li", "span", "code"}
