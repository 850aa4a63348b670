"""Register a kiosk: `kiosk24 casestore enrol KIOSK_ID [--db URL] [--signing-key FILE]` prints a one-time
enrolment code and the centre's public key; at the kiosk, `kiosk24 enrol CODE` makes the kiosk's own
Ed25519 key and registers its public half with the code (sync/identity.py).

The centre keeps the code's SHA-256 only, for ENROL_HOURS, and forgets it once used; it never holds a
secret that signs as a kiosk. Enrolling a kiosk again (a kiosk replaced, its key stolen) issues a new
code; the old key works until the new one is registered, then never again.

The centre's own key (the signing key) signs every answer, pushed settings and technician tokens;
kiosks pin its public half. For a SQLite database it defaults to centre-signing.key beside the
database file, created 0600 on first use; keep it out of the database's backups in production.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import DateTime, String, delete, make_url
from sqlalchemy.orm import Mapped, Session, mapped_column

from sync import signing
from sync.casestore.db import DEFAULT_DB_URL, Base, Kiosk, make_engine

ENROL_HOURS = 72
KEY_NAME = "centre-signing.key"
DOCUMENT_KEY_NAME = "centre-documents.key"


class KioskKey(Base):
    """An enrolled kiosk's public key: it verifies the kiosk's requests and cannot make one."""

    __tablename__ = "kiosk_keys"

    kiosk_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64))
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Enrolment(Base):
    """A one-time enrolment code waiting for its kiosk, kept as SHA-256 only, until it expires."""

    __tablename__ = "kiosk_enrolments"

    kiosk_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    code_sha256: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


def code_digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def signing_key_path(db_url: str, given: Path | None) -> Path:
    """The centre's signing key file: the one given, else beside a SQLite database file."""
    if given is not None:
        return given
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise ValueError("--signing-key is required with a database other than a SQLite file")
    return Path(url.database).resolve().with_name(KEY_NAME)


def document_key_path(signing_key: Path) -> Path:
    """The document-signing key's default file: beside the signing key (sync/document_signature.py)."""
    return signing_key.with_name(DOCUMENT_KEY_NAME)


def centre_key(db_url: str, given: Path | None = None) -> Ed25519PrivateKey:
    from sync.casestore.issue_credential import load_or_create_key
    return load_or_create_key(signing_key_path(db_url, given))


def register(session: Session, kiosk_id: str, public_key: str) -> None:
    """Store the kiosk's public key; its HMAC credential and any pending code are forgotten in the same
    transaction, so from the commit on only the key signs as this kiosk."""
    signing.public_key(public_key)      # BadKey (a ValueError) for anything but an Ed25519 key
    session.merge(KioskKey(kiosk_id=kiosk_id, public_key=public_key, registered_at=dt.datetime.now(dt.UTC)))
    session.execute(delete(Kiosk).where(Kiosk.kiosk_id == kiosk_id))
    session.execute(delete(Enrolment).where(Enrolment.kiosk_id == kiosk_id))


def new_code(db_url: str, kiosk_id: str, hours: float = ENROL_HOURS) -> str:
    """A one-time code for kiosk_id, its digest stored before it is returned."""
    engine = make_engine(db_url)
    try:
        Base.metadata.create_all(engine)
        code = signing.new_credential()
        with Session(engine) as session, session.begin():
            session.merge(Enrolment(kiosk_id=kiosk_id, code_sha256=code_digest(code),
                                    expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)))
        return code
    finally:
        engine.dispose()


def enrol(db_url: str, kiosk_id: str) -> str:
    """For the demo and tests, where centre and kiosk are one machine: a kiosk key made here, its public
    half registered, the private key returned as PEM (the kiosk's `credential`). A real kiosk makes its
    own key and never lets it out (`kiosk24 enrol CODE`)."""
    key = Ed25519PrivateKey.generate()
    engine = make_engine(db_url)
    try:
        Base.metadata.create_all(engine)
        with Session(engine) as session, session.begin():
            register(session, kiosk_id, signing.public_text(key.public_key()))
        return signing.private_pem(key)
    finally:
        engine.dispose()


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    if parser is None:
        parser = argparse.ArgumentParser(prog="python -m sync.casestore.enrol", description=__doc__)
    parser.add_argument("kiosk_id", metavar="KIOSK_ID")
    parser.add_argument(
        "--db", metavar="URL", default=DEFAULT_DB_URL, help=f"SQLAlchemy database URL (default {DEFAULT_DB_URL})"
    )
    parser.add_argument("--signing-key", metavar="FILE", type=Path,
                        help=f"the centre's signing key (default: {KEY_NAME} beside a SQLite database)")
    parser.add_argument("--hours", type=float, default=ENROL_HOURS,
                        help=f"the code is good for this long (default {ENROL_HOURS})")
    return parser


def run(args: argparse.Namespace) -> int:
    if not args.kiosk_id.strip() or len(args.kiosk_id) > 128:
        print("kiosk24: KIOSK_ID must be 1 to 128 characters", file=sys.stderr)
        return 2
    if not 0 < args.hours <= 24 * 30:
        print("kiosk24: --hours must be more than 0 and at most 720", file=sys.stderr)
        return 2
    try:
        public = signing.public_text(centre_key(args.db, args.signing_key).public_key())
    except ValueError as exc:
        print(f"kiosk24: {exc}", file=sys.stderr)
        return 2
    print(f"enrolment_code = {new_code(args.db, args.kiosk_id, args.hours)}")
    print(f"centre_public_key = {public}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
