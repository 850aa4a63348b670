"""The latest health of every device and the last problem each one had, as devices report them.

Technicians come after the fact: a printer that jammed at 3 a.m. and was cleared at 7 is OK now,
yet its last error is what they need to see. Device threads record; the UI and the heartbeat read.
"""
from __future__ import annotations

import threading

from devices.health import Health, State


class HealthBook:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: dict[str, Health] = {}
        self._problems: dict[str, Health] = {}

    def record(self, health: Health) -> None:
        with self._lock:
            self._latest[health.device] = health
            if health.state is not State.OK:
                self._problems[health.device] = health

    def latest(self) -> list[Health]:
        with self._lock:
            return list(self._latest.values())

    def last_problem(self, device: str) -> Health | None:
        with self._lock:
            return self._problems.get(device)

    def as_dicts(self) -> list[dict[str, object]]:
        """For the heartbeat: the latest state of each device."""
        return [h.as_dict() for h in self.latest()]
