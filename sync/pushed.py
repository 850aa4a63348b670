"""Settings the centre may push to a kiosk with the answer to its heartbeat, and their bounds.

Only these, and only within bounds: a mistyped value at the centre must not stop a fleet from
syncing, so the kiosk checks again whatever arrives and keeps its own value for anything else.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

BOUNDS: dict[str, tuple[float, float]] = {
    "sync_interval_s": (0.5, 3600.0),
    "heartbeat_interval_s": (5.0, 3600.0),
    "pull_interval_s": (10.0, 86400.0),
    "retention_hours": (0.0, 24.0 * 90),
}


def accepted(raw: Mapping[str, Any]) -> dict[str, float]:
    """The known settings in raw whose values are numbers within bounds."""
    kept = {}
    for name, (least, most) in BOUNDS.items():
        value = raw.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
                and least <= value <= most:
            kept[name] = float(value)
    return kept
