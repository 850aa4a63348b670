"""A province's kiosks against the centre on PostgreSQL: `serve --workers 1` against `--workers 2`, same run.

Each simulated kiosk has its own enrolled Ed25519 key and signs every request as a real kiosk does
(sync/signing.py). It sends what a kiosk's sync worker sends: a heartbeat every 30 s, a status-change
pull and a catalog revalidation every 300 s, and applications at APPLICATIONS_PER_HOUR (a busy hall's
peak hour) carrying two 150 kB scans. Time is compressed: KIOSKS real kiosks at compression C stand for
KIOSKS x C kiosks ("kiosk-equivalents"), each kiosk beating every 30/C s. The kiosks are split over
CLIENT_PROCESSES client processes, so the client is not the first to run out of CPU. The requests go over a pool
of keep-alive connections, as a TLS-terminating proxy in front of the workers keeps them (TLS itself is
the proxy's and is not measured here).

The load steps up until the p95 latency passes 1 s or more than 1 % of requests fail (past the 200 ms
goal, to find the most the workers answer); each step reports answers per second, p50/p95 from when
each request was due, errors, the CPU the workers, PostgreSQL and this client spent per second (from
/proc) and the PostgreSQL connections opened. "Kiosks per core" is read two ways: the largest step
held at p95 <= 200 ms divided by the workers, and, steadier on a shared machine, the kiosk-equivalents
one core of workers' CPU serves at the measured CPU per kiosk. The baseline is `--workers 1` in the same run.

`python -m bench.fleet [--kiosks N] [--step-s S] [--loads 1000,2000,...]`; JSON on the last line.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import dataclasses
import hashlib
import json
import os
import random
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text
from sqlalchemy.orm import Session
from uuid6 import uuid7

from sync import signing
from sync.casestore.db import create_tables, make_engine
from sync.casestore.enrol import register
from sync.signing import Signer
from sync.wire import application_body
from tests.fixtures.casestore import CaseStoreServer
from tests.fixtures.core import make_application
from tests.fixtures.postgres import ThrowawayCluster, start_cluster

HEARTBEAT_S = 30.0
PULL_S = 300.0                   # status changes and the catalog, kiosk.config's pull_interval_s
APPLICATIONS_PER_HOUR = 6.0
SCAN_BYTES = 150_000
P95_GOAL_MS = 200.0
SATURATED_MS = 1000.0            # the ramp goes on past the goal to find the most the workers answer
MAX_ERROR_RATE = 0.01
CONNECTIONS = 64                 # the proxy's keep-alive pool towards the workers
TIMEOUT_S = 10.0
GOAL_KIOSKS = 10_000
CLIENT_PROCESSES = 2             # the kiosks split over processes, so the client is not what saturates
PER_KIOSK_PER_S = 1 / HEARTBEAT_S + 2 / PULL_S + APPLICATIONS_PER_HOUR / 3600


@dataclasses.dataclass(frozen=True)
class Kiosk:
    signer: Signer
    number: int


@dataclasses.dataclass(frozen=True)
class Request:
    at: float                    # seconds into the step
    kind: str
    kiosk: Kiosk


@dataclasses.dataclass
class Step:
    load: int
    latencies_ms: list[float] = dataclasses.field(default_factory=list)
    errors: dict[str, int] = dataclasses.field(default_factory=dict)
    lag_ms: list[float] = dataclasses.field(default_factory=list)
    elapsed_s: float = 0.0       # until the last answer: longer than the step when the workers fall behind
    client_cpu_s: float = 0.0

    def merge(self, other: Step) -> None:
        self.latencies_ms += other.latencies_ms
        self.lag_ms += other.lag_ms
        for what, count in other.errors.items():
            self.errors[what] = self.errors.get(what, 0) + count
        self.elapsed_s = max(self.elapsed_s, other.elapsed_s)
        self.client_cpu_s += other.client_cpu_s

    def failed(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


def enrolled_kiosks(db_url: str, count: int) -> list[tuple[str, bytes]]:
    """count kiosks, each with its own key, its public half registered in one transaction: (id, raw key)."""
    engine = make_engine(db_url)
    kiosks = []
    raw = serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    try:
        create_tables(engine)
        with Session(engine) as session, session.begin():
            for number in range(count):
                key = Ed25519PrivateKey.generate()
                kiosk_id = f"XY-FLEET-{number:05d}"
                register(session, kiosk_id, signing.public_text(key.public_key()))
                kiosks.append((kiosk_id, key.private_bytes(*raw)))
    finally:
        engine.dispose()
    return kiosks


def client(url: str, keys: list[tuple[str, bytes]], load: int, seconds: float, seed: int, etag: str) -> Step:
    """One client process's share of the kiosks and of the load (the same compression as the whole)."""
    kiosks = [Kiosk(Signer(kiosk_id, key=Ed25519PrivateKey.from_private_bytes(raw)), number)
              for number, (kiosk_id, raw) in enumerate(keys)]
    started = time.process_time()
    step = asyncio.run(run_step(url, kiosks, load, seconds, random.Random(seed), etag))
    step.client_cpu_s = time.process_time() - started
    return step


def drive(pool: ProcessPoolExecutor, url: str, keys: list[tuple[str, bytes]], load: int, seconds: float,
          seed: int, etag: str) -> Step:
    """The step from CLIENT_PROCESSES processes at once, their figures merged."""
    shares = [keys[n::CLIENT_PROCESSES] for n in range(CLIENT_PROCESSES)]
    parts = [pool.submit(client, url, share, load * len(share) // len(keys), seconds, seed * 100 + n, etag)
             for n, share in enumerate(shares)]
    step = Step(load)
    for part in parts:
        step.merge(part.result())
    return step


def schedule(kiosks: list[Kiosk], compression: float, seconds: float, rng: random.Random) -> list[Request]:
    """Every request of the step in time order: periodic beats and pulls at a random phase per kiosk,
    applications as a Poisson process."""
    requests: list[Request] = []
    for kiosk in kiosks:
        for kind, period in (("heartbeat", HEARTBEAT_S), ("status", PULL_S), ("catalog", PULL_S)):
            step = period / compression
            at = rng.uniform(0, step)
            while at < seconds:
                requests.append(Request(at, kind, kiosk))
                at += step
        rate = APPLICATIONS_PER_HOUR / 3600 * compression
        at = rng.expovariate(rate)
        while at < seconds:
            requests.append(Request(at, "application", kiosk))
            at += rng.expovariate(rate)
    return sorted(requests, key=lambda request: request.at)


class Bodies:
    """Request bodies as kiosks send them; the scans are encoded once, every application is new."""

    def __init__(self, rng: random.Random) -> None:
        template = application_body(make_application(), "XY-FLEET-00000-00000")
        scan = rng.randbytes(SCAN_BYTES)        # as incompressible as a JPEG
        page = {**template["attachments"][0], "sha256": hashlib.sha256(scan).hexdigest(),
                "data": base64.b64encode(scan).decode()}
        self.template = {**template, "attachments": [page, page]}

    def application(self, kiosk: Kiosk) -> bytes:
        key = str(uuid7())
        return json.dumps({**self.template, "idempotency_key": key, "kiosk_id": kiosk.signer.kiosk_id,
                           "kiosk_case_number": f"{kiosk.signer.kiosk_id}-{key[-12:]}"}).encode()

    @staticmethod
    def heartbeat() -> bytes:
        return json.dumps({"at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()), "sync_state": "ok",
                           "queue": {"pending": 0, "dead": 0, "delivered": 120}, "interval_s": HEARTBEAT_S,
                           "devices": [{"device": "printer", "state": "ok"}, {"device": "idcard", "state": "ok"}]
                           }).encode()


async def send(client: httpx.AsyncClient, request: Request, bodies: Bodies, etag: str) -> int:
    """One request as the kiosk signs it; its HTTP status."""
    if request.kind == "catalog":
        reply = await client.get("/api/v1/catalog", headers={"If-None-Match": etag})
        return reply.status_code
    method, path, body = {
        "heartbeat": ("POST", "/api/v1/heartbeats", Bodies.heartbeat()),
        "status": ("GET", "/api/v1/status-changes?after=0", b""),
        "application": ("POST", "/api/v1/applications", b""),
    }[request.kind]
    if request.kind == "application":
        body = bodies.application(request.kiosk)
    headers = request.kiosk.signer.headers(method, path, body)
    if body:
        headers["Content-Type"] = "application/json"
    reply = await client.request(method, path, content=body or None, headers=headers)
    return reply.status_code


EXPECTED = {"heartbeat": 200, "status": 200, "catalog": 304, "application": 201}


async def run_step(url: str, kiosks: list[Kiosk], load: int, seconds: float, rng: random.Random,
                   etag: str) -> Step:
    step = Step(load)
    bodies = Bodies(rng)
    requests = schedule(kiosks, load / len(kiosks), seconds, rng)
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=TIMEOUT_S) as client:
        loop = asyncio.get_running_loop()
        start = loop.time()

        async def one(request: Request) -> None:
            began = loop.time()
            step.lag_ms.append((began - start - request.at) * 1000)
            try:
                status = await send(client, request, bodies, etag)
            except httpx.HTTPError as exc:
                step.failed(type(exc).__name__)
                return
            if status != EXPECTED[request.kind]:
                step.failed(f"{request.kind} {status}")
                return
            step.latencies_ms.append((loop.time() - start - request.at) * 1000)   # from when it was due

        tasks = set()
        for request in requests:
            delay = start + request.at - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            task = asyncio.create_task(one(request))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        while tasks:
            await asyncio.gather(*list(tasks))
        step.elapsed_s = loop.time() - start
    return step


def cpu_seconds(root: int) -> float:
    """CPU time of a process tree from /proc: every live process's own, and what its exited children
    used (a PostgreSQL backend or a replaced worker that ended during the step is still counted)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in descendants(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(field) for field in fields[11:15])      # utime stime cutime cstime
    return total / ticks


def descendants(pid: int) -> list[int]:
    found, todo = [pid], [pid]
    while todo:
        current = todo.pop()
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        found += [int(child) for child in children]
        todo += [int(child) for child in children]
    return found


def postmaster(cluster: ThrowawayCluster) -> int:
    return int((cluster.directory / "data" / "postmaster.pid").read_text().split()[0])


def sessions_opened(db_url: str) -> int:
    """Connections PostgreSQL has accepted to the database so far: a pool that churns opens many."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(text("SELECT sessions FROM pg_stat_database "
                                              "WHERE datname = current_database()")) or 0)
    finally:
        engine.dispose()


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def figures(step: Step, server_cpu: float, database_cpu: float, connections: int) -> dict[str, Any]:
    total = len(step.latencies_ms) + sum(step.errors.values())
    seconds = step.elapsed_s
    return {"kiosk_equivalents": step.load, "requests": total,
            "answered_per_s": round(len(step.latencies_ms) / seconds, 1),
            "p50_ms": round(percentile(step.latencies_ms, 0.5), 1),
            "p95_ms": round(percentile(step.latencies_ms, 0.95), 1),
            "errors": sum(step.errors.values()), "error_kinds": step.errors,
            "client_lag_p95_ms": round(percentile(step.lag_ms, 0.95), 1),
            "workers_cpu_per_s": round(server_cpu / seconds, 2), "postgres_cpu_per_s": round(database_cpu / seconds, 2),
            "postgres_connections_opened": connections, "load_average_1min": round(os.getloadavg()[0], 1)}


def held(step: dict[str, Any], p95_ms: float = P95_GOAL_MS) -> bool:
    return bool(step["p95_ms"] <= p95_ms and step["errors"] <= MAX_ERROR_RATE * step["requests"])


def measure(cluster: ThrowawayCluster, root: Path, workers: int, kiosk_count: int, loads: list[int],
            seconds: float) -> dict[str, Any]:
    db_url = cluster.new_database(f"fleet{workers}")
    kiosks = enrolled_kiosks(db_url, kiosk_count)
    server = CaseStoreServer(db_url, root / f"casestore-{workers}.log", workers=workers)
    server.start()
    steps: list[dict[str, Any]] = []
    try:
        etag = httpx.get(f"{server.url}/api/v1/catalog").headers["ETag"]
        assert server.pid is not None
        with ProcessPoolExecutor(CLIENT_PROCESSES) as pool:
            drive(pool, server.url, kiosks, loads[0], min(seconds, 5.0), workers, etag)     # warm-up
            for number, load in enumerate(loads, start=1):
                roots = server.pid, postmaster(cluster)
                before = [cpu_seconds(root) for root in roots], sessions_opened(db_url)
                step = drive(pool, server.url, kiosks, load, seconds, workers * 1000 + number, etag)
                after = [cpu_seconds(root) for root in roots], sessions_opened(db_url)
                steps.append({**figures(step, after[0][0] - before[0][0], after[0][1] - before[0][1],
                                        after[1] - before[1] - 1),      # less our own count's connection
                              "client_cpu_per_s": round(step.client_cpu_s / step.elapsed_s, 2)})
                print(f"workers={workers} {json.dumps(steps[-1])}", flush=True)
                if not held(steps[-1], SATURATED_MS):
                    break
    finally:
        server.kill()
    kept = [s for s in steps if held(s)]
    best = kept[-1] if kept else None
    busiest = max(steps, key=lambda s: s["answered_per_s"])
    worker_cpu_s = busiest["workers_cpu_per_s"] / busiest["answered_per_s"]        # per request answered
    db_cpu_s = busiest["postgres_cpu_per_s"] / busiest["answered_per_s"]
    return {
        "workers": workers, "steps": steps,
        "kiosks_held_at_p95_200ms": best["kiosk_equivalents"] if best else 0,
        "answered_per_s_held": best["answered_per_s"] if best else 0,
        "p50_ms_held": best["p50_ms"] if best else None, "p95_ms_held": best["p95_ms"] if best else None,
        "kiosks_per_core_by_latency": int((best["kiosk_equivalents"] if best else 0) / workers),
        "most_answered_per_s": busiest["answered_per_s"], "errors": sum(s["errors"] for s in steps),
        "worker_cpu_ms_per_request": round(1000 * worker_cpu_s, 2),
        "postgres_cpu_ms_per_request": round(1000 * db_cpu_s, 2),
        "kiosks_per_worker_core_by_cpu": int(1 / (worker_cpu_s * PER_KIOSK_PER_S)) if worker_cpu_s > 0 else None,
        "kiosks_per_postgres_core_by_cpu": int(1 / (db_cpu_s * PER_KIOSK_PER_S)) if db_cpu_s > 0 else None,
    }


def loads_argument(text: str) -> list[int]:
    loads = [int(part) for part in text.split(",")]
    if not loads or any(load <= 0 for load in loads) or loads != sorted(loads):
        raise argparse.ArgumentTypeError("ascending positive kiosk counts, comma-separated")
    return loads


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fleet", description=__doc__.split("\n")[0])
    parser.add_argument("--kiosks", type=int, default=400, help="simulated kiosks, each with its own key")
    parser.add_argument("--step-s", type=float, default=15.0, help="seconds per load step")
    parser.add_argument("--loads", type=loads_argument, help="kiosk-equivalents per step, ascending",
                        default=loads_argument("250,500,1000,2000,3000,4500,6000,8000,10000,13000,16000"))
    args = parser.parse_args(argv)
    cluster = start_cluster()
    if isinstance(cluster, str):
        print(json.dumps({"bench": "fleet", "skipped": cluster}))
        return
    try:
        with tempfile.TemporaryDirectory(prefix="kiosk24-bench-fleet-") as directory:
            one, two = (measure(cluster, Path(directory), workers, args.kiosks, args.loads, args.step_s)
                        for workers in (1, 2))
    finally:
        cluster.stop()
    print(summary(one, two, args))


def summary(one: dict[str, Any], two: dict[str, Any], args: argparse.Namespace) -> str:
    worker_cores = GOAL_KIOSKS / one["kiosks_per_worker_core_by_cpu"] if one["kiosks_per_worker_core_by_cpu"] else None
    db_cores = GOAL_KIOSKS / one["kiosks_per_postgres_core_by_cpu"] if one["kiosks_per_postgres_core_by_cpu"] else None
    result = {
        "bench": "fleet", "simulated_kiosks": args.kiosks, "step_s": args.step_s, "cpus": os.cpu_count(),
        "load_per_kiosk_per_s": round(PER_KIOSK_PER_S, 4), "applications_per_kiosk_hour": APPLICATIONS_PER_HOUR,
        "one_worker": one, "two_workers": two,
        "ratio_held_two_to_one": round(two["kiosks_held_at_p95_200ms"] / one["kiosks_held_at_p95_200ms"], 2)
        if one["kiosks_held_at_p95_200ms"] else None,
        "ratio_most_answered_two_to_one": round(two["most_answered_per_s"] / one["most_answered_per_s"], 2),
        "goal_kiosks": GOAL_KIOSKS,
        "goal_worker_cores_by_cpu": round(worker_cores, 1) if worker_cores else None,
        "goal_postgres_cores_by_cpu": round(db_cores, 1) if db_cores else None,
    }
    return json.dumps(result)


if __name__ == "__main__":
    main()
