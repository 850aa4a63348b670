"""Device health as plain values: what technician mode shows and the heartbeat reports."""
from __future__ import annotations

import dataclasses
import enum
import time


class State(enum.Enum):
    OK = "ok"
    WARNING = "warning"      # works, needs attention soon (paper near end)
    FAULT = "fault"          # present but cannot serve (cover open, paper out)
    ABSENT = "absent"        # not connected / unplugged


@dataclasses.dataclass(frozen=True)
class Health:
    device: str              # "idcard", "printer", "scanner", "doccam"
    state: State
    detail: str = ""         # i18n key or short technical text for technicians
    since: float = dataclasses.field(default_factory=time.time)

    def as_dict(self) -> dict[str, object]:
        return {"device": self.device, "state": self.state.value, "detail": self.detail, "since": self.since}
