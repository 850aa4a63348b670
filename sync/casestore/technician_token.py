"""Issue a technician's QR token: `kiosk24 casestore technician-token KIOSK_ID --name N --minutes M`.

Prints the token text (make it a QR code, or `--png FILE` writes one). Only the centre can issue it: it is
signed with a key derived from the kiosk's enrolled credential (kiosk.technician), so it opens that
kiosk alone, until it expires; the kiosk records who came in with it in its audit trail.
"""
from __future__ import annotations

import argparse
import sys

from sqlalchemy.orm import Session

from kiosk.technician import issue_token
from sync.casestore.db import DEFAULT_DB_URL, Base, Kiosk, make_engine

MAX_MINUTES = 24 * 60


def token_for(db_url: str, kiosk_id: str, name: str, minutes: int) -> str | None:
    """None when the kiosk is not enrolled."""
    engine = make_engine(db_url)
    try:
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            kiosk = session.get(Kiosk, kiosk_id)
        return issue_token(kiosk.credential, kiosk_id, name, minutes) if kiosk else None
    finally:
        engine.dispose()


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    if parser is None:
        parser = argparse.ArgumentParser(prog="kiosk24 casestore technician-token", description=__doc__)
    parser.add_argument("kiosk_id", metavar="KIOSK_ID")
    parser.add_argument("--name", required=True, help="the technician, as the kiosk's audit trail records them")
    parser.add_argument("--minutes", type=int, default=60, help=f"valid for (default 60, at most {MAX_MINUTES})")
    parser.add_argument("--png", metavar="FILE", help="also write the token as a QR code image")
    parser.add_argument("--db", metavar="URL", default=DEFAULT_DB_URL,
                        help=f"SQLAlchemy database URL (default {DEFAULT_DB_URL})")
    return parser


def run(args: argparse.Namespace) -> int:
    if not args.name.strip() or len(args.name) > 64:
        print("kiosk24: --name must be 1 to 64 characters", file=sys.stderr)
        return 2
    if not 1 <= args.minutes <= MAX_MINUTES:
        print(f"kiosk24: --minutes must be between 1 and {MAX_MINUTES}", file=sys.stderr)
        return 2
    token = token_for(args.db, args.kiosk_id, args.name.strip(), args.minutes)
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
