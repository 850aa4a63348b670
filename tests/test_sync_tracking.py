"""The receipt's tracking QR: what it holds, what a scan of anything gives, and a query with it."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.application import new_tracking_token
from kiosk.receipt import parse_tracking_payload, tracking_payload
from sync.outbox import Outbox
from sync.worker import SyncWorker
from tests.fixtures.casestore import CaseStoreServer
from tests.fixtures.core import make_application


@given(number=st.from_regex(r"[A-Z0-9-]{1,60}", fullmatch=True))
def test_a_payload_reads_back(number: str) -> None:
    token = new_tracking_token()
    assert parse_tracking_payload(tracking_payload(number, token)) == (number, token)


@given(st.text(max_size=300))
def test_any_scan_is_ours_or_none(scanned: str) -> None:
    parsed = parse_tracking_payload(scanned)
    assert parsed is None or tracking_payload(*parsed) == scanned.strip()


def test_a_citizen_queries_progress_with_the_receipt(outbox: Outbox, casestore: CaseStoreServer) -> None:
    application = make_application()
    number = outbox.submit(application).value
    client = casestore.client("XY-TEST-01")
    SyncWorker(outbox, client).run_once()
    scanned = parse_tracking_payload(tracking_payload(number, application.tracking_token))
    assert scanned is not None
    assert client.progress(*scanned)["status"] == "received"
    assert client.progress(number, new_tracking_token()) is None
