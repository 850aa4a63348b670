"""One wire schema (sync/wire.py): what the kiosk's own code sends is what the centre accepts and stores.

The application is made by a real visit through kiosk.session (form, a scanned material, a material to
follow, the commitment and the signature), queued in the real outbox and pushed by the real sync worker
to a real case store process; the centre must store it whole. Messages are covered the same way by
tests/test_messages.py."""
from __future__ import annotations

import json

from sqlalchemy import select

from kiosk.application import Application as KioskApplication
from sync.casestore.db import Application, StoredAttachment, make_engine
from sync.outbox import Outbox
from sync.wire import ApplicationIn, application_body
from sync.worker import SyncWorker
from tests.fixtures.casestore import CaseStoreServer
from tests.test_apply import PAGE, SIGNATURE_PNG, UNEMPLOYMENT, bundled_session, filled, to_form

KIOSK = "XY-TEST-01"


def visit_application() -> KioskApplication:
    """A citizen's whole visit at the kiosk, to the confirmed application."""
    session = bundled_session()
    to_form(session, UNEMPLOYMENT)
    session.submit_form(filled(session))
    (proof, _), (card, _) = session.service.to_capture
    session.captured(card, PAGE, "image/jpeg")
    session.supply_later(proof, True)
    session.materials_done()
    session.commit()
    session.signed(SIGNATURE_PNG)
    return session.confirm()


def test_what_a_visit_sends_is_what_the_centre_stores(outbox: Outbox, casestore: CaseStoreServer) -> None:
    application = visit_application()
    number = outbox.submit(application).value
    sent = application_body(application, number)       # what the outbox queues and claims (tests/test_outbox.py)
    assert ApplicationIn.model_validate(sent).kiosk_case_number == number

    worker = SyncWorker(outbox, casestore.client(KIOSK))
    worker.run_once(force=True)
    [row] = outbox.rows()
    assert row.state == "delivered" and row.central_case_number

    with make_engine(casestore.db_url).connect() as conn:
        stored = json.loads(conn.execute(select(Application.payload)).scalar_one())
        scans = conn.execute(select(StoredAttachment.name, StoredAttachment.sha256)
                             .order_by(StoredAttachment.position)).all()
    assert stored == {k: v for k, v in sent.items() if k not in ("attachments", "tracking_token")}
    assert [tuple(scan) for scan in scans] == [(a["name"], a["sha256"]) for a in sent["attachments"]]
    assert stored["commitment"]["signature_sha256"] == sent["attachments"][-1]["sha256"]
    assert stored["missing_materials"] and stored["applicant"]["credential"]


def test_the_kiosks_message_bodies_name_exactly_the_wire_schemas_fields() -> None:
    """kiosk/messages.py types the bodies the core hands the message queue; sync/messages.py sends them
    through sync/wire.py. The two must not drift: a field one side adds the other would refuse or drop."""
    from typing import get_type_hints

    from kiosk import messages
    from sync import wire

    bodies = {messages.RATING: messages.RatingBody, messages.COMPLAINT: messages.ComplaintBody,
              messages.HELP: messages.HelpBody, messages.AUDIT: messages.AuditBody}
    assert bodies.keys() == wire.MESSAGES.keys()
    for kind, body in bodies.items():
        assert set(get_type_hints(body)) == set(wire.MESSAGES[kind].model_fields), kind
