"""Register a kiosk: `python -m sync.casestore.enrol KIOSK_ID [--db URL]` prints its credential, once.

Enrolling a kiosk again replaces its credential (a kiosk replaced or its secret leaked); the store
keeps only the newest, so the old one stops working at once.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys

from sqlalchemy.orm import Session

from sync.casestore.db import DEFAULT_DB_URL, Base, Kiosk, make_engine
from sync.signing import new_credential


def enrol(db_url: str, kiosk_id: str) -> str:
    """A new credential for kiosk_id, stored before it is returned."""
    engine = make_engine(db_url)
    try:
        Base.metadata.create_all(engine)
        credential = new_credential()
        with Session(engine) as session, session.begin():
            session.merge(Kiosk(kiosk_id=kiosk_id, credential=credential, enrolled_at=dt.datetime.now(dt.UTC)))
        return credential
    finally:
        engine.dispose()


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    if parser is None:
        parser = argparse.ArgumentParser(prog="python -m sync.casestore.enrol", description=__doc__)
    parser.add_argument("kiosk_id", metavar="KIOSK_ID")
    parser.add_argument(
        "--db", metavar="URL", default=DEFAULT_DB_URL, help=f"SQLAlchemy database URL (default {DEFAULT_DB_URL})"
    )
    return parser


def run(args: argparse.Namespace) -> int:
    if not args.kiosk_id.strip() or len(args.kiosk_id) > 128:
        print("kiosk24: KIOSK_ID must be 1 to 128 characters", file=sys.stderr)
        return 2
    print(enrol(args.db, args.kiosk_id))
    return 0


def main(argv: list[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
