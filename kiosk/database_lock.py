"""The kiosk database's file lock: one process at a time opens, migrates or restores it.

The app, `kiosk24 sync` and `kiosk24 simulate` may start together, and a restore must not swap the
file under any of them. Its own module so that storage (which takes backups) and backup (which
restores them) both hold it without importing each other.
"""
from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold the lock of the database at path (a sibling `.lock` file) for the duration."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f"{path.name}.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
