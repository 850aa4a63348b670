"""Withdraw an issued document: `kiosk24 casestore revoke-document CODE [--db URL]`.

Its verification page and a kiosk's check then say 已撤销 (revoked). The signed PDF itself cannot be
recalled: a signature stays intact, so whoever relies on a document checks its code, not only the
signature (docs/documents.md).
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys

from sqlalchemy import update
from sqlalchemy.orm import Session

from sync.casestore.db import DEFAULT_DB_URL, NoStore, existing_store, rows_changed


def revoke(db_url: str, code: str, now: dt.datetime) -> bool:
    """False when no document has this code; revoking twice keeps the first time. (The documents module
    is imported here: it brings the web framework, which `kiosk24`'s parser must not load on every start.)"""
    from sync.casestore.documents import IssuedDocument
    engine = existing_store(db_url)
    try:
        with Session(engine) as session, session.begin():
            found = session.get(IssuedDocument, code)
            if found is None:
                return False
            rows_changed(session, update(IssuedDocument).where(IssuedDocument.code == code,
                                                               IssuedDocument.revoked_at.is_(None))
                         .values(revoked_at=now))
        return True
    finally:
        engine.dispose()


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    if parser is None:
        parser = argparse.ArgumentParser(prog="python -m sync.casestore.revoke_document", description=__doc__)
    parser.add_argument("code", metavar="CODE", help="the verification code printed on the document")
    parser.add_argument("--db", metavar="URL", default=DEFAULT_DB_URL,
                        help=f"SQLAlchemy database URL (default {DEFAULT_DB_URL})")
    return parser


def run(args: argparse.Namespace) -> int:
    from sync.casestore.documents import CODE_PATTERN
    code = args.code.strip().upper()
    if not CODE_PATTERN.match(code):
        print("kiosk24: CODE is the 16-character verification code printed beside the QR code", file=sys.stderr)
        return 2
    try:
        found = revoke(args.db, code, dt.datetime.now(dt.UTC))
    except NoStore as exc:
        print(f"kiosk24: {exc}", file=sys.stderr)
        return 2
    if not found:
        print("kiosk24: no document has this code", file=sys.stderr)
        return 1
    print(f"revoked {code}")
    return 0


if __name__ == "__main__":
    sys.exit(run(build_parser().parse_args()))
