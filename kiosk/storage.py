"""The kiosk's local database: tables, the SQLite settings submissions rely on, and migrations.

Every schema change is an Alembic revision under kiosk/migrations, applied at start-up, so a
kiosk in the field upgrades without losing the applications still waiting in its outbox.
"""
from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kiosk import backup
from kiosk.database_lock import exclusive
from kiosk.migrations import HEAD

log = logging.getLogger(__name__)

DAMAGED = ".damaged-"                 # kiosk.db.damaged-<time>: a file that failed its check, kept for recovery
SALVAGED_TABLES = ("outbox", "attachments", "counters", "messages")


class Base(DeclarativeBase):
    pass


class OutboxRow(Base):
    """One submitted application waiting for, or done with, delivery to the centre."""

    __tablename__ = "outbox"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)   # UUIDv7 idempotency key
    kiosk_case_number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    service_code: Mapped[str] = mapped_column(sa.String(64))
    payload: Mapped[str] = mapped_column(sa.Text)                      # the wire JSON, sealed, base64
    key_id: Mapped[str | None] = mapped_column(sa.String(16))          # the sealing key; NULL: plain (pre-0003)
    state: Mapped[str] = mapped_column(sa.String(12), index=True)      # pending|sending|delivered|dead
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(sa.DateTime())
    claimed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime())
    claimed_by: Mapped[int | None] = mapped_column()                   # pid; processes sharing the file share a host
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    central_case_number: Mapped[str | None] = mapped_column(sa.String(40))
    delivered_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime())
    central_status: Mapped[str | None] = mapped_column(sa.String(32))  # pulled from the centre
    status_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime())


class AttachmentRow(Base):
    """A material scanned for an application; written in the application's own transaction."""

    __tablename__ = "attachments"

    application_id: Mapped[str] = mapped_column(sa.ForeignKey("outbox.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(128))
    media_type: Mapped[str] = mapped_column(sa.String(64))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)                # sealed
    key_id: Mapped[str | None] = mapped_column(sa.String(16))


class MessageRow(Base):
    """A rating, complaint, help call or audit event waiting for, or done with, delivery to the centre."""

    __tablename__ = "messages"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)   # UUIDv7 idempotency key at the centre
    kind: Mapped[str] = mapped_column(sa.String(32))                   # the centre's collection: rating, help ...
    body: Mapped[str] = mapped_column(sa.Text)                         # the wire JSON, sealed, base64
    key_id: Mapped[str | None] = mapped_column(sa.String(16))          # the sealing key
    state: Mapped[str] = mapped_column(sa.String(12), index=True)      # pending|sending|delivered|dead
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(sa.DateTime())
    claimed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime())
    claimed_by: Mapped[int | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime())


class CounterRow(Base):
    """Per-day sequence for kiosk case numbers, advanced in the submitting transaction."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")     # a queued application survives a power cut
    cursor.execute("PRAGMA busy_timeout=10000")   # app, sync and simulate share one file
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def engine_for(path: Path) -> sa.Engine:
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(f"sqlite:///{path}")
    sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def migrate(engine: sa.Engine, revision: str = "head") -> None:
    """Bring the schema to the newest revision (tests may name an older one); a no-op when it already is."""
    if revision == "head" and _current_revision(engine) == HEAD:
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "kiosk:migrations")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("alembic_version"):
            return None
        return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _check(engine: sa.Engine) -> None:
    """Raise sqlalchemy's DatabaseError if the file is not a sound SQLite database."""
    with engine.connect() as connection:
        verdict = connection.exec_driver_sql("PRAGMA quick_check").scalar()
    if verdict != "ok":
        raise sa.exc.DatabaseError("PRAGMA quick_check", None, sqlite3.DatabaseError(str(verdict)))


def damaged_copies(path: Path) -> list[Path]:
    """Damaged database files kept beside path; technicians see them until they move them away."""
    return sorted(p for p in path.parent.glob(f"{path.name}{DAMAGED}*") if not p.name.endswith(("-wal", "-shm")))


def _salvage(damaged: Path, engine: sa.Engine) -> int:
    """Copy every row still readable from the damaged file; returns how many applications came back."""
    source = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
    try:
        with engine.begin() as target:
            for table in SALVAGED_TABLES:
                wanted = [c.name for c in Base.metadata.tables[table].columns]
                try:
                    present = {row[1] for row in source.execute(f"PRAGMA table_info({table})")}
                    columns = [c for c in wanted if c in present]
                    if not columns:             # a file older than the table (messages came with 0006)
                        continue
                    rows = source.execute(f"SELECT {', '.join(columns)} FROM {table}")
                    names, marks = ", ".join(columns), ", ".join("?" * len(columns))
                    insert = f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})"
                    for row in iter(rows.fetchone, None):
                        target.exec_driver_sql(insert, tuple(row))
                except sqlite3.DatabaseError as exc:   # read up to the damage, keep going with the next table
                    log.error("salvage of %s stopped: %s", table, exc)
            return target.exec_driver_sql("SELECT count(*) FROM outbox").scalar() or 0
    finally:
        source.close()


def _set_aside(path: Path, reason: str) -> sa.Engine:
    """Keep the damaged file (and its journal) under a new name, start a fresh one, salvage into it."""
    kept = path.with_name(f"{path.name}{DAMAGED}{dt.datetime.now():%Y%m%dT%H%M%S}")
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{path}{suffix}").exists():
            Path(f"{path}{suffix}").rename(f"{kept}{suffix}")
    engine = engine_for(path)
    migrate(engine)
    salvaged = _salvage(kept, engine)
    log.error("the kiosk database was damaged (%s); kept as %s, %d application(s) salvaged", reason, kept, salvaged)
    return engine


def open_database(path: Path) -> sa.Engine:
    """The migrated database at path; a damaged file is set aside and what it still holds is carried over,
    so the kiosk keeps serving and nothing already queued is thrown away."""
    with exclusive(path):
        engine = engine_for(path)
        try:
            _check(engine)
        except sa.exc.DatabaseError as exc:
            engine.dispose()
            return _set_aside(path, str(exc.orig))
        revision = _current_revision(engine)
        if revision not in (None, HEAD):        # an update: keep the file as it was, for a rollback
            backup.take(path, revision)
        migrate(engine)
        return engine
