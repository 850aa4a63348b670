"""The kiosk's own log file under data_dir/logs, rotated nightly by housekeeping (not by size in the
process: the app and the `kiosk24 housekeeping` command may both be running, so rotation is a rename
and the app's handler reopens the file when it finds it renamed).

Nothing of a citizen reaches a log unmasked (Identity's repr and idnumber.mask see to that), so these
files may leave the kiosk on a technician's USB stick.
"""
from __future__ import annotations

import logging
from pathlib import Path

NAME = "kiosk24.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
EARLY_MOST = 1000          # records kept for the file before it opens; a start-up that logs more is broken anyway


def handler(log_dir: Path) -> logging.Handler:
    import logging.handlers  # sockets, pickle, queues: not on the way to the first frame (Early holds until then)

    log_dir.mkdir(parents=True, exist_ok=True)
    made = logging.handlers.WatchedFileHandler(log_dir / NAME, encoding="utf-8")
    made.setFormatter(logging.Formatter(FORMAT))
    return made


class Early(logging.Handler):
    """Keeps what is logged before the log file is opened (the kiosk paints its first frame first), and hands
    it to the file's handler in order once that exists."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) < EARLY_MOST:
            self.records.append(record)

    def hand_to(self, target: logging.Handler) -> None:
        for record in self.records:
            if record.levelno >= target.level:
                target.handle(record)
        self.records.clear()


def files(log_dir: Path) -> list[Path]:
    """The current log, then the rotated ones, newest first."""
    current = log_dir / NAME
    rotated = sorted(log_dir.glob(f"{NAME}.*"), key=lambda p: int(p.suffix[1:]) if p.suffix[1:].isdigit() else 0)
    return ([current] if current.exists() else []) + [p for p in rotated if p.suffix[1:].isdigit()]


def rotate(log_dir: Path, keep: int) -> list[Path]:
    """kiosk24.log becomes .1, .1 becomes .2 ...; beyond `keep` they go. Returns the files removed."""
    current = log_dir / NAME
    if not current.exists() or current.stat().st_size == 0:
        return []
    removed = []
    for old in files(log_dir)[1:]:
        number = int(old.suffix[1:])
        if number >= keep:
            old.unlink()
            removed.append(old)
    for number in range(keep - 1, 0, -1):
        older = log_dir / f"{NAME}.{number}"
        if older.exists():
            older.rename(log_dir / f"{NAME}.{number + 1}")
    current.rename(log_dir / f"{NAME}.1")
    return removed
