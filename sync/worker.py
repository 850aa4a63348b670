"""The sync worker: on its own thread it delivers the outbox with backoff and jitter, pulls the catalog
and case status changes, sends heartbeats and purges what the centre acknowledged long enough ago.

Its `state` is what technician mode and the heartbeat show: one word, with `detail` for the why.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import random
import signal
import threading
import time
from collections.abc import Callable
from importlib import metadata
from typing import Any

import requests
import sqlalchemy as sa

from kiosk.config import Config
from kiosk.out_of_service import ServiceSwitch
from kiosk.storage import damaged_copies
from kiosk.technician import CENTRE_TIME_FILE, CentreTime
from sync import alerts, pushed
from sync.catalog_cache import CatalogCache
from sync.client import CentreClient, Delivery, PushResult, Unverified, client_for
from sync.messages import ROUTES, ClaimedMessage, MessageOutbox
from sync.outbox import Claimed, Outbox, delivered_values
from sync.queue import DELIVERED, QueueStatus, dead_values, done_values, retry_values, utcnow

log = logging.getLogger(__name__)

OK, OFFLINE, UNAUTHORISED = "ok", "offline", "unauthorised"
DISK_FULL, DATABASE_ERROR = "disk_full", "database_error"
BATCH = 20
CLOCK_JUMP_S = 120.0      # the wall clock moving this far apart from the monotonic one is a jump, not drift
# Sends one claimed item: the centre's answer, and the row's new values should it say delivered.
Send = Callable[[Any], tuple[PushResult, dict[str, Any]]]
VERSION = metadata.version("kiosk24")    # in every heartbeat: the fleet view shows which kiosks run what


@dataclasses.dataclass(frozen=True)
class Backoff:
    base_s: float = 2.0
    cap_s: float = 300.0

    def delay(self, attempts: int, rng: random.Random) -> float:
        """Exponential with full jitter: a fleet back online does not knock all at once."""
        return rng.uniform(0.5, 1.0) * min(self.cap_s, self.base_s * 2.0 ** max(attempts - 1, 0))


@dataclasses.dataclass(frozen=True)
class Duties:
    """What the worker does besides delivering, and how often."""

    catalog: CatalogCache | None = None
    device_health: Callable[[], list[dict[str, Any]]] | None = None    # given by the UI; plain dicts, no Qt
    heartbeat_interval_s: float = 30.0
    pull_interval_s: float = 300.0
    retention: dt.timedelta = dt.timedelta(hours=72)
    probes: tuple[Callable[[], object], ...] = ()     # run before each heartbeat: devices nothing else polls
    switch: ServiceSwitch | None = None       # out of service or not, for the heartbeat (read from its file)


def storage_state(exc: sa.exc.DBAPIError) -> str:
    """Name a database failure for technicians: a full disk needs space, anything else needs the file checked."""
    return DISK_FULL if "full" in str(exc.orig) else DATABASE_ERROR


class SyncWorker:
    def __init__(self, outbox: Outbox, client: CentreClient, interval_s: float = 5.0,
                 backoff: Backoff = Backoff(), on_status: Callable[[QueueStatus], None] | None = None,
                 duties: Duties = Duties(), messages: MessageOutbox | None = None,
                 wake: threading.Event | None = None) -> None:
        """wake: set by whoever queues something (see wake()); given here when the queue is built first."""
        self.outbox = outbox
        self.messages = messages            # ratings, complaints, help calls ...: sent after the applications
        self.client = client
        self.interval_s = interval_s
        self.backoff = backoff
        self.on_status = on_status
        self.duties = duties
        self.state, self.detail = OK, ""
        self.storage_alert = ""             # damaged database files kept aside, until a technician moves them
        self.contacts: dict[str, dt.datetime] = {}   # when the centre last answered: push, pull_statuses, heartbeat
        self.clock_jump = ""                # the wall clock's last jump, for technicians: ages and timers were off
        self.link_alerts: dict[str, str] = {}   # exchange → its answer refused as not signed by the centre
        self._clock: tuple[float, float] | None = None      # (wall, monotonic) at the last look
        self._due = {"pull": 0.0, "heartbeat": 0.0}
        self._wake = wake or threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._rng = random.Random()

    def _set_state(self, state: str, detail: str = "") -> None:
        if (state, detail) != (self.state, self.detail):
            log.log(logging.INFO if state == OK else logging.WARNING, "sync state %s %s", state, detail)
        self.state, self.detail = state, detail

    def run_once(self, force: bool = False) -> int:
        """Deliver every due application, then every due message, once; returns how many applications
        reached the centre.

        force tries everything pending whatever its backoff timer says, each once.
        """
        started = utcnow() if force else None
        delivered, unreachable = self._drain(self.outbox, self._push_application, started)
        if self.messages is not None and not unreachable:
            self._drain(self.messages, self._push_message, started)
        if self.on_status:
            self.on_status(self.outbox.status())
        return delivered

    def _drain(self, queue: Outbox | MessageOutbox, send: Send, started: dt.datetime | None) -> tuple[int, bool]:
        """Claim and send batches from one queue until none is due; (how many delivered, whether the
        centre became unreachable). started: a forced pass, see DeliveryQueue.claim_statement."""
        delivered, seen = 0, set[str]()
        while batch := queue.claim(limit=BATCH, force_since=started):
            if seen & {item.key for item in batch}:
                queue.unclaim([item.key for item in batch])   # the clock went back mid-pass
                break
            seen |= {item.key for item in batch}
            outcomes: list[tuple[str, dict[str, Any]]] = []
            try:
                unreachable = self._push(batch, send, outcomes, stop_when_unreachable=started is None)
            finally:                            # outcomes are in batch order: the rest goes back untried
                queue.settle(outcomes)
                queue.unclaim([item.key for item in batch[len(outcomes):]])
            delivered += sum(values["state"] == DELIVERED for _key, values in outcomes)
            if unreachable:
                return delivered, True
        return delivered, False

    def _push_application(self, item: Claimed) -> tuple[PushResult, dict[str, Any]]:
        result = self.client.push(item.payload)
        return result, delivered_values(result.case_number)

    def _push_message(self, item: ClaimedMessage) -> tuple[PushResult, dict[str, Any]]:
        return self.client.send_message(ROUTES[item.kind], item.body), done_values()

    def _push(self, batch: list[Any], send: Send, outcomes: list[tuple[str, dict[str, Any]]],
              stop_when_unreachable: bool) -> bool:
        """Send each claimed item, appending its outcome; True if the centre became unreachable."""
        unreachable = False
        for item in batch:
            if unreachable:         # the centre just failed us: the rest waits for the same backoff, untried
                outcomes.append((item.key, retry_values(self.detail, self.backoff.delay(item.attempts, self._rng))))
                continue
            result, delivered = send(item)
            if result.kind is Delivery.DELIVERED:
                outcomes.append((item.key, delivered))
                self.contacts["push"] = utcnow()
                self._set_state(OK)
            elif result.kind is Delivery.PERMANENT:
                log.warning("centre refused %s: %s", item.key, result.error)
                outcomes.append((item.key, dead_values(result.error)))
            else:
                self._set_state(UNAUTHORISED if result.unauthorised else OFFLINE, result.error)
                outcomes.append((item.key, retry_values(result.error, self.backoff.delay(item.attempts, self._rng))))
                unreachable = stop_when_unreachable
        return unreachable

    def tend(self, force: bool = False) -> None:
        """Pulls and the heartbeat when due (force: now), then the retention purge."""
        now = time.monotonic()
        if force or now >= self._due["pull"]:
            self._due["pull"] = now + self.duties.pull_interval_s
            self._talk(self.pull_catalog)
            self._talk(self.pull_statuses)
        if force or now >= self._due["heartbeat"]:
            self._due["heartbeat"] = now + self.duties.heartbeat_interval_s
            self._talk(self.heartbeat)
        purged = self.outbox.purge_delivered(self.duties.retention)
        if purged:
            log.info("purged %d delivered application(s) past their retention", purged)
        if self.messages is not None and (purged := self.messages.purge_delivered(self.duties.retention)):
            log.info("purged %d delivered message(s) past their retention", purged)

    def _talk(self, exchange: Callable[[], None]) -> None:
        try:
            exchange()
            self.contacts[exchange.__name__] = utcnow()
            self.link_alerts.pop(exchange.__name__, None)
        except Unverified as exc:
            self.link_alerts[exchange.__name__] = str(exc)
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            self._set_state(UNAUTHORISED if status == 401 else OFFLINE, f"{exchange.__name__}: HTTP {status}")
        except requests.RequestException as exc:
            self._set_state(OFFLINE, f"{exchange.__name__}: {type(exc).__name__}")

    def pull_catalog(self) -> None:
        if self.duties.catalog is None:
            return
        fresh = self.client.catalog(self.duties.catalog.etag())
        if fresh is not None:
            try:
                self.duties.catalog.store(*fresh)
            except ValueError as exc:          # the centre's catalog would not load here: keep ours
                log.error("catalog from the centre refused: %s", exc)

    def pull_statuses(self) -> None:
        while True:
            answer = self.client.status_changes(self.outbox.status_cursor())
            changes = [(c["idempotency_key"], c["status"], dt.datetime.fromisoformat(c["at"]).replace(tzinfo=None))
                       for c in answer["changes"]]
            if not changes:
                return
            self.outbox.record_statuses(changes, answer["last_id"])

    def heartbeat(self) -> None:
        for probe in self.duties.probes:    # a failing probe must not cost the centre the heartbeat
            try:
                probe()
            except Exception:
                log.exception("device probe before the heartbeat failed")
        devices = self.duties.device_health() if self.duties.device_health else []
        answer = self.client.heartbeat({"at": dt.datetime.now(dt.UTC).isoformat(),
                                        "sync_state": self.state, "queue": self.outbox.status().as_dict(),
                                        **self._message_report(),
                                        "devices": devices, "storage_alert": self.storage_alert,
                                        "alerts": [*alerts.from_devices(devices), *self._link_alerts()],
                                        "version": VERSION,
                                        "interval_s": self.duties.heartbeat_interval_s,
                                        "out_of_service": bool(self.duties.switch and self.duties.switch.current())})
        if self.state in (OFFLINE, UNAUTHORISED):
            self._set_state(OK)
        settings = answer.get("settings")
        self.apply(pushed.accepted(settings) if isinstance(settings, dict) else {})

    def _link_alerts(self) -> list[alerts.Alert]:
        """An answer refused as unsigned means someone on the path changes what the centre says: a fault."""
        return [alerts.Alert(code="link.unverified", severity=alerts.FAULT, device="link", detail=detail)
                for detail in self.link_alerts.values()]

    def _message_report(self) -> dict[str, Any]:
        """The message queue's depth for the heartbeat (none without a message queue)."""
        return {"messages": self.messages.status().as_dict()} if self.messages is not None else {}

    def release_stale(self) -> None:
        """Return dead processes' claims in every queue (see DeliveryQueue.release_stale)."""
        self.outbox.release_stale()
        if self.messages is not None:
            self.messages.release_stale()

    def apply(self, settings: dict[str, float]) -> None:
        """Settings the centre pushed (already within sync.pushed's bounds); they hold until the next start."""
        changes: dict[str, Any] = {name: settings[name] for name in ("heartbeat_interval_s", "pull_interval_s")
                                   if name in settings}
        if "retention_hours" in settings:
            changes["retention"] = dt.timedelta(hours=settings["retention_hours"])
        duties = dataclasses.replace(self.duties, **changes)
        interval_s = settings.get("sync_interval_s", self.interval_s)
        if (duties, interval_s) != (self.duties, self.interval_s):
            log.info("settings pushed by the centre: %s", settings)
            self.duties, self.interval_s = duties, interval_s

    def wake(self) -> None:
        """A new application was queued: try now rather than at the next interval."""
        self._wake.set()

    def start(self) -> None:
        self.release_stale()
        self._thread = threading.Thread(target=self._loop, name="sync-worker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout=30)
        self.client.close()

    def run_forever(self) -> None:
        """`kiosk24 sync`: deliver until SIGINT or SIGTERM (systemd's stop), then stop cleanly. Both handled
        here, not left to Python's KeyboardInterrupt: a process started with SIGINT ignored (a background job
        of a script) gets no KeyboardInterrupt, and went on syncing after Ctrl+C's signal."""
        stopping = (signal.SIGINT, signal.SIGTERM)
        previous = {number: signal.signal(number, lambda _number, _frame: self._stop.set()) for number in stopping}
        self.start()
        try:
            while not self._stop.wait(1.0):     # a timed wait: the handler runs between waits
                pass
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
            self.stop()

    def watch_clock(self) -> None:
        """A dead RTC battery or an NTP step moves the wall clock; the outbox copes (TIMER_LIMIT, claims
        "from the future"), but a technician should check the time, so the jump is kept and shown."""
        wall, mono = time.time(), time.monotonic()
        if self._clock is not None:
            jump = (wall - self._clock[0]) - (mono - self._clock[1])
            if abs(jump) > CLOCK_JUMP_S:
                self.clock_jump = f"{utcnow():%Y-%m-%d %H:%M} UTC {jump:+.0f} s"
                log.warning("the wall clock jumped %+.0f s", jump)
        self._clock = (wall, mono)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.watch_clock()
            try:
                self.run_once()
                self.tend()
                self.release_stale()
            except sa.exc.DBAPIError as exc:    # full disk, damaged file: say so, keep what is queued, retry
                self._set_state(storage_state(exc), str(exc.orig))
                log.exception("sync pass failed on the database; retrying at the next interval")
            except Exception:                   # a bad moment must not kill delivery for good
                log.exception("sync pass failed; retrying at the next interval")
            self._wake.wait(self.interval_s)
            self._wake.clear()


def worker_for(config: Config, outbox: Outbox, on_status: Callable[[QueueStatus], None] | None = None,
               device_health: Callable[[], list[dict[str, Any]]] | None = None,
               messages: MessageOutbox | None = None, wake: threading.Event | None = None,
               probes: tuple[Callable[[], object], ...] = ()) -> SyncWorker:
    """The worker as configured; the app passes the bridge's callback, its device health and probes. It
    delivers the message queue in the outbox's database (messages: one already open, e.g. the app's, whose
    on_queued sets wake)."""
    client = client_for(config, on_centre_time=CentreTime(config.data_dir / CENTRE_TIME_FILE).heard)
    duties = Duties(catalog=CatalogCache(config.data_dir), device_health=device_health,
                    heartbeat_interval_s=config.heartbeat_interval_s, pull_interval_s=config.pull_interval_s,
                    retention=dt.timedelta(hours=config.retention_hours), probes=probes,
                    switch=ServiceSwitch(config.data_dir))
    worker = SyncWorker(outbox, client, interval_s=config.sync_interval_s, on_status=on_status, duties=duties,
                        backoff=Backoff(config.sync_retry_base_s, config.sync_retry_cap_s),
                        messages=messages or MessageOutbox(outbox.engine, config.kiosk_id, outbox.keyring), wake=wake)
    damaged = damaged_copies(config.database_path)
    if damaged:
        worker.storage_alert = f"damaged database kept as {', '.join(p.name for p in damaged)}; rows salvaged"
    return worker
