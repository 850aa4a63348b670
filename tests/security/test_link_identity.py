"""Kiosks are known by their own Ed25519 keys; the centre keeps public keys only, so a copy of its
database signs as no kiosk and mints no technician token. An HMAC-enrolled kiosk moves to a key in
one request, without a site visit, and its credential is gone from the centre."""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from kiosk import config as kiosk_config
from kiosk.storage import open_database
from kiosk.technician import BAD_TOKEN, CENTRE_TIME_FILE, CentreTime
from sync import identity, signing
from sync.casestore.db import Kiosk, make_engine
from sync.casestore.enrol import new_code
from sync.casestore.technician_token import token_for
from sync.client import CentreClient, Delivery, client_for
from sync.outbox import Outbox
from sync.worker import worker_for
from tests.fixtures.casestore import CaseStoreServer
from tests.fixtures.core import make_application
from tests.test_casestore import application

ROOT = Path(__file__).resolve().parents[2]
KIOSK_ID = "XY-TEST-01"      # the id tests.fixtures.core.make_application gives


def enrol_the_old_way(db_url: str, kiosk_id: str) -> str:
    """A kiosk as enrolled before keys existed: the centre holds its HMAC credential."""
    credential = signing.new_credential()
    engine = make_engine(db_url)
    with Session(engine) as session, session.begin():
        session.add(Kiosk(kiosk_id=kiosk_id, credential=credential, enrolled_at=dt.datetime.now(dt.UTC)))
    engine.dispose()
    return credential


def table(db_url: str, name: str) -> list[tuple]:
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(sa.text(f"SELECT * FROM {name}"))]
    engine.dispose()
    return rows


def test_an_hmac_enrolled_kiosk_moves_to_its_own_key_at_first_contact(tmp_path: Path,
                                                                      casestore: CaseStoreServer) -> None:
    credential = enrol_the_old_way(casestore.db_url, KIOSK_ID)
    config = kiosk_config.load(None, {}, data_dir=tmp_path / "kiosk", kiosk_id=KIOSK_ID,
                               centre_url=casestore.url, credential=credential)     # no centre key pinned yet
    worker = worker_for(config, Outbox(open_database(config.database_path), KIOSK_ID))
    worker.outbox.submit(make_application())
    try:
        assert worker.run_once() == 1                       # the first push made, registered and used the key
        worker.tend(force=True)                             # catalog and settings: verified with the key now pinned
    finally:
        worker.client.close()
    key_file = tmp_path / "kiosk-secrets" / identity.KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and worker.client.signer.key is not None
    assert identity.centre_key_text(config) == casestore.centre_public_key     # pinned by the credential's proof
    assert not worker.link_alerts and worker.contacts.keys() >= {"pull_catalog", "heartbeat"}
    assert table(casestore.db_url, "kiosks") == []          # the centre forgot the credential
    [(kiosk_id, public_key, _at)] = table(casestore.db_url, "kiosk_keys")
    assert (kiosk_id, public_key) == (KIOSK_ID, signing.public_text(identity.load_key(key_file).public_key()))

    old_way = CentreClient(casestore.url, signing.Signer(KIOSK_ID, credential))   # the credential alone, stolen
    try:
        refused = old_way.push(application(kiosk_id=KIOSK_ID))
    finally:
        old_way.close()
    assert refused.unauthorised

    again = client_for(config)                             # a restart signs with the key from the start
    try:
        assert again.signer.key is not None and again.push(application(kiosk_id=KIOSK_ID)).kind is not \
            Delivery.TRANSIENT
    finally:
        again.close()


def test_a_forged_centre_key_offered_at_the_move_is_not_pinned(tmp_path: Path, casestore: CaseStoreServer) -> None:
    """The proof is made with the credential: an impostor without it cannot get its own key pinned."""
    credential = enrol_the_old_way(casestore.db_url, KIOSK_ID)
    config = kiosk_config.load(None, {}, data_dir=tmp_path / "kiosk", kiosk_id=KIOSK_ID, centre_url=casestore.url,
                               credential=credential)
    impostor = signing.public_text(Ed25519PrivateKey.generate().public_key())
    answer = {"centre_public_key": impostor, "proof": signing.key_proof("a guess", KIOSK_ID, impostor)}
    with pytest.raises(identity.EnrolmentError, match="proof"):
        identity._pin(config, answer, credential)
    assert identity.centre_key_text(config) == ""


def test_a_copy_of_the_centre_database_signs_as_no_kiosk_and_mints_no_token(tmp_path: Path,
                                                                            casestore: CaseStoreServer) -> None:
    config = kiosk_config.load(None, {}, data_dir=tmp_path / "kiosk", kiosk_id=KIOSK_ID, centre_url=casestore.url)
    identity.enrol(config, new_code(casestore.db_url, KIOSK_ID))
    stolen = tmp_path / "stolen.db"                      # a backup, as an operator would take one
    with sqlite3.connect(casestore.db_url.removeprefix("sqlite:///")) as source, sqlite3.connect(stolen) as copy:
        source.backup(copy)
    stolen_url = f"sqlite:///{stolen}"
    private = identity.load_key(identity.key_path(config))
    assert private is not None
    raw = signing.private_pem(private).splitlines()[1]
    assert raw.encode() not in stolen.read_bytes()                         # the kiosk's key never left it

    # everything the copy holds about the kiosk, tried as a secret to sign with
    candidates = [str(value) for row in table(stolen_url, "kiosk_keys") for value in row]
    refused = []
    for candidate in candidates:
        client = CentreClient(casestore.url, signing.Signer(KIOSK_ID, candidate))
        try:
            refused.append(client.push(application(kiosk_id=KIOSK_ID)).unauthorised)
        finally:
            client.close()
    assert refused and all(refused)

    # a token made from the copy alone: the centre's signing key is not in it, so any key made up is not the centre's
    forged = token_for(stolen_url, KIOSK_ID, "李工", 30, signing_key=tmp_path / "made-up.key")
    assert forged is not None
    CentreTime(config.data_dir / CENTRE_TIME_FILE).heard(dt.datetime.now(dt.UTC).timestamp())
    assert identity.token_gate(config).check(forged).problem == BAD_TOKEN
    genuine = token_for(casestore.db_url, KIOSK_ID, "李工", 30, signing_key=casestore.signing_key)
    assert identity.token_gate(config).check(genuine).ok


def test_an_enrolment_code_works_once_for_its_kiosk_and_not_after_it_expires(tmp_path: Path,
                                                                           casestore: CaseStoreServer) -> None:
    def config(kiosk_id: str, name: str) -> kiosk_config.Config:
        return kiosk_config.load(None, {}, data_dir=tmp_path / name, kiosk_id=kiosk_id, centre_url=casestore.url)

    code = new_code(casestore.db_url, "XY-NEW-01")
    with pytest.raises(identity.EnrolmentError, match="401"):
        identity.enrol(config("XY-NEW-02", "other"), code)                  # another kiosk's code
    identity.enrol(config("XY-NEW-01", "first"), code)
    with pytest.raises(identity.EnrolmentError, match="401"):
        identity.enrol(config("XY-NEW-01", "second"), code)                 # used
    expired = new_code(casestore.db_url, "XY-NEW-03", hours=-1)
    with pytest.raises(identity.EnrolmentError, match="401"):
        identity.enrol(config("XY-NEW-03", "third"), expired)
    assert not (tmp_path / "second-secrets" / identity.KEY_FILE).exists()   # a refused enrolment keeps no key


def test_the_enrolment_answer_carries_the_centre_key_with_a_proof_from_the_code(casestore: CaseStoreServer) -> None:
    code = new_code(casestore.db_url, "XY-NEW-04")
    body = {"kiosk_id": "XY-NEW-04", "code": code, "public_key": signing.public_text(
        Ed25519PrivateKey.generate().public_key())}
    answer = requests.post(f"{casestore.url}/api/v1/enrolments", json=body, timeout=10).json()
    assert answer["centre_public_key"] == casestore.centre_public_key
    assert answer["proof"] == signing.key_proof(code, "XY-NEW-04", casestore.centre_public_key)
    assert code not in json.dumps(table(casestore.db_url, "kiosk_enrolments"))


def test_an_enrolment_code_never_reads_as_a_command_line_option() -> None:
    """`kiosk24 enrol CODE`: a code led by "-" was taken for an option and refused (a CI run met one). 2,000
    codes: a code generator that still led with "-" one time in 64 passes this with odds of 1 in 10^13."""
    assert not [code for code in (signing.new_credential() for _ in range(2000)) if code.startswith("-")]


def test_kiosk24_enrol_makes_the_key_a_running_kiosk_then_signs_with(tmp_path: Path,
                                                                     casestore: CaseStoreServer) -> None:
    """Installed, started, not yet enrolled: refused; after `kiosk24 enrol CODE`, the same process signs."""
    env = {"KIOSK24_DATA_DIR": str(tmp_path / "kiosk"), "KIOSK24_KIOSK_ID": KIOSK_ID,
           "KIOSK24_CENTRE_URL": casestore.url}
    config = kiosk_config.load(None, env)
    client = client_for(config)
    try:
        before = client.push(application(kiosk_id=KIOSK_ID, kiosk_case_number=f"{KIOSK_ID}-20261206-0001"))
        enrolled = subprocess.run([sys.executable, "-m", "tooling.cli", "enrol",
                                   new_code(casestore.db_url, KIOSK_ID)], cwd=ROOT, env={**os.environ, **env},
                                  capture_output=True, text=True, timeout=120)
        after = client.push(application(kiosk_id=KIOSK_ID, kiosk_case_number=f"{KIOSK_ID}-20261206-0002"))
    finally:
        client.close()
    assert before.unauthorised
    assert enrolled.returncode == 0, enrolled.stderr
    assert casestore.centre_public_key in enrolled.stdout
    assert after.kind is Delivery.DELIVERED, after.error
    assert stat.S_IMODE(identity.key_path(config).stat().st_mode) == 0o600
    assert stat.S_IMODE(identity.key_path(config).parent.stat().st_mode) == 0o700
