"""Help requests (帮办代办): a citizen at a kiosk asks for staff or remote assistance.

The request is queued durably on the kiosk at once (kiosk.messages.QueuedHelpDesk over the message
queue), so nothing is lost when the network is down; sync delivers it to the centre's staff.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from kiosk.application import new_key


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
    def new(cls, **fields: Any) -> HelpRequest:
        return cls(key=new_key(), **fields)

    def as_dict(self) -> dict[str, object]:
        return {**dataclasses.asdict(self), "requested_at": self.requested_at.isoformat()}
