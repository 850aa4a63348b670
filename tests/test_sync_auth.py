"""Kiosks sign every request; the centre checks who, when and once; citizens query with their receipt's token."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from fastapi import HTTPException
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import sessionmaker

from kiosk import config as kiosk_config
from sync import identity, signing
from sync.casestore.auth import Verifier
from sync.casestore.db import Base, make_engine
from sync.casestore.enrol import enrol
from sync.client import CentreClient, Delivery, client_for
from sync.signing import Signer
from tests.fixtures.casestore import CaseStoreServer
from tests.test_casestore import KIOSK, application, get, post

URL_PATH = "/api/v1/applications"


def signed_headers(credential: str, body: bytes = b"", timestamp: int | None = None, kiosk: str = KIOSK) -> dict:
    headers = Signer(kiosk, credential).headers("POST", URL_PATH, body)
    if timestamp is not None:
        headers[signing.TIMESTAMP_HEADER] = str(timestamp)
        headers[signing.SIGNATURE_HEADER] = Signer(kiosk, credential).sign(signing.request_message(
            kiosk, "POST", URL_PATH, str(timestamp), headers[signing.NONCE_HEADER], body))
    return {**headers, "Content-Type": "application/json"}


def raw_post(server: CaseStoreServer, body: bytes, headers: dict) -> requests.Response:
    return requests.post(f"{server.url}{URL_PATH}", data=body, headers=headers, timeout=10)


def test_only_a_correctly_signed_fresh_request_is_accepted_and_only_once(casestore: CaseStoreServer) -> None:
    credential = casestore.enrol(KIOSK)
    body = json.dumps(application()).encode()
    good = signed_headers(credential, body)

    unsigned = raw_post(casestore, body, {"Content-Type": "application/json"})
    wrong_secret = raw_post(casestore, body, signed_headers(enrol(casestore.db_url, "KIOSK-0909"), body))
    unknown_kiosk = raw_post(casestore, body, signed_headers(credential, body, kiosk="KIOSK-9999"))
    tampered = raw_post(casestore, body.replace(b"KIOSK-0101", b"KIOSK-0102"), good)
    stale = raw_post(casestore, body, signed_headers(credential, body, timestamp=int(time.time()) - 3600))
    accepted = raw_post(casestore, body, good)
    replayed = raw_post(casestore, body, good)

    assert [r.status_code for r in (unsigned, wrong_secret, unknown_kiosk, tampered, stale)] == [401] * 5
    assert "stale timestamp" in stale.text
    assert accepted.status_code == 201
    assert (replayed.status_code, replayed.json()["detail"]) == (401, "replayed request")
    assert credential.splitlines()[1] not in casestore.log_text()


def test_a_kiosk_sees_and_submits_only_its_own_applications(casestore: CaseStoreServer) -> None:
    body = application()
    case_number = post(casestore, body).json()["case_number"]

    as_other = get(casestore, f"/applications/{case_number}", kiosk_id="KIOSK-0202")
    by_key_as_other = get(casestore, "/applications", kiosk_id="KIOSK-0202", idempotency_key=body["idempotency_key"])
    pushed_for_another = casestore.client("KIOSK-0202").push(application())

    assert (as_other.status_code, by_key_as_other.status_code) == (404, 404)
    assert get(casestore, f"/applications/{case_number}").status_code == 200
    assert pushed_for_another.kind is Delivery.PERMANENT and "403" in pushed_for_another.error


def test_enrolling_again_replaces_the_credential_at_once(casestore: CaseStoreServer) -> None:
    old = CentreClient(casestore.url, Signer("KIOSK-0303", enrol(casestore.db_url, "KIOSK-0303")))
    new = CentreClient(casestore.url, Signer("KIOSK-0303", enrol(casestore.db_url, "KIOSK-0303")))
    try:
        refused = old.push(application(kiosk_id="KIOSK-0303"))
        accepted = new.push(application(kiosk_id="KIOSK-0303"))
    finally:
        old.close()
        new.close()
    assert refused.kind is Delivery.TRANSIENT and refused.unauthorised      # retried, never a dead letter
    assert accepted.kind is Delivery.DELIVERED


def test_a_kiosk_whose_clock_is_off_corrects_itself_by_the_centre(casestore: CaseStoreServer) -> None:
    client = casestore.client(KIOSK)
    client.signer.offset_s = -7200                           # the kiosk's clock jumped two hours back
    result = client.push(application())
    assert result.kind is Delivery.DELIVERED
    assert abs(client.signer.offset_s) < 5


def test_enrol_command_prints_a_one_time_code_the_kiosk_registers_its_own_key_with(
        casestore: CaseStoreServer, tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "tooling.cli", "casestore", "enrol", "KIOSK-0404", "--db",
                             casestore.db_url, "--signing-key", str(casestore.signing_key)],
                            capture_output=True, text=True, timeout=60, check=True)
    printed = dict(line.split(" = ") for line in result.stdout.splitlines())
    assert printed["centre_public_key"] == casestore.centre_public_key
    config = kiosk_config.load(None, {}, data_dir=tmp_path / "kiosk", kiosk_id="KIOSK-0404", centre_url=casestore.url)
    assert identity.enrol(config, printed["enrolment_code"]) == casestore.centre_public_key      # pinned
    client = client_for(config)
    try:
        assert client.push(application(kiosk_id="KIOSK-0404")).kind is Delivery.DELIVERED
    finally:
        client.close()
    with pytest.raises(identity.EnrolmentError, match="401"):
        identity.enrol(config, printed["enrolment_code"])                     # once only
    assert len(printed["enrolment_code"]) >= 43 and printed["enrolment_code"] not in casestore.log_text()


def test_progress_needs_the_token_from_the_receipt(casestore: CaseStoreServer) -> None:
    token = "t0ken-from-the-receipt-qr"
    body = application(tracking_token=token)
    case_number = post(casestore, body).json()["case_number"]
    untracked = post(casestore, application()).json()["case_number"]
    url = f"{casestore.url}/api/v1/progress"

    def ask(number: str, **fields: str) -> requests.Response:     # the token in the body, never in a URL
        return requests.post(url, json={"case_number": number, **fields}, timeout=5)

    found = ask(case_number, token=token)
    by_receipt_number = ask(body["kiosk_case_number"], token=token)
    wrong = ask(case_number, token=token + "x")
    missing = ask(case_number)
    no_token_stored = ask(untracked, token=token)

    assert found.status_code == 200
    assert found.json()["status"] == "received" and found.json()["case_number"] == case_number
    assert "applicant" not in found.json() and body["applicant"]["name"] not in found.text
    assert by_receipt_number.json() == found.json()
    assert (wrong.status_code, missing.status_code, no_token_stored.status_code) == (404, 422, 404)
    assert token not in get(casestore, f"/applications/{case_number}").text     # only its digest is kept


@pytest.fixture(scope="module")
def verifier(tmp_path_factory: pytest.TempPathFactory) -> tuple[Verifier, str]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('auth') / 'cs.db'}")
    Base.metadata.create_all(engine)
    credential = enrol(str(engine.url), KIOSK)
    return Verifier(sessionmaker(engine), clock=lambda: 1_800_000_000), credential


@settings(max_examples=200)
@given(kiosk=st.text(max_size=40), timestamp=st.text(max_size=20), nonce=st.text(max_size=30),
       sent=st.text(max_size=70), body=st.binary(max_size=100))
def test_any_header_values_are_refused_with_401(verifier: tuple[Verifier, str], kiosk: str, timestamp: str,
                                                 nonce: str, sent: str, body: bytes) -> None:
    check, _credential = verifier
    with pytest.raises(HTTPException) as refused:
        check.verify("POST", URL_PATH, kiosk, timestamp, nonce, sent, body)
    assert refused.value.status_code == 401


@given(nonce=st.text(alphabet="0123456789abcdef", min_size=1, max_size=24), body=st.binary(max_size=100))
def test_a_signature_from_the_credential_is_accepted_once(verifier: tuple[Verifier, str], nonce: str,
                                                         body: bytes) -> None:
    check, credential = verifier
    sent = Signer(KIOSK, credential).sign(signing.request_message(KIOSK, "POST", URL_PATH, "1800000000", nonce, body))
    try:
        assert check.verify("POST", URL_PATH, KIOSK, "1800000000", nonce, sent, body) == KIOSK
    except HTTPException as exc:            # hypothesis may draw the same nonce and body again
        assert exc.detail == "replayed request"
