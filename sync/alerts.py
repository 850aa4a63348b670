"""Alerts a kiosk raises in its heartbeat when a device keeps citizens from being served.

Device health says how each device is; an alert says what the centre must send a technician for,
with a stable code operators can filter and count on (printer.paper_out, idcard.absent ...). The
kiosk decides, because only it knows what it has: a reader it was never given is no alert.
"""
from __future__ import annotations

from typing import Any, TypedDict

from devices.health import State

FAULT, WARNING = "fault", "warning"
# Health details that deserve their own alert rather than <device>.fault: the printer driver's, and a
# kiosk whose voice cannot play at all (ui/access.py).
OWN_ALERTS = {"printer.paper_out", "printer.paper_near_end", "printer.cover_open", "speech.no_audio_output"}


class Alert(TypedDict):
    code: str            # <device>.<what>: printer.absent, printer.paper_out, idcard.absent, speech.no_audio_output ...
    severity: str        # fault: citizens cannot be served this way now; warning: soon
    device: str
    detail: str


def _code(device: str, state: State, detail: str) -> str:
    if detail in OWN_ALERTS and detail.startswith(f"{device}."):
        return detail
    return f"{device}.{state.value}"


def from_devices(devices: list[dict[str, Any]]) -> list[Alert]:
    """One alert per device that is absent, faulty or warning; none for a healthy one.

    devices are Health.as_dict() values as the heartbeat carries them; an unknown state is a fault,
    since a device that cannot say how it is cannot be counted on either.
    """
    alerts: list[Alert] = []
    for report in devices:
        try:
            state = State(report.get("state"))
        except ValueError:
            state = State.FAULT
        if state is State.OK:
            continue
        device, detail = str(report.get("device", "unknown")), str(report.get("detail", ""))
        severity = WARNING if state is State.WARNING else FAULT
        alerts.append(Alert(code=_code(device, state, detail), severity=severity, device=device, detail=detail[:500]))
    return alerts
