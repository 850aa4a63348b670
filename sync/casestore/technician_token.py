"""Issue a technician's QR token: `kiosk24 casestore technician-token KIOSK_ID --name N --minutes M`.

Prints the token text (make it a QR code, or `--png FILE` writes one). Only the centre can issue it: it is
signed with the centre's own key (the one kiosks pin, never stored in the database), names one enrolled
kiosk, lives at most an hour and opens once; the kiosk records who came in with it in its audit trail.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.orm import Session

from kiosk.technician import MAX_TOKEN_MINUTES, issue_token
from sync.casestore.db import DEFAULT_DB_URL, Base, Kiosk, make_engine
from sync.casestore.enrol import KioskKey, centre_key

MAX_MINUTES = MAX_TOKEN_MINUTES


def token_for(db_url: str, kiosk_id: str, name: str, minutes: int, signing_key: Path | None = None) -> str | None:
    """None when the kiosk is not enrolled."""
    engine = make_engine(db_url)
    try:
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            enrolled = session.get(KioskKey, kiosk_id) or session.get(Kiosk, kiosk_id)
        return issue_token(centre_key(db_url, signing_key), kiosk_id, name, minutes) if enrolled else None
    finally:
        engine.dispose()


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    if parser is None:
        parser = argparse.ArgumentParser(prog="kiosk24 casestore technician-token", description=__doc__)
    parser.add_argument("kiosk_id", metavar="KIOSK_ID")
    parser.add_argument("--name", required=True, help="the technician, as the kiosk's audit trail records them")
    parser.add_argument("--minutes", type=int, default=30, help=f"valid for (default 30, at most {MAX_MINUTES})")
    parser.add_argument("--png", metavar="FILE", help="also write the token as a QR code image")
    parser.add_argument("--db", metavar="URL", default=DEFAULT_DB_URL,
                        help=f"SQLAlchemy database URL (default {DEFAULT_DB_URL})")
    parser.add_argument("--signing-key", metavar="FILE", type=Path,
                        help="the centre's signing key (default: centre-signing.key beside a SQLite database)")
    return parser


def run(args: argparse.Namespace) -> int:
    if not args.name.strip() or len(args.name) > 64:
        print("kiosk24: --name must be 1 to 64 characters", file=sys.stderr)
        return 2
    if not 1 <= args.minutes <= MAX_MINUTES:
        print(f"kiosk24: --minutes must be between 1 and {MAX_MINUTES}", file=sys.stderr)
        return 2
    try:
        token = token_for(args.db, args.kiosk_id, args.name.strip(), args.minutes, args.signing_key)
    except ValueError as exc:
        print(f"kiosk24: {exc}", file=sys.stderr)
        return 2
    if token is None:
        print(f"kiosk24: kiosk {args.kiosk_id!r} is not enrolled (kiosk24 casestore enrol)", file=sys.stderr)
        return 1
    if args.png:
        import qrcode
        qrcode.make(token).save(args.png)
    print(token)
    return 0


def main(argv: list[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
