"""`kiosk24 storage backups|restore REVISION`: the database backups an update took, and a rollback's restore."""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from kiosk import backup
from kiosk.config import Config


def cmd_storage(args: argparse.Namespace, config: Config) -> int:
    path = config.database_path
    if args.storage_command == "backups":
        found = {revision: str(file) for revision, file in backup.backups(path).items()}
        current = backup.revision_of(path)
        print(json.dumps({"revision": current, "backups": found}) if args.json else
              "\n".join([f"current revision: {current}"] + [f"{r}: {f}" for r, f in found.items()]))
        return 0
    try:
        restored = backup.restore(path, args.revision)
    except backup.RestoreRefused as exc:
        print(f"kiosk24: restore refused: {exc}", file=sys.stderr)
        return 1
    print(f"already at revision {args.revision}: nothing to restore" if restored is None else
          f"restored revision {restored.revision}; the migrated database is kept as {restored.kept_as}")
    return 0


def arguments(storage: argparse.ArgumentParser,
              with_config: Callable[[argparse.ArgumentParser], argparse.ArgumentParser]) -> None:
    """The `storage` command's subcommands (tooling/cli.py's table names this function)."""
    s_sub = storage.add_subparsers(dest="storage_command", required=True)
    with_config(s_sub.add_parser("backups", help="the current schema revision and every backup")).add_argument(
        "--json", action="store_true")
    restore = with_config(s_sub.add_parser("restore", help="put back the database of REVISION (kiosk stopped)"))
    restore.add_argument("revision", metavar="REVISION", help="the revision the previous release runs at")
    storage.set_defaults(handler=cmd_storage, needs_config=True)
