"""Issue 13, "least privilege for a kiosk credential": what a stolen kiosk credential could do, tried
against the real case store on 127.0.0.1, each passing because the attack now fails."""
from __future__ import annotations

import requests
from sqlalchemy import func, select
from uuid6 import uuid7

from sync.casestore import citizen_progress, lookup_quota, people, records
from sync.casestore.db import Application, Booking, ProgressLockout, make_engine
from tests.fixtures.casestore import CaseStoreFactory, CaseStoreServer
from tests.security.centre_attacks import made_up_proof
from tests.test_casestore import application

THIEF, VICTIM = "KIOSK-0666", "KIOSK-0101"
ID_NUMBER = "11010519491231002X"


def as_kiosk(server: CaseStoreServer, kiosk: str, method: str, path: str, **kwargs: object) -> requests.Response:
    return server.client(kiosk).request(method, path, **kwargs)


def count(server: CaseStoreServer, table: type) -> int:
    with make_engine(server.db_url).connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_kiosk_credential_reads_no_personal_data_back(casestore: CaseStoreServer) -> None:
    own = as_kiosk(casestore, THIEF, "POST", "/applications", json=application(kiosk_id=THIEF)).json()
    victims = [as_kiosk(casestore, VICTIM, "POST", "/applications",
                        json=application(kiosk_case_number=f"{VICTIM}-{n:04d}")).json()["case_number"]
               for n in range(3)]
    first = int(own["case_number"].rsplit("-", 1)[1])
    day = own["case_number"].split("-")[0]
    guessed = [as_kiosk(casestore, THIEF, "GET", f"/applications/{day}-{n:08d}") for n in range(1, first + 8)]

    readable = [g for g in guessed if g.status_code == 200]
    assert [g.json()["case_number"] for g in readable] == [own["case_number"]]         # none of the victim's
    assert not any(number in g.text for g in guessed for number in victims)
    assert not any(ID_NUMBER in g.text or "张三" in g.text for g in guessed)            # its own: status only
    assert set(readable[0].json()) == {"case_number", "idempotency_key", "kiosk_id", "kiosk_case_number",
                                       "service_code", "received_at", "status"}


def test_another_kiosks_keys_and_receipt_numbers_get_nothing_of_its_cases(casestore: CaseStoreServer) -> None:
    victim_body = application(kiosk_id=VICTIM)
    victims = as_kiosk(casestore, VICTIM, "POST", "/applications", json=victim_body).json()
    # The same idempotency key from another kiosk is that kiosk's own new application, not a "duplicate".
    thief_body = {**application(kiosk_id=THIEF), "idempotency_key": victim_body["idempotency_key"]}
    thiefs = as_kiosk(casestore, THIEF, "POST", "/applications", json=thief_body)
    decoy = as_kiosk(casestore, THIEF, "POST", "/applications",
                     json=application(kiosk_id=THIEF, kiosk_case_number=victim_body["kiosk_case_number"]))

    assert thiefs.status_code == 201 and thiefs.json()["duplicate"] is False
    assert thiefs.json()["case_number"] != victims["case_number"]
    assert decoy.status_code == 403 and "kiosk case number" in decoy.json()["detail"]
    assert count(casestore, Application) == 2
    key = {"idempotency_key": victim_body["idempotency_key"]}
    by_key = as_kiosk(casestore, THIEF, "GET", "/applications", params=key)
    assert by_key.json()["case_number"] == thiefs.json()["case_number"]


def test_booking_keys_are_the_kiosks_own(casestore: CaseStoreServer) -> None:
    slot = as_kiosk(casestore, VICTIM, "GET", "/slots").json()["slots"][0]["slot_id"]
    body = {"key": str(uuid7()), "slot_id": slot, "service_code": records.TRAFFIC, "id_number": ID_NUMBER,
            "name": "张三", "mobile": "13812345678"}
    victims = as_kiosk(casestore, VICTIM, "POST", "/appointments", json=body).json()
    thiefs = as_kiosk(casestore, THIEF, "POST", "/appointments", json={**body, "name": "李四"})
    assert thiefs.status_code == 201 and thiefs.json()["duplicate"] is False
    assert thiefs.json()["booking_number"] != victims["booking_number"]
    assert count(casestore, Booking) == 2


def query(server: CaseStoreServer, id_number: str) -> int:
    """With a made-up card proof, as a stolen kiosk key can send: the counts still stop it."""
    return as_kiosk(server, THIEF, "POST", "/queries", json={
        "service_code": records.TRAFFIC, "id_number": id_number, "name": people.name_of(id_number),
        "proof": made_up_proof(id_number)}).status_code


def some_id_number(n: int) -> str:
    return f"41150219{50 + n // 365 % 40}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}1"


def test_lookups_by_id_number_are_counted_per_person_and_per_kiosk_across_servers(
        casestore_factory: CaseStoreFactory) -> None:
    first = casestore_factory()
    second = casestore_factory(db_url=first.db_url)          # another process on the same database
    one_person = [query(first if n % 2 else second, ID_NUMBER) for n in range(lookup_quota.PER_PERSON + 10)]
    assert one_person.count(200) == lookup_quota.PER_PERSON and one_person[-10:] == [429] * 10
    many = [query(second if n % 2 else first, some_id_number(n)) for n in range(lookup_quota.PER_KIOSK + 10)]
    assert many.count(200) == lookup_quota.PER_KIOSK - lookup_quota.PER_PERSON and many[-10:] == [429] * 10
    stranger = some_id_number(9999)
    benefits = as_kiosk(first, THIEF, "POST", "/benefits", json={
        "id_number": stranger, "name": people.name_of(stranger), "proof": made_up_proof(stranger)})
    assert benefits.status_code == 429 and "this kiosk" in benefits.json()["detail"]


def test_wrong_id_tails_are_counted_per_case_across_kiosks_in_a_bounded_table(casestore: CaseStoreServer) -> None:
    body = application(kiosk_id=VICTIM)
    central = as_kiosk(casestore, VICTIM, "POST", "/applications", json=body).json()["case_number"]
    kiosks = [f"KIOSK-07{n:02d}" for n in range(citizen_progress.MAX_FAILURES)]
    tries = [as_kiosk(casestore, kiosk, "POST", "/progress-lookups",
                      json={"case_number": number, "id_tail": "000000"}).status_code
             for kiosk, number in zip(kiosks, [central, body["kiosk_case_number"]] * 3, strict=False)]
    right = as_kiosk(casestore, "KIOSK-0799", "POST", "/progress-lookups",
                     json={"case_number": central, "id_tail": ID_NUMBER[-6:]})
    for n in range(200):                                      # guesses at numbers that name no case
        as_kiosk(casestore, THIEF, "POST", "/progress-lookups", json={"case_number": f"XY-{n}", "id_tail": "000000"})

    assert tries == [404] * citizen_progress.MAX_FAILURES and right.status_code == 429
    assert count(casestore, ProgressLockout) == 1             # one row per case, whatever was tried


def test_receipt_tokens_travel_in_no_url(casestore: CaseStoreServer) -> None:
    token = "receipt-token-" + "x" * 12
    body = application(tracking_token=token)
    number = as_kiosk(casestore, VICTIM, "POST", "/applications", json=body).json()["case_number"]
    found = requests.post(f"{casestore.url}/api/v1/progress", json={"case_number": number, "token": token}, timeout=5)
    old_form = requests.get(f"{casestore.url}/api/v1/progress/{number}", params={"token": "a-guess-in-the-url"},
                            timeout=5)
    assert found.status_code == 200 and found.json()["status"] == "received"
    assert old_form.status_code in (401, 404, 405)            # the query-string form is gone
    assert "POST /api/v1/progress HTTP" in casestore.log_text() and token not in casestore.log_text()
