"""Several identities, 代为办理 and 一件事一次办 through the real widgets, to the real case store.

The ID-card reader and the code scanner are simulators speaking their real bytes over ptys; the
e-credentials are signed with a key the kiosk knows only the public half of.
"""
from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtWidgets import QPushButton

from devices.idcard.reader import _ABSENT_POLLS_FOR_REMOVAL
from devices.idcard.simulator import demo_cards
from devices.mrz import check_digit
from kiosk import ecredential
from kiosk.catalog import Input
from kiosk.i18n import Translator
from kiosk.identity import CardType
from kiosk.session import State
from tests.fixtures.common import wait_until
from tests.fixtures.kiosk import KioskUnderTest, resident_card, sign_on_the_pad
from tooling.samples import sample_identity

pytestmark = pytest.mark.gui

PROXY_SERVICE = "11411500MB1C29607K1000117085000"     # 跨省异地就医备案: proxy allowed, passports taken
KEY = Ed25519PrivateKey.generate()


@pytest.fixture
def kiosk_overrides(serial_scanner_simulator) -> dict[str, object]:
    return {"scanner": f"serial://{serial_scanner_simulator.port}?suffix=cr",
            "ecredential_public_keys": ecredential.public_key_text(KEY.public_key())}


def open_service(app: KioskUnderTest, code: str) -> None:
    service = app.session.catalog.get(code)
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("Domain", domain=service.domain.value)
    app.tap("Service", code=code)
    app.wait_state(State.DETAIL)


def fill_and_review(app: KioskUnderTest, mobile: str = "13912345678") -> None:
    """The form as the catalog defines it, then the steps the service has, to the review."""
    for field in app.session.service.fields:
        if field.type.value == "choice":
            app.turn_to(app.window.screen_widget.findChild(QPushButton, f"choice_{field.key}_0"))
            app.tap(f"choice_{field.key}_0")
        elif field.type.value in ("text", "address"):     # a number declared Latin takes capitals and digits only
            app.field(field.key).insert("M350012345" if field.input is Input.LATIN else "示例内容一二")
        elif field.type.value == "mobile":
            app.type_digits(field.key, mobile)
    app.tap("Primary")
    steps = (State.MATERIALS, State.COMMITMENT, State.SIGN, State.REVIEW)
    app.qtbot.waitUntil(lambda: app.session.state in steps, timeout=10_000)
    if app.session.state is State.MATERIALS:       # photographed on the simulated document camera
        app.tap("PhotoConsent")                     # after the separate consent to photographs
        for index, _ in app.session.service.to_capture:
            app.tap("capture", material=str(index))
            app.qtbot.waitUntil(lambda i=index: i in app.session.captures, timeout=10_000)
        app.tap("Primary")
        app.qtbot.waitUntil(lambda: app.session.state in steps[1:], timeout=10_000)
    if app.session.state is State.COMMITMENT:
        app.tap("Primary")
        app.wait_state(State.SIGN)
    if app.session.state is State.SIGN:
        sign_on_the_pad(app)
        app.tap("Primary")
    app.wait_state(State.REVIEW)


def take_away(app: KioskUnderTest) -> None:
    """Lift the card off the reader and wait until the poller has seen it gone, as a hand would take a moment."""
    app.reader.remove()
    polled = app.reader.requests
    app.qtbot.waitUntil(lambda: app.reader.requests >= polled + 2 * _ABSENT_POLLS_FOR_REMOVAL, timeout=5_000)


def submit(app: KioskUnderTest) -> None:
    app.tap("Primary")
    app.wait_state(State.RECEIPT)


def test_proxy_with_two_cards_records_agent_and_principal(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    agent = next(c for c in demo_cards() if c.name == "张明远")
    principal = resident_card()
    open_service(app, PROXY_SERVICE)
    app.tap("proxy")                                          # 代他人办理
    app.wait_state(State.IDENTIFY)
    assert "请代办人先识别" in app.texts()
    app.reader.insert(agent)
    app.qtbot.waitUntil(lambda: app.session.agent is not None, timeout=10_000)
    assert app.session.state is State.IDENTIFY and "被代办人" in app.texts()
    assert f"{agent.masked_name()} 已识别" in app.texts()
    polled = app.reader.requests
    app.qtbot.waitUntil(lambda: app.reader.requests >= polled + 6, timeout=5_000)   # several polls later
    assert app.session.problem is None and app.session.state is State.IDENTIFY
    take_away(app)
    app.reader.insert(principal)
    app.wait_state(State.FORM)
    app.reader.remove()
    assert app.shows_read_number(principal.id_number)
    fill_and_review(app)
    review = app.texts()
    assert "代办人" in review and agent.id_number not in review            # shown, masked
    submit(app)
    [printed] = app.printer.wait_for(1, timeout=10)
    paper = "\n".join(printed.lines)
    assert "代办人" in paper and agent.masked_name() in paper
    assert agent.id_number not in paper and principal.id_number not in paper
    key = app.session.application.idempotency_key
    [record] = wait_until(lambda: app.centre_records(key), timeout=15)
    assert record["applicant"]["id_number"] == principal.id_number
    assert record["agent"]["id_number"] == agent.id_number and record["agent"]["name"] == agent.name
    assert record["agent"]["credential"] == record["applicant"]["credential"] == "resident"     # both on the reader


def test_proxy_principal_typed_with_a_checked_number(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    agent = next(c for c in demo_cards() if c.name == "张明远")
    open_service(app, PROXY_SERVICE)
    app.tap("proxy")
    app.wait_state(State.IDENTIFY)
    app.reader.insert(agent)
    app.qtbot.waitUntil(lambda: app.session.agent is not None, timeout=10_000)
    app.reader.remove()
    app.tap("type_principal")
    app.wait_state(State.PRINCIPAL)
    principal = sample_identity()
    app.field("principal_name").insert("王秀英")
    app.type_digits("principal_id_number", principal.id_number[:-1] + "0")     # a wrong check digit
    app.tap("Primary")
    assert app.session.state is State.PRINCIPAL
    assert Translator("zh_CN").t("error.id_number.check_digit") in app.texts()
    assert app.session.form_problems == {"principal_id_number": "error.id_number.check_digit"}
    app.tap("ProblemLink", key="principal_id_number")     # the summary in the keys' place: its link brings them
    app.tap("Key", key="⌫")
    app.type_digits("principal_id_number", principal.id_number[-1])
    app.onward()
    app.wait_state(State.FORM)
    assert app.shows_read_number(principal.id_number)
    assert app.session.identity.name == "王秀英" and app.session.agent is not None


def test_an_e_credential_scanned_on_the_serial_scanner(kiosk_app: KioskUnderTest, serial_scanner_simulator) -> None:
    app = kiosk_app
    open_service(app, PROXY_SERVICE)
    app.tap("Primary")
    app.wait_state(State.IDENTIFY)
    assert "电子身份凭证" in app.texts()
    now = dt.datetime.now(dt.UTC)
    who = sample_identity()
    expired = ecredential.issue(KEY, who, now - dt.timedelta(hours=1), dt.timedelta(minutes=10))
    serial_scanner_simulator.scan(expired.encode())
    app.qtbot.waitUntil(lambda: app.session.problem == ecredential.EXPIRED, timeout=10_000)
    assert "已过期" in app.texts()
    forged = ecredential.issue(Ed25519PrivateKey.generate(), who, now, dt.timedelta(minutes=10))
    serial_scanner_simulator.scan(forged.encode())
    app.qtbot.waitUntil(lambda: app.session.problem == ecredential.FORGED, timeout=10_000)
    assert "校验未通过" in app.texts()
    serial_scanner_simulator.scan(ecredential.issue(KEY, who, now, dt.timedelta(minutes=10)).encode())
    app.wait_state(State.FORM)
    assert app.session.identity.name == who.name and app.shows_read_number(who.id_number)
    assert app.session.identity.credential == "e_credential"


def _passport_mrz() -> list[str]:
    """A TD3 passport zone with correct check digits (ICAO 9303 part 4)."""
    number, birth, expiry = "E12345678", "880312", "330101"
    line2 = (number + check_digit(number) + "DEU" + birth + check_digit(birth) + "F" + expiry + check_digit(expiry)
             + "<" * 14 + "<")
    line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    return ["P<DEUMUELLER<<ANNA<MARIA".ljust(44, "<"), line2]


def test_a_passport_mrz_from_the_document_reader(kiosk_app: KioskUnderTest, serial_scanner_simulator) -> None:
    app = kiosk_app
    open_service(app, PROXY_SERVICE)
    app.tap("Primary")
    app.wait_state(State.IDENTIFY)
    assert "护照" in app.texts()
    for line in _passport_mrz():
        serial_scanner_simulator.scan(line.encode())
    app.wait_state(State.FORM)
    assert app.session.identity.card_type is CardType.PASSPORT
    assert app.session.identity.id_number == "E12345678" and app.session.identity.name == "MUELLER, ANNA MARIA"


def test_a_card_reader_unplugged_is_named_and_the_e_credential_still_works(
        kiosk_app: KioskUnderTest, serial_scanner_simulator) -> None:
    app = kiosk_app
    open_service(app, PROXY_SERVICE)
    app.tap("Primary")
    app.wait_state(State.IDENTIFY)
    app.reader.unplug()
    app.qtbot.waitUntil(lambda: "idcard" in app.session.unavailable_devices, timeout=10_000)
    app.qtbot.waitUntil(lambda: "设备暂不可用" in app.texts(), timeout=5_000)
    assert "电子身份凭证" in app.texts()
    now = dt.datetime.now(dt.UTC)
    serial_scanner_simulator.scan(ecredential.issue(KEY, sample_identity(), now, dt.timedelta(minutes=5)).encode())
    app.wait_state(State.FORM)
    app.reader.plug()
    app.qtbot.waitUntil(lambda: "idcard" not in app.session.unavailable_devices, timeout=10_000)


def test_a_bundle_makes_one_case_per_department_and_one_receipt(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    bundle = app.session.catalog.bundle("bundle-newborn")
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("Bundle", code=bundle.code)
    app.wait_state(State.DETAIL)
    guide = app.texts()
    # each material told once in the list (the guide in short over it names them at a glance, review k, M9)
    bring = app.session.translator.t("guide.summary_bring")
    assert sum("出生医学证明" in line for line in guide.splitlines() if not line.startswith(bring)) == 1
    assert all(app.session.catalog.get(code).department.zh in guide for code in bundle.members)
    app.tap("Primary")
    app.wait_state(State.IDENTIFY)
    app.tap("demo_insert")
    app.wait_state(State.FORM)
    fill_and_review(app)
    submit(app)
    numbers = app.session.case_numbers
    assert len(numbers) == len(bundle.members) == len(set(numbers))
    [printed] = app.printer.wait_for(1, timeout=10)
    paper = "\n".join(printed.lines)
    assert all(number in paper for number in numbers)
    assert len(printed.qr_payloads) == len(numbers)
    keys = [a.idempotency_key for a in app.session.applications]
    records = [wait_until(lambda k=k: app.centre_records(k), timeout=15)[0] for k in keys]
    assert [r["service_code"] for r in records] == list(bundle.members)
    assert {r["form"]["mobile"] for r in records} == {"13912345678"}           # typed once, in every case
    assert records[0]["form"]["settle_with"] == "随父"                           # the police's own field
    wait_until(lambda: app.kiosk.outbox.status().delivered == len(keys))
    assert app.kiosk.outbox.status().pending == 0


def test_proxy_and_a_bundle_with_the_keypad_alone(kiosk_app: KioskUnderTest) -> None:
    from tests.fixtures.keypad import Keypad

    app, keys = kiosk_app, Keypad(kiosk_app)
    keys.press("select")                              # the first key turns voice guidance on
    keys.press("select")
    app.wait_state(State.SERVICES)
    keys.choose("Bundle", code="bundle-retirement")   # 一件事一次办 has its own row
    app.wait_state(State.DETAIL)
    assert app.session.bundle is not None
    keys.choose("back")
    app.wait_state(State.SERVICES)
    service = app.session.catalog.get(PROXY_SERVICE)
    keys.choose("Domain", domain=service.domain.value)
    keys.choose("Service", code=PROXY_SERVICE)
    app.wait_state(State.DETAIL)
    keys.choose("proxy")                              # 代他人办理, in the guide's pane
    app.wait_state(State.IDENTIFY)
    app.reader.insert(next(c for c in demo_cards() if c.name == "张明远"))
    app.qtbot.waitUntil(lambda: app.session.agent is not None, timeout=10_000)
    keys.choose("type_principal")
    app.wait_state(State.PRINCIPAL)
    keys.move_to(lambda w: w.objectName() == "field_principal_name")
    keys.type_pinyin("wang")
    keys.move_to(lambda w: w.objectName() == "field_principal_id_number")
    for digit in sample_identity().id_number:
        keys.choose("Key", key=digit)
    keys.choose("Primary")
    app.wait_state(State.FORM)
    assert app.session.identity.id_number == sample_identity().id_number and app.session.agent.name == "张明远"
