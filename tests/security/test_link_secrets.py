"""Secrets at rest on the kiosk: the outbox key apart from the data it seals, key files 0600, technician
tokens single-use, short and checked by the centre's time, a PIN lockout no wall-clock jump ends."""
from __future__ import annotations

import datetime as dt
import shutil
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk import config as kiosk_config
from kiosk.storage import open_database
from kiosk.technician import (
    BAD_TOKEN,
    EXPIRED_TOKEN,
    LOCKED,
    LOCKOUT,
    MAX_FAILURES,
    UNTRUSTED_CLOCK,
    CentreTime,
    PinStore,
    TokenGate,
    issue_token,
)
from sync import signing
from sync.keyring import KEY_FILE, Keyring
from sync.outbox import Outbox
from tests.fixtures.core import make_application, make_identity

KIOSK_ID = "XY-TEST-01"
CENTRE = Ed25519PrivateKey.generate()
NOW = dt.datetime(2026, 12, 6, 4, 0, tzinfo=dt.UTC)


def kiosk_outbox(config: kiosk_config.Config) -> Outbox:
    """As the kiosk opens it (ui/bootstrap.py, sync/cli.py): the key from secrets_dir."""
    return Outbox(open_database(config.database_path), KIOSK_ID, Keyring.for_config(config.secrets_path,
                                                                                       config.data_dir))


def test_a_copy_of_the_data_directory_alone_opens_nothing(tmp_path: Path) -> None:
    config = kiosk_config.load(None, {}, data_dir=tmp_path / "kiosk")
    outbox = kiosk_outbox(config)
    identity = make_identity()
    outbox.submit(make_application(identity))
    outbox.engine.dispose()
    assert not (config.data_dir / KEY_FILE).exists()
    assert stat.S_IMODE((config.secrets_path / KEY_FILE).stat().st_mode) == 0o600
    assert stat.S_IMODE(config.secrets_path.stat().st_mode) == 0o700

    shutil.copytree(config.data_dir, tmp_path / "stolen")
    stolen = Outbox(open_database(tmp_path / "stolen" / "kiosk.db"), KIOSK_ID)     # whatever key it makes itself
    assert stolen.claim() == []                                                     # nothing opens
    [dead] = stolen.rows("dead")
    assert "does not hold" in dead.last_error
    assert identity.id_number.encode() not in b"".join(p.read_bytes() for p in (tmp_path / "stolen").rglob("*")
                                                       if p.is_file())
    [claimed] = kiosk_outbox(config).claim()                                        # the kiosk itself still can
    assert claimed.payload["applicant"]["id_number"] == identity.id_number


def test_a_key_left_in_the_data_directory_moves_out_at_start_up(tmp_path: Path) -> None:
    config = kiosk_config.load(None, {}, data_dir=tmp_path / "kiosk", secrets_dir=str(tmp_path / "etc"))
    old = Outbox(open_database(config.database_path), KIOSK_ID)          # an older version: key beside kiosk.db
    old.submit(make_application())
    old.engine.dispose()
    assert (config.data_dir / KEY_FILE).exists()

    [claimed] = kiosk_outbox(config).claim()                               # the next start moves it, queue intact
    assert claimed.payload["kiosk_id"] == KIOSK_ID
    assert not (config.data_dir / KEY_FILE).exists()
    assert stat.S_IMODE((tmp_path / "etc" / KEY_FILE).stat().st_mode) == 0o600


def test_secrets_dir_cannot_be_the_data_directory(tmp_path: Path) -> None:
    with pytest.raises(kiosk_config.ConfigError, match="secrets_dir"):
        kiosk_config.load(None, {}, data_dir=tmp_path, secrets_dir=str(tmp_path))
    systemd = kiosk_config.load(None, {"CREDENTIALS_DIRECTORY": str(tmp_path / "creds")}, data_dir=tmp_path / "d")
    assert systemd.secrets_path == tmp_path / "creds"                       # LoadCredential= is taken as is


class Boot:
    """The clock since boot and the boot's id, for a kiosk that is restarted or whose wall clock is moved."""

    def __init__(self) -> None:
        self.ticks, self.id = 500.0, "boot-1"

    def since_boot(self) -> float:
        return self.ticks

    def boot_id(self) -> str:
        return self.id

    def restart(self) -> None:
        self.ticks, self.id = 30.0, self.id + "+"


def gate(tmp_path: Path, boot: Boot) -> tuple[TokenGate, CentreTime]:
    centre_time = CentreTime(tmp_path / "centre-time.json", boot.since_boot, boot.boot_id)
    return TokenGate(tmp_path, KIOSK_ID, lambda: signing.public_text(CENTRE.public_key()), centre_time), centre_time


def test_a_token_opens_once_and_only_by_the_centres_time(tmp_path: Path) -> None:
    boot = Boot()
    tokens, centre_time = gate(tmp_path, boot)
    token = issue_token(CENTRE, KIOSK_ID, "李工", 30, now=NOW)
    assert tokens.check(token).problem == UNTRUSTED_CLOCK           # the centre's time not heard since boot
    centre_time.heard(NOW.timestamp() + 60)
    assert tokens.check(token).ok
    assert tokens.check(token).problem == BAD_TOKEN                  # used: a photo of the QR code is worthless
    again, _ = gate(tmp_path, boot)
    assert again.check(token).problem == BAD_TOKEN                   # also after a restart of the app

    late = issue_token(CENTRE, KIOSK_ID, "李工", 30, now=NOW)
    boot.ticks += 31 * 60                                            # whatever the kiosk's wall clock says
    assert tokens.check(late).problem == EXPIRED_TOKEN
    boot.restart()
    fresh = issue_token(CENTRE, KIOSK_ID, "李工", 30, now=NOW + dt.timedelta(minutes=40))
    assert tokens.check(fresh).problem == UNTRUSTED_CLOCK            # a new boot: hear the centre first


def test_tokens_longer_than_an_hour_or_signed_by_anyone_else_are_refused(tmp_path: Path) -> None:
    boot = Boot()
    tokens, centre_time = gate(tmp_path, boot)
    centre_time.heard(NOW.timestamp())
    assert tokens.check(issue_token(CENTRE, KIOSK_ID, "李工", 24 * 60, now=NOW)).problem == BAD_TOKEN
    assert tokens.check(issue_token(CENTRE, KIOSK_ID, "李工", 61, now=NOW)).problem == BAD_TOKEN
    assert tokens.check(issue_token(Ed25519PrivateKey.generate(), KIOSK_ID, "李工", 30, now=NOW)).problem == BAD_TOKEN
    assert tokens.check(issue_token(CENTRE, KIOSK_ID, "李工", 60, now=NOW)).ok


def test_a_kiosk_whose_clock_is_behind_refuses_an_expired_token(tmp_path: Path) -> None:
    """Issue 13: a token was accepted after expiry by a kiosk whose wall clock was behind. The kiosk's wall
    clock is not asked at all now: an hour after the centre's time was heard, it is an hour later."""
    boot = Boot()
    tokens, centre_time = gate(tmp_path, boot)
    token = issue_token(CENTRE, KIOSK_ID, "李工", 20, now=NOW)
    centre_time.heard(NOW.timestamp())
    boot.ticks += 3600
    assert tokens.check(token).problem == EXPIRED_TOKEN


def test_a_wall_clock_jump_does_not_end_a_pin_lockout_and_a_restart_starts_it_again(tmp_path: Path) -> None:
    boot = Boot()
    wall = [NOW]
    store = PinStore(tmp_path / "pin.json", lambda: wall[0], boot.since_boot, boot.boot_id)
    store.set_pin("24681357")
    for _ in range(MAX_FAILURES):
        store.check("00000000")
    wall[0] += dt.timedelta(days=1)                                  # the attacker sets the clock a day on
    assert store.check("24681357").problem == LOCKED
    boot.ticks += LOCKOUT.total_seconds() - 60
    boot.restart()                                                   # pulling the plug a minute before the end
    assert store.check("24681357").problem == LOCKED
    boot.ticks += LOCKOUT.total_seconds() - 1
    assert store.check("24681357").problem == LOCKED
    boot.ticks += 2
    assert store.check("24681357").ok
