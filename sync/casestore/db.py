"""The case store's tables and engine: one row per application, its status history beside it.

Several server processes may share one database, so everything that must be unique (the central
case number, the kiosk's idempotency key) is enforced by the database, never by a process.
Later tables (ratings, complaints, kiosk heartbeats) join the same Base.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    Boolean,
    ColumnElement,
    CursorResult,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Update,
    and_,
    create_engine,
    event,
    inspect,
    make_url,
    or_,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from kiosk.application import CHINA_TZ

DEFAULT_DB_URL = "sqlite:///casestore.db"
# Connections one server process keeps to a database server, all of them opened once and kept: requests run
# in a pool of 40 threads, and a connection opened at a burst and closed after it costs PostgreSQL a process
# start just when it is busiest (bench.fleet: ~15 a second at saturation with an overflow of 10). A request past
# these waits for a connection instead. A province sizes max_connections by these per worker (docs/operator.md).
POOL_SIZE = 20
POOL_OVERFLOW = 0
CASE_PREFIX = "XY"


class Base(DeclarativeBase):
    pass


class Application(Base):
    """One application as a kiosk pushed it; payload holds the whole validated body as JSON."""

    __tablename__ = "applications"
    # A key is the kiosk's own: another kiosk sending the same key makes its own application.
    __table_args__ = (UniqueConstraint("kiosk_id", "idempotency_key", name="uq_application_kiosk_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Null only inside the inserting transaction: the number is derived from the row's own id.
    case_number: Mapped[str] = mapped_column(String(32), unique=True, nullable=True)
    idempotency_key: Mapped[str] = mapped_column(String(36), index=True)     # unique per kiosk, see __table_args__
    kiosk_case_number: Mapped[str] = mapped_column(String(128), index=True)    # printed on the receipt
    kiosk_id: Mapped[str] = mapped_column(String(128), index=True)
    service_code: Mapped[str] = mapped_column(String(128))
    payload: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    history: Mapped[list[StatusChange]] = relationship(back_populates="application", order_by="StatusChange.id")
    attachments: Mapped[list[StoredAttachment]] = relationship(order_by="StoredAttachment.position")


class StoredAttachment(Base):
    """A material's bytes as the kiosk sent them; sha256 is computed here, on arrival."""

    __tablename__ = "attachments"

    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    media_type: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class StatusChange(Base):
    """One step in a case's life (received, accepted, done ...), shown to the citizen on query."""

    __tablename__ = "status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    status: Mapped[str] = mapped_column(String(32))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)

    application: Mapped[Application] = relationship(back_populates="history")


class Kiosk(Base):
    """An enrolled kiosk and the credential it signs with (the centre needs the secret itself for HMAC)."""

    __tablename__ = "kiosks"

    kiosk_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    credential: Mapped[str] = mapped_column(String(128))
    enrolled_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SeenSignature(Base):
    """Signatures accepted within the replay window: each is good for one request only."""

    __tablename__ = "seen_signatures"

    signature: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class TrackingToken(Base):
    """SHA-256 of the token on the citizen's receipt: a stolen database does not let anyone query cases."""

    __tablename__ = "tracking_tokens"

    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64))


class Rating(Base):
    """A citizen's rating (好差评) given at a kiosk, kept once per the kiosk's key. case_number is the number
    the kiosk sent (its own or the central one; none for a visit without a case); a bad rating (follow_up)
    waits for the centre's staff to call back. The first shape of this table (one rating per case,
    "ratings") was never sent to by kiosks; the reference store has no migrations, hence the new name."""

    __tablename__ = "kiosk_ratings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)     # the kiosk's UUIDv7
    kiosk_id: Mapped[str] = mapped_column(String(128), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    case_number: Mapped[str | None] = mapped_column(String(128))
    service_code: Mapped[str] = mapped_column(String(128))
    score: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[str] = mapped_column(Text)                          # JSON list of reason codes
    comment: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    follow_up: Mapped[bool] = mapped_column(Boolean, index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))    # when the store recorded it


class Complaint(Base):
    """A complaint, "can't get it done" report (办不成事, follow_up) or suggestion made at a kiosk; kept by
    the kiosk's own id, once. New name for the same reason as kiosk_ratings."""

    __tablename__ = "kiosk_complaints"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)     # the kiosk's UUIDv7: a retry is no second one
    kiosk_id: Mapped[str] = mapped_column(String(128), index=True)
    category: Mapped[str] = mapped_column(String(16))
    service_code: Mapped[str | None] = mapped_column(String(128))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    case_number: Mapped[str | None] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text)
    contact_mobile: Mapped[str | None] = mapped_column(String(20))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    follow_up: Mapped[bool] = mapped_column(Boolean, index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class HelpCall(Base):
    """A citizen's call for staff (帮办代办) from a kiosk: where they are stuck and what they may need."""

    __tablename__ = "help_requests"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(128), index=True)
    location: Mapped[str] = mapped_column(String(200))
    screen: Mapped[str] = mapped_column(String(64))
    service_code: Mapped[str] = mapped_column(String(128))
    language: Mapped[str] = mapped_column(String(16))
    assisted: Mapped[bool] = mapped_column(Boolean)
    audio_only: Mapped[bool] = mapped_column(Boolean)
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """What a technician did at a kiosk, as the kiosk recorded it: the centre keeps the trail."""

    __tablename__ = "audit_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(128), index=True)
    technician: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(128))
    detail: Mapped[str] = mapped_column(Text)
    happened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class KioskSettings(Base):
    """Settings an operator pushes to one kiosk; sent back with every answer to its heartbeat."""

    __tablename__ = "kiosk_settings"

    kiosk_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    settings: Mapped[str] = mapped_column(Text)          # JSON, sync.pushed.BOUNDS names only
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Heartbeat(Base):
    """The latest heartbeat of each kiosk: queue depth and device health, for the operators' overview."""

    __tablename__ = "heartbeats"

    kiosk_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    report: Mapped[str] = mapped_column(Text)


class ProgressLockout(Base):
    """Wrong ID-number tails given for one case within the window, from any kiosk (one row per case, so
    bounded by the cases stored): guessing the six characters stops after a few tries
    (sync/casestore/citizen_progress.py)."""

    __tablename__ = "progress_lockouts"

    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    since: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)    # the window's start


class LookupQuota(Base):
    """Look-ups in the back ends within the window, per kiosk ("kiosk:ID") and per ID number
    ("person:" and its SHA-256): sync/casestore/lookup_quota.py."""

    __tablename__ = "lookup_quota"

    scope: Mapped[str] = mapped_column(String(200), primary_key=True)
    since: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    used: Mapped[int] = mapped_column(Integer)


class ChipBinding(Base):
    """Which ID number (as its SHA-256) a chip digest was first sent with: one digest, one person
    (sync/casestore/card_proof.py). Rows expire, and the table is kept to a bounded size."""

    __tablename__ = "chip_bindings"

    chip_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_sha256: Mapped[str] = mapped_column(String(64))
    bound_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class SlotUsage(Base):
    """How many of an appointment slot's places are taken; raised by one conditional UPDATE, so two
    server processes never give away the same last place."""

    __tablename__ = "slot_usage"

    slot_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    booked: Mapped[int] = mapped_column(Integer)


class Booking(Base):
    """An appointment at a service hall (预约), made at a kiosk once per the kiosk's key."""

    __tablename__ = "bookings"
    __table_args__ = (UniqueConstraint("kiosk_id", "key", name="uq_booking_kiosk_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(36))            # the kiosk's, unique per kiosk
    booking_number: Mapped[str] = mapped_column(String(32), unique=True, nullable=True)
    kiosk_id: Mapped[str] = mapped_column(String(128), index=True)
    slot_id: Mapped[str] = mapped_column(String(64), index=True)
    service_code: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(128))
    id_number: Mapped[str] = mapped_column(String(32))
    mobile: Mapped[str] = mapped_column(String(16))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


def case_of(row: type[Rating | Complaint]) -> ColumnElement[bool]:
    """Join condition to the stored application a rating or complaint concerns. The case may arrive after
    it (both travel from the kiosk): a row recorded without one is matched by its number when read."""
    return and_(Application.kiosk_id == row.kiosk_id, or_(
        Application.id == row.application_id,
        and_(row.application_id.is_(None), or_(Application.kiosk_case_number == row.case_number,
                                               Application.case_number == row.case_number))))


def case_number_for(row_id: int, received_at: dt.datetime) -> str:
    """The central number: prefix, the day it arrived in China, and the row id that makes it unique."""
    day = received_at.astimezone(CHINA_TZ).strftime("%Y%m%d")
    return f"{CASE_PREFIX}{day}-{row_id:08d}"


def rows_changed(session: Session, statement: Update) -> int:
    """How many rows an UPDATE changed (SQLAlchemy types execute()'s answer as a Result, without rowcount)."""
    return cast(CursorResult[Any], session.execute(statement)).rowcount


def as_utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands datetimes back without their zone; the store writes UTC only."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the writer; FULL makes an answered submission survive power loss.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def sqlite_path(db_url: str) -> Path | None:
    """The file of a SQLite URL; None for another database or SQLite in memory."""
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _create_private(path: Path) -> None:
    """A new database file readable by the service's user only (0600, whatever the umask): it holds
    citizens' data and the kiosks' public keys. SQLite gives its -wal and -shm files the same mode."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass


# Any constant both server processes agree on: the lock that makes creating the tables one process's job.
SCHEMA_LOCK = 0x4B3234      # "K24"


def create_tables(engine: Engine) -> None:
    """Create missing tables. Workers of one store start at once: on PostgreSQL they take turns under an
    advisory lock (DDL is transactional there, so the second sees the first's tables), instead of the
    loser of a CREATE TABLE race failing its start-up."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": SCHEMA_LOCK})
        Base.metadata.create_all(connection)


def upsert(session: Session, table: type[Base], key: str, values: dict[str, Any]) -> None:
    """One row written by its key in one statement (ON CONFLICT, PostgreSQL's and SQLite's alike): no read
    before the write, and two first writes at once cannot both insert. For rows written on every request."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(table).values(values)
    session.execute(statement.on_conflict_do_update(
        index_elements=[key], set_={name: statement.excluded[name] for name in values if name != key}))


class NoStore(Exception):
    """A tool that reads the case store was pointed at a database that is not one."""


def existing_store(db_url: str) -> Engine:
    """An engine on a case store that exists, for the tools that only read it (export, follow-ups):
    never a new empty file in the current folder. NoStore names what is missing."""
    path = sqlite_path(db_url)
    if path is not None and not path.is_file():
        raise NoStore(f"no case store database at {path}: give --db the URL `kiosk24 casestore serve` uses")
    engine = make_engine(db_url)
    if "applications" not in inspect(engine).get_table_names():
        engine.dispose()
        raise NoStore(f"{make_url(db_url).render_as_string(hide_password=True)} holds no case store "
                      "(no applications table): give --db the URL `kiosk24 casestore serve` uses")
    return engine


def make_engine(db_url: str) -> Engine:
    """An engine for any SQLAlchemy URL; parameters stay out of error messages, they hold citizens' data."""
    path = sqlite_path(db_url)
    if path is None:
        return create_engine(db_url, hide_parameters=True, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
    if path.parent.is_dir():
        _create_private(path)
    # Other server processes write the same file: wait for their lock instead of failing.
    engine = create_engine(db_url, hide_parameters=True, connect_args={"timeout": 30})
    event.listen(engine, "connect", _tune_sqlite)
    return engine
