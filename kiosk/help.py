"""Help requests (帮办代办): a citizen at a kiosk asks for staff or remote assistance.

The request is recorded durably on the kiosk at once, so nothing is lost when the network is down;
delivering it to the centre is the sync worker's job (see HelpDesk in kiosk.ports).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import threading
from pathlib import Path

from kiosk.application import new_key
from kiosk.outcome import Outcome


@dataclasses.dataclass(frozen=True)
class HelpRequest:
    key: str                 # time-ordered unique id, the idempotency key at the centre
    kiosk_id: str
    location: str
    screen: str              # session state value: where the citizen is stuck
    service_code: str        # "" before a service is chosen
    language: str
    assisted: bool           # accessible mode on: staff bring what an elderly or disabled citizen needs
    audio_only: bool         # the citizen may not see the screen: staff should speak to them
    requested_at: dt.datetime

    @classmethod
    def new(cls, **fields: object) -> "HelpRequest":
        return cls(key=new_key(), **fields)

    def as_dict(self) -> dict[str, object]:
        return {**dataclasses.asdict(self), "requested_at": self.requested_at.isoformat()}


class HelpLog:
    """Appends each request as one JSON line to a file on the kiosk, synced to disk before it answers."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def request_help(self, request: HelpRequest) -> Outcome[None]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock, self.path.open("a", encoding="utf-8") as file:
                file.write(json.dumps(request.as_dict(), ensure_ascii=False) + "\n")
                file.flush()
                os.fsync(file.fileno())
        except OSError as exc:
            return Outcome.failure("help.failed", str(exc))
        return Outcome.success(None)

    def pending(self) -> list[HelpRequest]:
        """Every request recorded, oldest first: what sync will deliver."""
        if not self.path.exists():
            return []
        requests = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            raw = json.loads(line)
            requests.append(HelpRequest(**{**raw, "requested_at": dt.datetime.fromisoformat(raw["requested_at"])}))
        return requests
