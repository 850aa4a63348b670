"""Technician access without Qt: the PIN file and its lockout, tokens, the audit trail, the gesture's
rule, the paper counter, and the two commands that set a PIN and issue a token."""
from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.printer.simulator import PrinterState
from kiosk.consumables import Consumables, CountingPrinter
from kiosk.storage import open_database
from kiosk.technician import (
    AUDIT_FILE,
    BAD_TOKEN,
    EXPIRED_TOKEN,
    LOCKED,
    LOCKOUT,
    MAX_FAILURES,
    NO_PIN,
    PIN_FILE,
    WRONG_PIN,
    AuditTrail,
    PinStore,
    issue_token,
    verify_token,
)
from sync.messages import MessageOutbox
from ui.technician.gesture import HOLD_S, TAPS, TAPS_WITHIN_S, Corner, Gesture

NOW = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)


class Clock:
    """The wall clock and the clock since boot, moved together unless a test moves one alone."""

    def __init__(self, now: dt.datetime = NOW) -> None:
        self.now = now
        self.since_boot = 1000.0

    def __call__(self) -> dt.datetime:
        return self.now

    def ticks(self) -> float:
        return self.since_boot

    def advance(self, by: dt.timedelta) -> None:
        self.now += by
        self.since_boot += by.total_seconds()


def pins(path: Path, clock: Clock, boot: str = "boot-1") -> PinStore:
    return PinStore(path, clock, clock.ticks, lambda: boot)


def test_the_pin_file_holds_a_salted_scrypt_hash_only(tmp_path: Path) -> None:
    store = PinStore(tmp_path / PIN_FILE)
    assert store.check("123456").problem == NO_PIN
    store.set_pin("123456")
    text = (tmp_path / PIN_FILE).read_text()
    assert "123456" not in text and json.loads(text)["scheme"] == "scrypt"
    assert (tmp_path / PIN_FILE).stat().st_mode & 0o077 == 0          # the kiosk's user only
    again = PinStore(tmp_path / "other.json")
    again.set_pin("123456")
    assert json.loads((tmp_path / "other.json").read_text())["hash"] != json.loads(text)["hash"]   # salted
    assert store.check("123456").ok
    with pytest.raises(ValueError):
        store.set_pin("12ab56")


def test_five_failures_lock_out_for_fifteen_minutes_across_instances(tmp_path: Path) -> None:
    clock = Clock()
    store = pins(tmp_path / PIN_FILE, clock)
    store.set_pin("123456")
    for left in range(MAX_FAILURES - 1, 0, -1):
        attempt = pins(tmp_path / PIN_FILE, clock).check("000000")      # a new process each time
        assert (attempt.problem, attempt.left) == (WRONG_PIN, left)
    locking = store.check("000000")
    assert locking.problem == LOCKED and locking.fresh and locking.until == NOW + LOCKOUT
    assert pins(tmp_path / PIN_FILE, clock).check("123456").problem == LOCKED   # the right PIN too
    clock.advance(LOCKOUT + dt.timedelta(seconds=1))
    assert store.check("123456").ok
    assert store.check("000000").left == MAX_FAILURES - 1                  # counting starts afresh


def test_a_damaged_pin_file_lets_nobody_in_by_pin(tmp_path: Path) -> None:
    store = PinStore(tmp_path / PIN_FILE)
    store.set_pin("123456")
    (tmp_path / PIN_FILE).write_text('{"hash": "00", "failures"')
    assert store.check("123456").problem == NO_PIN and not store.is_set
    (tmp_path / PIN_FILE).write_text('{"failures": 0}')
    assert store.check("123456").problem == NO_PIN
    store.set_pin("123456")
    assert store.check("123456").ok


def test_a_right_pin_resets_the_count_and_set_pin_clears_a_lockout(tmp_path: Path) -> None:
    store = pins(tmp_path / PIN_FILE, Clock())
    store.set_pin("123456")
    for _ in range(MAX_FAILURES - 1):
        store.check("000000")
    assert store.check("123456").ok
    assert store.check("000000").left == MAX_FAILURES - 1
    for _ in range(MAX_FAILURES):
        store.check("000000")
    assert store.locked_until() is not None
    store.set_pin("654321")
    assert store.locked_until() is None and store.check("654321").ok


CENTRE = Ed25519PrivateKey.generate()


def test_tokens_open_one_kiosk_until_they_expire() -> None:
    key = CENTRE.public_key()
    token = issue_token(CENTRE, "XY-01", "李工", 30, now=NOW)
    accepted = verify_token(token, key, "XY-01", now=NOW + dt.timedelta(minutes=29))
    assert accepted.ok and accepted.value.name == "李工"
    assert verify_token(token, key, "XY-01", now=NOW + dt.timedelta(minutes=30)).problem == EXPIRED_TOKEN
    other = Ed25519PrivateKey.generate().public_key()
    assert verify_token(token, other, "XY-01", now=NOW).problem == BAD_TOKEN
    assert verify_token(token, key, "XY-02", now=NOW).problem == BAD_TOKEN
    assert verify_token(token, None, "XY-01", now=NOW).problem == BAD_TOKEN
    _body, mac = token.rsplit(".", 1)
    longer = issue_token(CENTRE, "XY-01", "李工", 50, now=NOW).rsplit(".", 1)[0]
    assert verify_token(f"{longer}.{mac}", key, "XY-01", now=NOW).problem == BAD_TOKEN   # claims edited


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_no_scanned_text_is_taken_for_a_token(text: str) -> None:
    outcome = verify_token("K24TECH2." + text, CENTRE.public_key(), "XY-01", now=NOW)
    assert outcome.problem == BAD_TOKEN


def test_the_audit_trail_is_kept_locally_and_queued_for_the_centre(tmp_path: Path) -> None:
    engine = open_database(tmp_path / "kiosk.db")
    messages = MessageOutbox(engine, "XY-01")
    trail = AuditTrail(tmp_path / AUDIT_FILE, messages, Clock())
    event = trail.record("李工", "entry", "token")
    assert trail.events() == [event]
    assert set(event) == {"id", "technician", "action", "detail", "at"} and event["at"] == NOW.isoformat()
    [queued] = messages.claim()
    assert (queued.kind, queued.key) == ("audit", event["id"])
    at = dt.datetime.fromisoformat(queued.body["at"])            # the same moment, as the wire writes it
    assert {**queued.body, "at": at} == {**event, "at": NOW}


def test_the_gesture_needs_the_hold_then_three_taps_in_time() -> None:
    now = [0.0]
    gesture = Gesture(lambda: now[0])

    def hold(seconds: float) -> None:
        gesture.press(Corner.TOP_LEFT)
        now[0] += seconds
        gesture.release(Corner.TOP_LEFT)

    def taps(count: int, gap: float = 1.0) -> bool:
        done = False
        for _ in range(count):
            now[0] += gap
            done = gesture.press(Corner.TOP_RIGHT) or done
            gesture.release(Corner.TOP_RIGHT)
        return done

    hold(HOLD_S)
    assert taps(TAPS)
    assert not taps(TAPS)                                  # used up: start again
    hold(HOLD_S - 0.5)
    assert not taps(TAPS)                                  # too short a hold
    hold(HOLD_S)
    assert not taps(TAPS, gap=TAPS_WITHIN_S / 2)           # too slow
    hold(HOLD_S)
    taps(1)
    gesture.press(Corner.ELSEWHERE)
    assert not taps(TAPS - 1)                              # a touch elsewhere starts over


def test_only_receipts_that_came_out_are_counted_and_paper_replaced_resets(tmp_path: Path, printer_80mm,
                                                                             sample_receipt) -> None:
    simulator, driver = printer_80mm
    consumables = Consumables(open_database(tmp_path / "kiosk.db"))
    printer = CountingPrinter(driver, consumables)
    assert printer.print_receipt(sample_receipt).ok
    simulator.state = PrinterState.PAPER_END
    assert not printer.print_receipt(sample_receipt).ok
    assert (consumables.count().since_paper, consumables.count().total) == (1, 1)
    consumables.paper_replaced(now=NOW.timestamp())
    count = consumables.count()
    assert (count.since_paper, count.total, count.changed_at) == (0, 1, NOW)


def test_set_pin_and_technician_token_commands(tmp_path: Path, monkeypatch, capsys) -> None:
    from sync.casestore.enrol import centre_key, enrol
    from tooling.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("24681357\n"))
    assert main(["technician", "set-pin"], {"KIOSK24_DATA_DIR": str(tmp_path)}) == 0
    assert PinStore(tmp_path / PIN_FILE).check("24681357").ok
    assert [e["action"] for e in AuditTrail(tmp_path / AUDIT_FILE, None).events()] == ["set_pin"]
    monkeypatch.setattr("sys.stdin", io.StringIO("12\n"))
    assert main(["technician", "set-pin"], {"KIOSK24_DATA_DIR": str(tmp_path)}) == 1
    assert "6 to 12 digits" in capsys.readouterr().err
    db = f"sqlite:///{tmp_path / 'centre.db'}"
    enrol(db, "XY-01")
    assert main(["casestore", "technician-token", "XY-01", "--name", "李工", "--minutes", "20", "--db", db]) == 0
    token = capsys.readouterr().out.strip()
    centre = centre_key(db).public_key()         # the centre's own key, not the kiosk's
    assert verify_token(token, centre, "XY-01", dt.datetime.now(dt.UTC)).value.name == "李工"
    assert main(["casestore", "technician-token", "XY-99", "--name", "李工", "--db", db]) == 1
    assert "not enrolled" in capsys.readouterr().err
