"""Technician diagnostics for configured devices (`kiosk24 devices list|status|idcard|print-test|printer-status`)."""
from __future__ import annotations

import argparse
from typing import Any, Callable


def register(sub: Any, with_config: Callable[[argparse.ArgumentParser], argparse.ArgumentParser]) -> None:
    """Placeholder registration; the commands land with issue #4."""
