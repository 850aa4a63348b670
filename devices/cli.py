"""`kiosk24 devices ...`: technician diagnostics. Each device area registers its own subcommands."""
from __future__ import annotations

import argparse
from collections.abc import Callable


def arguments(parser: argparse.ArgumentParser,
              with_config: Callable[[argparse.ArgumentParser], argparse.ArgumentParser]) -> None:
    """The `devices` command's subcommands (tooling/cli.py's table names this function)."""
    from devices import diagnostics
    from devices.scanner import cli as scanner_cli

    device_sub = parser.add_subparsers(dest="devices_command", required=True)
    diagnostics.register(device_sub, with_config)
    scanner_cli.register(device_sub, with_config)
