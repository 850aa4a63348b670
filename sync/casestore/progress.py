"""Record a step in a case's life: `kiosk24 casestore status CASE_NUMBER STATUS [--note TEXT] [--db URL]`.

The reference store has no case officers' screens; this is how an operator (or a test) moves a case
on, and kiosks pull the change with their next status pull.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.casestore.db import DEFAULT_DB_URL, Application, Base, StatusChange, make_engine


def record(db_url: str, case_number: str, status: str, note: str | None = None) -> bool:
    """False when no such case exists."""
    engine = make_engine(db_url)
    try:
        Base.metadata.create_all(engine)
        with Session(engine) as session, session.begin():
            application_id = session.scalar(select(Application.id).where(Application.case_number == case_number))
            if application_id is None:
                return False
            session.add(StatusChange(application_id=application_id, status=status, note=note,
                                     at=dt.datetime.now(dt.UTC)))
        return True
    finally:
        engine.dispose()


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    if parser is None:
        parser = argparse.ArgumentParser(prog="python -m sync.casestore.progress", description=__doc__)
    parser.add_argument("case_number", metavar="CASE_NUMBER")
    parser.add_argument("status", metavar="STATUS", help="e.g. accepted, done, rejected")
    parser.add_argument("--note", help="remark shown to the citizen")
    parser.add_argument(
        "--db", metavar="URL", default=DEFAULT_DB_URL, help=f"SQLAlchemy database URL (default {DEFAULT_DB_URL})"
    )
    return parser


def run(args: argparse.Namespace) -> int:
    if not record(args.db, args.case_number, args.status, args.note):
        print(f"kiosk24: no case {args.case_number}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(run(build_parser().parse_args()))
