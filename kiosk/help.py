"""Help requests (帮办代办): a citizen at a kiosk asks for staff or remote assistance.

The request is queued durably on the kiosk at once (kiosk.messages.QueuedHelpDesk over the message
queue), so nothing is lost when the network is down, and told to the centre at once while the citizen
waits (sync/help_call.py); the kiosk says staff were told only when the centre confirmed it, and that
someone answered only when an operator acknowledged the call on the fleet page.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from typing import Any

from kiosk.application import new_key


class Answer(enum.Enum):
    """Where a call for staff stands, as the kiosk may tell the citizen (help.call.<value>)."""

    CALLING = "calling"              # on its way to the centre
    NOTIFIED = "notified"            # the centre confirmed receipt: staff see it on the fleet page
    ACKNOWLEDGED = "acknowledged"    # an operator took it: someone is coming
    OFFLINE = "offline"              # kept on the kiosk only: sync delivers it when the network is back
    FAILED = "failed"                # neither kept nor delivered: the hotline is the way


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
