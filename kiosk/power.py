"""Restarting the kiosk app and shutting the machine down, as a technician asks from the kiosk.

Restart is an exit with RESTART_EXIT_CODE: the systemd unit (packaging/kiosk24.service, Restart=always)
starts the app again, which is also how settings edited on the kiosk take effect. Shut down runs the
configured command (`systemctl poweroff` by default; the kiosk user needs polkit's permission for it).
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.outcome import Outcome

log = logging.getLogger(__name__)

RESTART_EXIT_CODE = 75          # EX_TEMPFAIL: "try again", which is what the unit does
SHUTDOWN_TIMEOUT_S = 30


def shut_down(command: str) -> Outcome[None]:
    """Run the shutdown command; a failure (not allowed, not found) comes back named, the kiosk keeps running."""
    # imported here: ui.lockdown loads this module before the first paint, which needs none of them
    import shlex
    import subprocess

    from kiosk.outcome import Outcome
    try:
        done = subprocess.run(shlex.split(command), capture_output=True, text=True, timeout=SHUTDOWN_TIMEOUT_S)
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        log.error("shutdown command %r failed: %s", command, exc)
        return Outcome.failure("technician_ops.power.shutdown_failed", str(exc))
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()[:300]
        log.error("shutdown command %r exited %d: %s", command, done.returncode, detail)
        return Outcome.failure("technician_ops.power.shutdown_failed", f"exit {done.returncode}: {detail}")
    return Outcome.success(None)
