"""The out-of-service switch: a technician takes the kiosk out of service and citizens are sent to the
nearest alternative instead of starting a visit. It is kiosk state, not a citizen's: kept in a file
in the data directory so a restart (or a power cut) does not quietly reopen a broken kiosk.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import atomic

# A kiosk in service makes no Closure: its class (kiosk/closure.py) is imported when one is made.
if TYPE_CHECKING:
    from kiosk.catalog import Hall
    from kiosk.closure import Closure

log = logging.getLogger(__name__)

FILE = "out_of_service.json"


class ServiceSwitch:
    def __init__(self, data_dir: Path, hall: Hall | None = None) -> None:
        self.path = data_dir / FILE
        self.hall = hall

    def current(self) -> Closure | None:
        """The closure in force, or None. An unreadable file counts as out of service: a technician
        closed this kiosk for a reason, and only a technician reopens it."""
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
            since = dt.datetime.fromisoformat(saved["since"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.error("out-of-service file %s unreadable (%s): staying out of service", self.path, exc)
            since = dt.datetime.now(dt.UTC)
        from kiosk.closure import Closure

        return Closure(self.hall, since)

    def close(self, now: dt.datetime) -> Closure:
        from kiosk.closure import Closure

        atomic.write(self.path, json.dumps({"since": now.isoformat()}))
        log.warning("kiosk taken out of service")
        return Closure(self.hall, now)

    def reopen(self) -> None:
        self.path.unlink(missing_ok=True)
        log.warning("kiosk back in service")
