"""Nightly housekeeping: what a kiosk left alone for months needs so its disk and database stay healthy.

Delivered applications and messages past their retention are purged (personal data leaves the kiosk),
the log is rotated, SQLite is checkpointed and optimised, and vacuumed when little is pending (VACUUM
rewrites the file: cheap when the queue is short, and it gives the purged pages back to the disk).
Run by the app at config.housekeeping_hour and by `kiosk24 housekeeping`; safe to run twice.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import Any

import sqlalchemy as sa

from kiosk import logfile
from kiosk.config import Config
from sync import health_report
from sync.health_report import Queue
from sync.outbox import Outbox

log = logging.getLogger(__name__)

VACUUM_MAX_PENDING = 200        # beyond this, a VACUUM would hold the write lock too long for submissions


@dataclasses.dataclass(frozen=True)
class Housekeeping:
    purged_applications: int
    purged_messages: int
    logs_removed: list[str]
    vacuumed: bool
    database_bytes: int
    report: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def is_due(now: dt.datetime, hour: int, last_day: dt.date | None) -> bool:
    """At the configured local hour, once a day; -1 leaves it to the command."""
    return hour >= 0 and now.hour == hour and last_day != now.date()


def _maintain(engine: sa.Engine, vacuum: bool) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if vacuum:
            conn.exec_driver_sql("VACUUM")
        conn.exec_driver_sql("PRAGMA optimize")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")     # the WAL back to nothing: the file is all


def run(config: Config, outbox: Outbox, messages: Queue | None = None) -> Housekeeping:
    retention = dt.timedelta(hours=config.retention_hours)
    purged = outbox.purge_delivered(retention)
    purged_messages = messages.purge_delivered(retention) if messages is not None else 0
    removed = logfile.rotate(config.log_dir, config.log_keep)
    pending = outbox.status().pending + (messages.status().pending if messages is not None else 0)
    vacuum = pending <= VACUUM_MAX_PENDING
    _maintain(outbox.engine, vacuum)
    report = health_report.report(config, outbox, messages).as_dict()
    done = Housekeeping(purged, purged_messages, [p.name for p in removed], vacuum,
                        config.database_path.stat().st_size, report)
    log.info("housekeeping: %d application(s) and %d message(s) purged, %s, %d old log(s) removed",
             purged, purged_messages, "vacuumed" if vacuum else f"not vacuumed ({pending} pending)", len(removed))
    return done
