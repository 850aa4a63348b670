"""`kiosk24 technician set-pin`: the kiosk's maintenance PIN, from a shell on the kiosk (no Qt loaded).

The PIN is asked twice on a terminal, or read as one line from standard input when that is not a
terminal (an installer's script). Setting it clears any lockout, and is itself in the audit trail.
"""
from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from kiosk import config as kiosk_config
from kiosk.technician import AUDIT_FILE, PIN_DIGITS, PIN_FILE, AuditTrail, PinStore, valid_pin


def _read_pin() -> str | None:
    if not sys.stdin.isatty():
        return sys.stdin.readline().strip()
    first = getpass.getpass(f"new maintenance PIN ({PIN_DIGITS[0]}-{PIN_DIGITS[1]} digits): ")
    if getpass.getpass("again: ") != first:
        return None
    return first


def cmd_set_pin(args: argparse.Namespace, config: kiosk_config.Config) -> int:
    from kiosk.storage import open_database
    from sync.keyring import Keyring
    from sync.messages import MessageOutbox

    pin = _read_pin()
    if pin is None:
        print("kiosk24: the two PINs differ; nothing changed", file=sys.stderr)
        return 1
    if not valid_pin(pin):
        print(f"kiosk24: a PIN is {PIN_DIGITS[0]} to {PIN_DIGITS[1]} digits; nothing changed", file=sys.stderr)
        return 1
    PinStore(config.data_dir / PIN_FILE).set_pin(pin)
    messages = MessageOutbox(open_database(config.database_path), config.kiosk_id,
                             Keyring.for_config(config.secrets_path, config.data_dir))
    trail = AuditTrail(config.data_dir / AUDIT_FILE, messages)
    trail.record(getpass.getuser(), "set_pin", "kiosk24 technician set-pin")
    print(f"maintenance PIN set in {config.data_dir / PIN_FILE}")
    return 0


def arguments(technician: argparse.ArgumentParser,
              with_config: Callable[[argparse.ArgumentParser], argparse.ArgumentParser]) -> None:
    """The `technician` command's subcommands (tooling/cli.py's table names this function)."""
    t_sub = technician.add_subparsers(dest="technician_command", required=True)
    with_config(t_sub.add_parser("set-pin", help="set the maintenance PIN (clears a lockout)")).set_defaults(
        handler=cmd_set_pin, needs_config=True)
