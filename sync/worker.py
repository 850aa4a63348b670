"""The sync worker: delivers the outbox to the centre on its own thread, with backoff and jitter."""
from __future__ import annotations

import dataclasses
import logging
import random
import threading
from typing import Callable

from sync.client import CentreClient, Delivery
from sync.outbox import Outbox, QueueStatus

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Backoff:
    base_s: float = 2.0
    cap_s: float = 300.0

    def delay(self, attempts: int, rng: random.Random) -> float:
        """Exponential with full jitter: a fleet back online does not knock all at once."""
        return rng.uniform(0.5, 1.0) * min(self.cap_s, self.base_s * 2 ** max(attempts - 1, 0))


class SyncWorker:
    def __init__(self, outbox: Outbox, client: CentreClient, interval_s: float = 5.0,
                 backoff: Backoff = Backoff(), on_status: Callable[[QueueStatus], None] | None = None) -> None:
        self.outbox = outbox
        self.client = client
        self.interval_s = interval_s
        self.backoff = backoff
        self.on_status = on_status
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._rng = random.Random()

    def run_once(self, force: bool = False) -> int:
        """Deliver every due application once; returns how many reached the centre."""
        delivered = 0
        while batch := self.outbox.claim(limit=None if force else 20, force=force):
            for item in batch:
                result = self.client.push(item.payload)
                if result.kind is Delivery.DELIVERED:
                    self.outbox.delivered(item.key, result.case_number)
                    delivered += 1
                elif result.kind is Delivery.PERMANENT:
                    log.warning("centre refused %s: %s", item.key, result.error)
                    self.outbox.dead(item.key, result.error)
                else:
                    self.outbox.retry_later(item.key, result.error, self.backoff.delay(item.attempts, self._rng))
            if force:
                break   # forced: one pass over what is pending now, not a loop over retries
        if self.on_status:
            self.on_status(self.outbox.status())
        return delivered

    def wake(self) -> None:
        """A new application was queued: try now rather than at the next interval."""
        self._wake.set()

    def start(self) -> None:
        self.outbox.release_stale()
        self._thread = threading.Thread(target=self._loop, name="sync-worker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout=30)
        self.client.close()

    def run_forever(self) -> None:
        """`kiosk24 sync`: deliver until interrupted."""
        self.start()
        try:
            self._stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:           # a bad moment (disk, DB lock) must not kill delivery for good
                log.exception("sync pass failed; retrying at the next interval")
            self._wake.wait(self.interval_s)
            self._wake.clear()
