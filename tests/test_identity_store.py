"""A bundle's applications in one outbox transaction, codes from the scanner, and issuing e-credentials."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from devices.credential_codes import CredentialCodes
from devices.mrz import check_digit
from kiosk import catalog, ecredential, receipt
from kiosk.credentials import Credential
from kiosk.i18n import Translator
from kiosk.identity import CardType
from sync.casestore import issue_credential
from sync.outbox import Outbox
from tests.fixtures.core import make_application
from tooling.samples import sample_identity

NOW = dt.datetime(2026, 11, 25, 2, 30, tzinfo=dt.UTC)


def test_a_bundle_is_queued_whole_or_not_at_all(outbox: Outbox) -> None:
    first = outbox.submit_many([make_application(code=c) for c in ("A", "B", "C")])
    assert first.ok and first.value == [f"XY-TEST-01-20261125-000{n}" for n in (1, 2, 3)]
    with outbox.engine.begin() as conn:
        pages = conn.execute(sa.text("PRAGMA page_count")).scalar()
    with outbox.engine.connect() as conn:      # the "disk" fills up part way through some batch
        conn.execute(sa.text(f"PRAGMA max_page_count = {pages + 3}"))
        conn.commit()
    limited = Outbox(outbox.engine, "XY-TEST-01")
    outcomes = [limited.submit_many([make_application(code=c) for c in ("A", "B", "C")]) for _ in range(20)]
    failed = [o for o in outcomes if not o.ok]
    assert failed and failed[0].problem == "error.store_failed"
    assert limited.status().pending == 3 * (1 + sum(o.ok for o in outcomes))     # never part of a bundle


def test_a_bundle_failing_at_its_last_application_leaves_nothing_behind(outbox: Outbox) -> None:
    first, second = make_application(code="A"), make_application(code="B")
    with pytest.raises(sa.exc.IntegrityError):          # the third repeats the first's key: refused by the table
        outbox.submit_many([first, second, first])
    assert outbox.status().pending == 0
    assert outbox.submit(make_application()).value == "XY-TEST-01-20261125-0001"     # the counter rolled back too


def _keys(private) -> dict:
    return ecredential.parse_public_keys(ecredential.public_key_text(private.public_key()))


def _mrz() -> list[str]:
    number, birth, expiry = "E12345678", "880312", "330101"
    line = (number + check_digit(number) + "DEU" + birth + check_digit(birth) + "F" + expiry + check_digit(expiry)
            + "<" * 15)
    return ["P<DEUMUELLER<<ANNA<MARIA".ljust(44, "<"), line + check_digit(line[0:10] + line[13:20] + line[21:43])]


def test_codes_from_the_scanner_become_identities_or_named_problems() -> None:
    key = Ed25519PrivateKey.generate()
    codes = CredentialCodes(_keys(key), now=lambda: NOW)
    first, second = _mrz()
    assert codes.feed(first) is None                                # half a passport: wait for the rest
    read = codes.feed(second)
    assert read.ok and read.value[1] is Credential.PASSPORT and read.value[0].card_type is CardType.PASSPORT
    broken = second[:5] + ("1" if second[5] != "1" else "2") + second[6:]
    codes.feed(first)
    assert codes.feed(broken).problem == "mrz.unreadable"
    payload = ecredential.issue(key, sample_identity(), NOW, dt.timedelta(minutes=1))
    read = codes.feed(payload + "\r\n")
    assert read.ok and read.value == (read.value[0], Credential.E_CREDENTIAL)
    assert read.value[0].id_number == sample_identity().id_number
    later = CredentialCodes(_keys(key), now=lambda: NOW + dt.timedelta(minutes=2))
    assert later.feed(payload).problem == ecredential.EXPIRED
    assert codes.feed("K24:XY-01-20261125-0001:abcdefghijklmnopqrstuv") is None    # a receipt: not an identity


def test_issue_credential_signs_with_a_private_key_kept_private(tmp_path: Path, capsys) -> None:
    key_file = tmp_path / "centre.pem"
    who = sample_identity()
    assert issue_credential.main(["--key", str(key_file), "--name", who.name, "--id-number", who.id_number,
                                  "--minutes", "5", "--qr", str(tmp_path / "code.png")]) == 0
    issued = json.loads(capsys.readouterr().out)
    assert os.stat(key_file).st_mode & 0o777 == 0o600
    assert (tmp_path / "code.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    keys = ecredential.parse_public_keys(issued["public_key"])
    verified = ecredential.verify(issued["payload"], keys, dt.datetime.now(dt.UTC))
    assert verified.ok and verified.value.identity.name == who.name
    assert issue_credential.main(["--key", str(key_file), "--public-key"]) == 0
    assert capsys.readouterr().out.strip() == issued["public_key"]            # the same key, kept
    assert issue_credential.main(["--key", str(key_file), "--name", "x", "--id-number", "123"]) == 2
    assert "not a valid resident ID number" in capsys.readouterr().err


def test_one_receipt_lists_every_case_of_a_bundle_masked() -> None:
    cat = catalog.load()
    bundle = cat.bundle("bundle-retirement")
    agent = sample_identity()
    apps = [make_application(code=code) for code in bundle.members]
    apps = [dataclasses.replace(a, agent=agent) for a in apps]
    numbers = [f"XY-TEST-01-20261125-000{n}" for n in range(1, 4)]
    paper = receipt.compose_bundle(bundle, apps, numbers, cat, Translator("zh_CN"))
    text = paper.text()
    assert all(n in text for n in numbers) and len(paper.qr_payloads()) == 3
    assert all(cat.get(code).department.zh in text for code in bundle.members)
    assert "代办人" in text and agent.id_number not in text and apps[0].applicant.id_number not in text
