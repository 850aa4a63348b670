"""Fault injection: SIGKILL the kiosk's processes at random points while queuing and while syncing,
through a proxy that drops, delays and fails requests, with the centre killed and restarted mid-batch.
The centre serves TLS with a certificate made for the test, and kiosks check it and the centre's
signatures, as deployed kiosks do; in the sync test it runs two workers (`serve --workers 2`), as a
province's centre does, and each kill takes both down.

What must hold: every application `kiosk24 simulate` reported as queued is at the centre exactly
once, under the case number the kiosk recorded, with the attachments it was queued with.
Seeds are fixed so a failure repeats; each test prints its figures (run with -s to see them).
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from kiosk import config as kiosk_config
from kiosk.storage import open_database
from sync.casestore.export import run_export
from sync.keyring import Keyring
from sync.outbox import Outbox
from tests.fixtures.casestore import CaseStoreFactory, CaseStoreServer
from tests.fixtures.common import wait_until
from tests.fixtures.proxy import FaultyProxy
from tests.fixtures.tls import make_tls

pytestmark = pytest.mark.slow         # minutes of kills and restarts

ROOT = Path(__file__).resolve().parents[1]
KIOSK_ID = "XY-FAULT-01"
# Over TLS every connection the proxy cuts costs a new handshake; on a 2-core machine at load 10 the sync
# test drained in 240 s (40 kills, 13 centre restarts, 283 applications). The deadline only catches a hang.
DEADLINE_S = 420.0


@pytest.fixture
def centre(tmp_path: Path, casestore_factory: CaseStoreFactory) -> CaseStoreServer:
    return casestore_factory(tls=make_tls(tmp_path / "tls"))


def environment(data_dir: Path, centre_url: str, server: CaseStoreServer) -> dict[str, str]:
    return {**os.environ, "KIOSK24_DATA_DIR": str(data_dir), "KIOSK24_KIOSK_ID": KIOSK_ID,
            "KIOSK24_CENTRE_URL": centre_url, "KIOSK24_CREDENTIAL": server.enrol(KIOSK_ID),
            "KIOSK24_CENTRE_CA_FILE": server.ca_file, "KIOSK24_CENTRE_PUBLIC_KEY": server.centre_public_key,
            "KIOSK24_SYNC_INTERVAL_S": "0.05", "KIOSK24_SYNC_RETRY_BASE_S": "0.05", "KIOSK24_SYNC_RETRY_CAP_S": "0.5",
            "KIOSK24_HEARTBEAT_INTERVAL_S": "1", "KIOSK24_PULL_INTERVAL_S": "2"}


def kiosk_outbox(data_dir: Path) -> Outbox:
    """The kiosk's outbox as its processes open it, with the key from its secrets directory."""
    config = kiosk_config.load(None, {}, data_dir=data_dir)
    return Outbox(open_database(config.database_path), KIOSK_ID, Keyring.for_config(config.secrets_path, data_dir))


def kiosk24(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[str]:
    with log.open("a") as stderr:
        return subprocess.Popen([sys.executable, "-m", "tooling.cli", *args], cwd=ROOT, env=env, text=True,
                                stdout=subprocess.PIPE, stderr=stderr)


def kill(process: subprocess.Popen[str]) -> list[dict[str, str]]:
    """SIGKILL, then the lines it printed before dying: those applications were durably queued."""
    process.send_signal(signal.SIGKILL)
    assert process.stdout is not None
    rest = process.stdout.read()            # not communicate(): it would skip what readline() buffered
    process.stdout.close()
    process.wait(timeout=30)
    return [json.loads(line) for line in rest.split("\n")[:-1]]     # a line cut by the kill has no newline


def simulate_until(process: subprocess.Popen[str], count: int) -> list[dict[str, str]]:
    assert process.stdout is not None
    lines = []
    while len(lines) < count and (line := process.stdout.readline()):
        lines.append(json.loads(line))
    return lines


def kiosk_attachments(data_dir: Path) -> dict[str, list[tuple[str, str]]]:
    engine = open_database(data_dir / "kiosk.db")
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT application_id, name, sha256 FROM attachments "
                                    "ORDER BY application_id, position")).all()
    engine.dispose()
    found: dict[str, list[tuple[str, str]]] = {}
    for key, name, digest in rows:
        found.setdefault(key, []).append((name, digest))
    return found


def assert_exactly_once_and_intact(queued: list[dict[str, str]], data_dir: Path, server: CaseStoreServer) -> None:
    exported = list(run_export(server.db_url))
    keys = [row["idempotency_key"] for row in exported]
    assert len(keys) == len(set(keys)), "an application was stored twice"
    assert {q["idempotency_key"] for q in queued} <= set(keys), "an acknowledged application never arrived"
    outbox = kiosk_outbox(data_dir)
    recorded = {row.id: row.central_case_number for row in outbox.rows()}
    scans = kiosk_attachments(data_dir)
    for row in exported:
        assert recorded[row["idempotency_key"]] == row["case_number"]     # the kiosk knows the centre's number
        assert [(a["name"], a["sha256"]) for a in row["attachments"]] == scans[row["idempotency_key"]]
        assert row["attachments"], "every simulated visit scans at least one material"
    outbox.engine.dispose()


def test_kills_while_queuing_lose_nothing_that_was_acknowledged(tmp_path: Path, centre: CaseStoreServer) -> None:
    casestore = centre
    rng = random.Random(5)
    env = environment(tmp_path / "kiosk", casestore.url, casestore)
    queued: list[dict[str, str]] = []
    rounds = 10
    for round_number in range(rounds):
        process = kiosk24(env, tmp_path / "simulate.log", "simulate", "--citizens", "100000",
                          "--seed", str(round_number), "--json")
        queued += simulate_until(process, rng.randint(1, 40))
        time.sleep(rng.uniform(0, 0.01))                 # land anywhere in the next visit's transaction
        queued += kill(process)
        outbox = kiosk_outbox(tmp_path / "kiosk")
        assert {q["idempotency_key"] for q in queued} <= {row.id for row in outbox.rows()}
        outbox.engine.dispose()

    synced = subprocess.run([sys.executable, "-m", "tooling.cli", "sync", "--once"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert json.loads(synced.stdout.splitlines()[-1])["pending"] == 0, synced.stderr
    assert_exactly_once_and_intact(queued, tmp_path / "kiosk", casestore)
    print(f"\nqueue kills: {rounds} SIGKILLs, {len(queued)} acknowledged applications, all delivered once")


@pytest.mark.timeout(600)
def test_kills_while_syncing_through_faults_deliver_each_application_once(
        tmp_path: Path, casestore_factory: CaseStoreFactory, faulty_proxy: type[FaultyProxy]) -> None:
    rng = random.Random(11)
    server = casestore_factory(tls=make_tls(tmp_path / "tls"), workers=2)
    proxy = faulty_proxy(server.port, seed=11, handshake_reads=2)     # TCP under TLS: it cuts and fails, cannot read
    env = environment(tmp_path / "kiosk", f"https://127.0.0.1:{proxy.port}", server)
    log = tmp_path / "kiosk.log"
    first, _ = kiosk24(env, log, "simulate", "--citizens", "120", "--seed", "1", "--json").communicate(timeout=120)
    queued = [json.loads(line) for line in first.splitlines()]
    kills = centre_restarts = 0
    deadline = time.monotonic() + DEADLINE_S

    def drained() -> bool:
        outbox = kiosk_outbox(tmp_path / "kiosk")
        status = outbox.status()
        dead = [row.last_error for row in outbox.rows("dead")]
        outbox.engine.dispose()
        assert not dead, f"dead letters: {dead}"
        return status.pending == 0

    round_number = 0
    while not drained():
        assert time.monotonic() < deadline, f"not drained in {DEADLINE_S}s:\n{log.read_text()[-1500:]}"
        round_number += 1
        talked = sum(proxy.fates.values())
        sync = kiosk24(env, log, "sync")
        more = kiosk24(env, log, "simulate", "--citizens", str(rng.randint(5, 40)), "--seed", str(100 + round_number),
                       "--json") if round_number <= 6 else None      # queuing beside the sync, on one data directory
        # the kill lands 1-2.5 s into the process's work, once it talks to the centre, however long its
        # start-up takes on a loaded machine (two seconds and more while other suites run)
        wait_until(lambda talked=talked: sum(proxy.fates.values()) > talked, timeout=60)
        time.sleep(rng.uniform(1.0, 2.5))
        if round_number % 3 == 0:                          # the centre dies mid-batch, then comes back
            server.kill()
            centre_restarts += 1
            time.sleep(rng.uniform(0.05, 0.3))
            server.start()
            time.sleep(rng.uniform(0.1, 0.5))
        kill(sync)
        kills += 1
        if more is not None:
            kills += more.poll() is None                   # still queuing: killed mid-way
            queued += kill(more)

    assert_exactly_once_and_intact(queued, tmp_path / "kiosk", server)
    # a visit killed between its commit and its printed line is stored without being acknowledged:
    # the centre holds exactly what the kiosk stored, each once, acknowledged or not
    outbox = kiosk_outbox(tmp_path / "kiosk")
    stored = {row.id for row in outbox.rows()}
    outbox.engine.dispose()
    exported = [record["idempotency_key"] for record in run_export(server.db_url)]
    assert len(exported) == len(set(exported)) and set(exported) == stored
    assert proxy.fates["drop_answer"] and proxy.fates["error_500"] and proxy.fates["drop_request"]
    print(f"\nsync kills: {kills} SIGKILLs, {centre_restarts} centre restarts, {len(queued)} applications, "
          f"proxy fates {dict(proxy.fates)}: each stored once with its attachments")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_sync_stops_cleanly_on_a_signal_also_when_started_with_sigint_ignored(
        tmp_path: Path, centre: CaseStoreServer, stop: signal.Signals) -> None:
    """A background job of a script starts with SIGINT ignored, so Python raises no KeyboardInterrupt in it:
    `kiosk24 sync` went on syncing after Ctrl+C's signal. systemd stops it with SIGTERM."""
    env = environment(tmp_path / "kiosk", centre.url, centre)
    log = tmp_path / "kiosk.log"
    queued = kiosk24(env, log, "simulate", "--citizens", "1", "--seed", "3", "--json")
    assert queued.communicate(timeout=120)[0] and queued.returncode == 0, log.read_text()
    with log.open("a") as stderr:
        sync = subprocess.Popen([sys.executable, "-m", "tooling.cli", "sync"], cwd=ROOT, env=env, text=True,
                                stdout=subprocess.PIPE, stderr=stderr,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        wait_until(lambda: len(list(run_export(centre.db_url))) == 1, timeout=60)    # it runs: handlers are set
        sync.send_signal(stop)
        sync.communicate(timeout=20)
    finally:
        if sync.poll() is None:
            sync.kill()
            sync.communicate()
    assert sync.returncode == 0, log.read_text()


def test_app_sync_and_simulate_share_one_data_directory(tmp_path: Path, centre: CaseStoreServer) -> None:
    casestore = centre
    env = environment(tmp_path / "kiosk", casestore.url, casestore)
    log = tmp_path / "kiosk.log"
    sync = kiosk24(env, log, "sync")
    simulations = [kiosk24(env, log, "simulate", "--citizens", "60", "--seed", str(seed), "--json") for seed in (1, 2)]
    try:
        outputs = [process.communicate(timeout=120)[0] for process in simulations]
        queued = [json.loads(line) for output in outputs for line in output.splitlines()]
        assert all(process.returncode == 0 for process in simulations), log.read_text()
        numbers = [q["case_number"] for q in queued]
        assert len(numbers) == len(set(numbers)) == 120        # one counter, shared by both processes
        wait_until(lambda: len(list(run_export(casestore.db_url))) == 120, timeout=60)
    finally:
        sync.send_signal(signal.SIGINT)
        sync.communicate(timeout=30)
    assert_exactly_once_and_intact(queued, tmp_path / "kiosk", casestore)
