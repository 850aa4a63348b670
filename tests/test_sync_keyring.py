"""Citizens' data sealed at rest: the key file, what reaches the disk, rotation while others write."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.storage import open_database
from sync.keyring import KEY_FILE, Keyring, KeyringError
from sync.outbox import Outbox
from sync.wire import application_body
from tests.fixtures.core import SCAN, make_application, make_identity


def disk_bytes(directory: Path) -> bytes:
    return b"".join(path.read_bytes() for path in directory.glob("kiosk.db*"))


def test_the_key_file_is_created_once_and_readable_by_its_owner_only(tmp_path: Path) -> None:
    first = Outbox(open_database(tmp_path / "kiosk.db"), "XY-TEST-01")
    key_file = tmp_path / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = Outbox(open_database(tmp_path / "kiosk.db"), "XY-TEST-01")      # a second process, same data dir
    assert second.keyring.keys == first.keyring.keys and len(first.keyring.keys) == 1


def test_a_key_file_others_can_read_is_restricted(tmp_path: Path) -> None:
    Keyring.load_or_create(tmp_path / KEY_FILE)
    os.chmod(tmp_path / KEY_FILE, 0o644)
    Keyring(tmp_path / KEY_FILE)
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600


def test_nothing_personal_reaches_the_disk_in_the_clear(outbox: Outbox, tmp_path: Path) -> None:
    identity = make_identity()
    outbox.submit(make_application(identity))
    written = disk_bytes(tmp_path)
    for secret in (identity.name.encode(), identity.id_number.encode(), SCAN.data[:64], b"13812345678"):
        assert secret not in written
    assert b"XY-TEST-01-20261125-0001" in written             # what technicians read stays plain


def test_rotation_reseals_the_queue_and_drops_the_old_key(tmp_path: Path) -> None:
    outbox = Outbox(open_database(tmp_path / "kiosk.db"), "XY-TEST-01")
    other_process = Outbox(open_database(tmp_path / "kiosk.db"), "XY-TEST-01")     # e.g. the app, running on
    applications = [make_application() for _ in range(3)]
    numbers = [outbox.submit(a).value for a in applications]
    old_key = outbox.keyring.current_id

    resealed, dropped = outbox.rotate_key()
    late = make_application()
    late_number = other_process.submit(late).value          # it notices the new key file by itself

    assert (resealed, dropped) == (3, [old_key])
    assert old_key not in (tmp_path / KEY_FILE).read_text()
    assert {row.key_id for row in outbox.rows()} == {outbox.keyring.current_id}
    claimed = {item.key: item.payload for item in Outbox(open_database(tmp_path / "kiosk.db"), "X").claim()}
    pairs = zip([*applications, late], [*numbers, late_number], strict=True)
    assert claimed == {a.idempotency_key: application_body(a, n) for a, n in pairs}


def test_a_lost_key_file_sets_its_applications_aside_and_serves_on(tmp_path: Path) -> None:
    Outbox(open_database(tmp_path / "kiosk.db"), "XY-TEST-01").submit(make_application())
    (tmp_path / KEY_FILE).unlink()
    outbox = Outbox(open_database(tmp_path / "kiosk.db"), "XY-TEST-01")      # a new key; the old row stays
    assert outbox.submit(make_application()).ok
    claimed = outbox.claim()
    assert len(claimed) == 1
    [dead] = outbox.rows("dead")
    assert "does not hold" in dead.last_error


def test_a_damaged_value_is_refused_not_misread(tmp_path: Path) -> None:
    keyring = Keyring.load_or_create(tmp_path / KEY_FILE)
    sealed = bytearray(keyring.seal(b"secret", "a/payload"))
    assert keyring.open(bytes(sealed), "a/payload") == b"secret"
    with pytest.raises(KeyringError):
        keyring.open(bytes(sealed), "b/payload")            # moved to another row
    sealed[-1] ^= 1
    with pytest.raises(KeyringError):
        keyring.open(bytes(sealed), "a/payload")


@given(st.binary(max_size=200))
def test_a_key_file_of_any_bytes_loads_or_says_why(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("keys") / KEY_FILE
    path.write_bytes(data)
    try:
        keyring = Keyring(path)
    except KeyringError:
        return
    assert keyring.keys and all(len(k) == 32 for k in keyring.keys.values())
