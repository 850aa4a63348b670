"""`kiosk24 devices ...`: technician diagnostics. Each device area registers its own subcommands."""
from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def register(sub: Any, with_config: Callable[[argparse.ArgumentParser], argparse.ArgumentParser]) -> None:
    from devices import diagnostics
    from devices.scanner import cli as scanner_cli

    devices = sub.add_parser("devices", help="technician diagnostics: list, status, read a card, print, decode")
    device_sub = devices.add_subparsers(dest="devices_command", required=True)
    diagnostics.register(device_sub, with_config)
    scanner_cli.register(device_sub, with_config)
