"""An application with everything after the form, through the real widgets: materials photographed by
the simulated document camera (one retaken, one supplied later under 容缺受理), 告知承诺 consented on
the screen, a signature drawn with the mouse, review, submit; then the case at the real case store
with its attachments' bytes intact and the printed receipt listing what is owed."""
from __future__ import annotations

import hashlib

import pytest
from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from kiosk.application import SIGNATURE
from kiosk.catalog import FieldType
from kiosk.session import State
from sync.casestore.db import Application as CentreApplication
from sync.casestore.db import StoredAttachment, make_engine
from sync.casestore.export import run_export
from tests.fixtures.common import wait_until
from tests.fixtures.kiosk import KioskUnderTest, identify, open_guide, sign_on_the_pad

pytestmark = pytest.mark.gui

UNEMPLOYMENT = "1141150041700395201000117072000"      # materials with 容缺, 告知承诺


def fill_the_form(app: KioskUnderTest) -> None:
    service = app.session.service
    for field in service.fields:
        if field.type is FieldType.CHOICE:
            app.tap(f"choice_{field.key}_0")
        elif field.type is FieldType.ADDRESS:
            app.field(field.key).insert("浉河区民权路1号3单元201室")     # committed by the input method
    app.type_digits("mobile", "13912345678")
    app.type_digits("left_on", "20261131")                  # no such day: refused with a reason
    app.tap("Primary")
    assert app.session.state is State.FORM and app.session.form_problems == {"left_on": "apply.error.date"}
    app.field("left_on").clear()
    app.type_digits("left_on", "20261101")
    app.onward()                                              # the problem's page may not be the last: 继续, 下一步


def centre_attachments(app: KioskUnderTest, key: str) -> dict[str, bytes]:
    """The bytes the case store holds for the application, read from its own database."""
    engine = make_engine(app.casestore.db_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(StoredAttachment.name, StoredAttachment.data, StoredAttachment.sha256)
                .join(CentreApplication, StoredAttachment.application_id == CentreApplication.id)
                .where(CentreApplication.idempotency_key == key)).all()
    finally:
        engine.dispose()
    for row in rows:
        assert hashlib.sha256(row.data).hexdigest() == row.sha256
    return {row.name: bytes(row.data) for row in rows}


def test_materials_commitment_signature_reach_the_centre_and_the_receipt(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    service = app.session.catalog.get(UNEMPLOYMENT)
    (owed, owed_material), (card, card_material) = service.to_capture
    open_guide(app, service.code)
    app.tap("Primary")
    identify(app, State.FORM)
    fill_the_form(app)
    app.wait_state(State.MATERIALS)
    assert app.session.form["left_on"] == "2026-11-01"

    app.tap("Primary")                                        # nothing supplied yet: the mandatory one blocks
    assert app.session.state is State.MATERIALS and app.session.problem == "apply.materials.required"
    assert not any(b.isEnabled() for b in app.buttons("capture"))      # not before the separate consent
    app.tap("PhotoConsent")
    app.tap("capture", material=str(card))                    # the camera works off the UI thread
    app.qtbot.waitUntil(lambda: card in app.session.captures, timeout=10_000)
    first = app.session.captures[card][-1].sha256
    [picture] = [w for w in app.window.findChildren(QLabel, "Thumbnail") if w.pixmap() and not w.pixmap().isNull()]
    assert picture.isVisible() and picture.pixmap().height() > 20
    app.tap("capture", material=str(card))                    # retake: the page lies differently now
    app.qtbot.waitUntil(lambda: app.session.captures[card][-1].sha256 != first, timeout=10_000)
    app.tap("add_page", material=str(card))                   # and the card's back
    app.qtbot.waitUntil(lambda: len(app.session.captures[card]) == 2, timeout=10_000)
    assert app.buttons("later", material=str(card)) == []     # only what the catalog accepts missing
    app.tap("later", material=str(owed))
    app.tap("Primary")
    app.wait_state(State.COMMITMENT)

    commitment = app.session.commitment_text()
    assert any(commitment in w.text() for w in app.window.findChildren(QLabel) if w.isVisible())
    assert app.session.commitment is None                     # nothing is consented before the tap
    app.tap("Primary", role="commit")
    app.wait_state(State.SIGN)

    app.tap("Primary")                                        # an empty pad is not a signature
    assert app.session.state is State.SIGN and app.session.problem == "apply.sign.empty"
    sign_on_the_pad(app)
    app.tap("Primary")
    app.wait_state(State.REVIEW)
    app.tap("Primary")
    app.wait_state(State.RECEIPT)

    submitted = app.session.application
    key = submitted.idempotency_key
    sent = {a.name: a.data for a in submitted.attachments}
    assert set(sent) == {card_material.name.zh, f"{card_material.name.zh}（第2页）", SIGNATURE}
    assert sent[SIGNATURE].startswith(b"\x89PNG")
    [printed] = app.printer.wait_for(1, timeout=10)
    text = "\n".join(printed.lines)
    [missing] = submitted.missing
    assert owed_material.name.zh in text and missing.deadline.isoformat() in text

    [record] = wait_until(lambda: app.centre_records(key), timeout=15)
    assert record["missing_materials"] == [{"name": owed_material.name.zh, "deadline": missing.deadline.isoformat()}]
    assert record["commitment"]["text_sha256"] == hashlib.sha256(commitment.encode()).hexdigest()
    assert record["commitment"]["signature_sha256"] == hashlib.sha256(sent[SIGNATURE]).hexdigest()
    assert centre_attachments(app, key) == sent                # every byte as photographed and drawn
    [exported] = [row for row in run_export(app.casestore.db_url) if row["idempotency_key"] == key]
    assert [a["sha256"] for a in exported["attachments"]] == [hashlib.sha256(d).hexdigest() for d in sent.values()]
    assert exported["missing_materials"] == record["missing_materials"]


def test_a_picture_taken_as_the_citizen_leaves_is_not_kept(kiosk_app: KioskUnderTest) -> None:
    """The camera answers after the visit ended (home, or the idle timeout): the picture goes nowhere."""
    app = kiosk_app
    service = app.session.catalog.get(UNEMPLOYMENT)
    (_, _), (card, _) = service.to_capture
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("Domain", domain=service.domain.value)
    app.tap("Service", code=service.code)
    app.tap("Primary")
    app.wait_state(State.IDENTIFY)
    app.tap("demo_insert")
    app.wait_state(State.FORM)
    fill_the_form(app)
    app.wait_state(State.MATERIALS)
    steps = app.kiosk.controller.steps
    app.tap("PhotoConsent")
    app.tap("capture", material=str(card))
    assert steps.capturing == card and all(not b.isEnabled() for b in app.buttons("capture"))
    app.tap("HeaderButton", role="home")
    app.tap("NoticeHome")                   # asked first: the visit held the citizen's unsent work
    app.wait_state(State.ATTRACT)
    app.qtbot.waitUntil(lambda: steps.capturing is None, timeout=10_000)
    assert app.session.captures == {} and app.session.state is State.ATTRACT
