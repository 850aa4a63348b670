"""Logs to a technician's USB stick: the kiosk's logs (already masked), a health report and the queue's
status in one dated .tar.gz, written under a temporary name and renamed when complete, so a stick pulled
out mid-copy never holds a file that looks whole.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import io
import json
import logging
import os
import tarfile
from pathlib import Path
from typing import Any

from kiosk import logfile
from kiosk.outcome import Outcome

log = logging.getLogger(__name__)

PARTIAL = ".kiosk24-export.partial"
FULL = "technician_ops.usb.full"
REMOVED = "technician_ops.usb.removed"
FAILED = "technician_ops.usb.failed"


@dataclasses.dataclass(frozen=True)
class Exported:
    path: Path
    bytes_written: int


def media(roots: str) -> list[Path]:
    """Mounted removable media: the folders two levels below each root (/media/<user>/<label>)."""
    found: list[Path] = []
    for root in filter(None, (part.strip() for part in roots.split(","))):
        try:
            users = sorted(p for p in Path(root).iterdir() if p.is_dir())
            found += [stick for user in users for stick in sorted(user.iterdir()) if stick.is_dir()]
        except OSError:             # no such root here, or a stick going away while we look
            continue
    return found


def _add(archive: tarfile.TarFile, name: str, data: bytes, when: dt.datetime) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(when.timestamp())
    archive.addfile(info, io.BytesIO(data))


def _problem(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return FULL
    if exc.errno in (errno.ENOENT, errno.ENODEV, errno.EIO, errno.ENXIO, errno.EROFS):
        return REMOVED
    return FAILED


def export(stick: Path, log_dir: Path, kiosk_id: str, report: dict[str, Any], now: dt.datetime) -> Outcome[Exported]:
    """Write kiosk24-<kiosk>-<YYYYmmdd-HHMMSS>.tar.gz to the stick; a full or removed stick is a named problem."""
    final = stick / f"kiosk24-{kiosk_id}-{now:%Y%m%d-%H%M%S}.tar.gz"
    partial = stick / PARTIAL
    try:
        with open(partial, "wb") as file:
            with tarfile.open(fileobj=file, mode="w:gz") as archive:
                for path in logfile.files(log_dir):
                    archive.add(path, arcname=f"logs/{path.name}")
                _add(archive, "health.json", json.dumps(report, ensure_ascii=False, indent=2).encode(), now)
                _add(archive, "queue.json", json.dumps(
                    {k: report.get(k) for k in ("applications", "messages", "dead_letters")},
                    ensure_ascii=False, indent=2).encode(), now)
            file.flush()
            os.fsync(file.fileno())         # on the stick, not in the page cache, before we say "done"
        size = partial.stat().st_size
        os.replace(partial, final)
    except OSError as exc:
        log.error("log export to %s failed: %s", stick, exc)
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass                            # the stick is gone: nothing left to tidy
        return Outcome.failure(_problem(exc), str(exc))
    log.info("logs exported to %s (%d bytes)", final, size)
    return Outcome.success(Exported(final, size))
