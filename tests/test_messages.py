"""The message queue on a real SQLite file: ratings, complaints, help calls and audit events kept sealed
until the centre has them."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk.application import CHINA_TZ, new_key
from kiosk.messages import ComplaintBody, RatingBody
from kiosk.storage import open_database
from sync.messages import MessageOutbox
from sync.outbox import Outbox
from tests.fixtures.core import NOW

KIOSK_ID = "XY-TEST-01"
COMMENT = "打印机卡纸两次，工作人员电话一直占线"


def rating(score: int = 2, case_number: str | None = None, comment: str | None = COMMENT) -> RatingBody:
    return RatingBody(id=new_key(), service_code="T-001", case_number=case_number, score=score,
                      reasons=["slow", "device_fault"], comment=comment, rated_at=NOW.isoformat())


def complaint(category: str = "cant_get_done") -> ComplaintBody:
    return ComplaintBody(id=new_key(), category=category, service_code="T-001",  # type: ignore[typeddict-item]
                         case_number=None, text="跑了三次还是办不成", contact_mobile="13812345678",
                         submitted_at=NOW.isoformat())


@pytest.fixture
def messages(tmp_path: Path) -> MessageOutbox:
    return MessageOutbox(open_database(tmp_path / "kiosk.db"), KIOSK_ID)


def test_a_message_is_queued_once_per_key(messages: MessageOutbox) -> None:
    body = rating()
    assert messages.send("rating", body["id"], dict(body)).ok
    assert messages.send("rating", body["id"], dict(body)).ok            # the screen's retry: nothing new
    [row] = messages.rows()
    assert (row.key, row.kind, row.state, row.attempts) == (body["id"], "rating", "pending", 0)
    assert messages.status().pending == 1


def test_the_body_is_sealed_at_rest(tmp_path: Path, messages: MessageOutbox) -> None:
    body = complaint()
    assert messages.send("complaint", body["id"], dict(body)).ok
    messages.engine.dispose()                                            # everything on disk, WAL included
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("kiosk.db*") if p.is_file())
    for secret in ("跑了三次还是办不成", "13812345678"):
        assert secret.encode() not in stored
    [claimed] = messages.claim()
    assert claimed.body == body and claimed.kind == "complaint"


def test_an_unknown_kind_or_a_mismatched_id_is_refused_plainly(messages: MessageOutbox) -> None:
    unknown = messages.send("postcard", new_key(), {"text": "hi"})
    wrong_id = messages.send("rating", new_key(), dict(rating()))
    not_json = messages.send("audit", new_key(), {"at": dt.datetime.now(CHINA_TZ)})
    assert [o.problem for o in (unknown, wrong_id, not_json)] == ["messages.store_failed"] * 3
    assert "postcard" in unknown.detail and "not the key" in wrong_id.detail and "JSON" in not_json.detail
    assert messages.rows() == []


def test_a_missing_key_file_is_a_named_failure_that_loses_nothing_queued(
        tmp_path: Path, messages: MessageOutbox) -> None:
    kept = rating()
    assert messages.send("rating", kept["id"], dict(kept)).ok
    (tmp_path / "outbox.key").rename(tmp_path / "outbox.key.away")
    lost = rating()
    outcome = messages.send("rating", lost["id"], dict(lost))
    assert outcome.problem == "messages.store_failed" and "key file" in outcome.detail
    (tmp_path / "outbox.key.away").rename(tmp_path / "outbox.key")
    assert [r.key for r in messages.rows()] == [kept["id"]] and messages.claim()[0].body == kept


def test_key_rotation_reseals_messages_and_keeps_them_readable(tmp_path: Path) -> None:
    engine = open_database(tmp_path / "kiosk.db")
    outbox = Outbox(engine, KIOSK_ID)
    messages = MessageOutbox(engine, KIOSK_ID, outbox.keyring)
    body = rating()
    messages.send("rating", body["id"], dict(body))
    old_key = outbox.keyring.current_id
    resealed, dropped = outbox.rotate_key((messages,))
    assert resealed == 1 and dropped == [old_key]
    [claimed] = messages.claim()
    assert claimed.body["comment"] == COMMENT


def test_rotation_never_drops_a_key_a_message_still_needs(tmp_path: Path) -> None:
    """Even a caller that forgets the message queue cannot make its bodies unreadable."""
    engine = open_database(tmp_path / "kiosk.db")
    outbox = Outbox(engine, KIOSK_ID)
    messages = MessageOutbox(engine, KIOSK_ID, outbox.keyring)
    body = rating()
    messages.send("rating", body["id"], dict(body))
    _resealed, dropped = outbox.rotate_key()
    assert dropped == []
    assert messages.claim()[0].body == body


def test_rows_never_carry_the_body(messages: MessageOutbox) -> None:
    body = rating()
    messages.send("rating", body["id"], dict(body))
    [row] = messages.rows()
    assert COMMENT not in repr(row) and set(row.as_dict()) == {
        "key", "kind", "state", "attempts", "last_error", "created_at"}
