"""Operators of the centre and their credential: `kiosk24 casestore operator NAME` prints a new token, once.

Operators are kept apart from kiosks on purpose: a kiosk's credential, found on a stolen kiosk,
must not open the fleet view, and an operator's token signs no application. The store keeps only
the token's SHA-256: the token is 256 random bits, so no slow hash is needed to make a stolen
database useless for logging in. Asking again for the same name replaces the token.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import hmac
import re
import secrets
import sys
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from sync.casestore.db import DEFAULT_DB_URL, Base, make_engine

if TYPE_CHECKING:     # the server's library stays unloaded when `kiosk24` only builds its parser
    from fastapi.security import HTTPBasicCredentials

NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")     # typed into a browser's log-in box: plain characters only


class Operator(Base):
    """Someone at the centre who may see the fleet view."""

    __tablename__ = "operators"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(db_url: str, name: str) -> str:
    """A new token for the operator name, stored (as its digest) before it is returned."""
    if not NAME.match(name):
        raise ValueError("NAME must be 1 to 64 letters, digits, dots, dashes or underscores")
    engine = make_engine(db_url)
    try:
        Base.metadata.create_all(engine)
        token = secrets.token_urlsafe(32)
        with Session(engine) as session, session.begin():
            session.merge(Operator(name=name, token_sha256=_digest(token), created_at=dt.datetime.now(dt.UTC)))
        return token
    finally:
        engine.dispose()


def check(sessions: sessionmaker[Session], credentials: HTTPBasicCredentials | None) -> str:
    """The operator's name, or 401 asking the browser for HTTP Basic credentials."""
    from fastapi import HTTPException, status

    refused = HTTPException(status.HTTP_401_UNAUTHORIZED, "operator credentials required",
                            headers={"WWW-Authenticate": 'Basic realm="Kiosk24 fleet", charset="UTF-8"'})
    if credentials is None:
        raise refused
    with sessions() as session:
        operator = session.get(Operator, credentials.username)
    # compared even for an unknown name, so the answer's timing does not tell which names exist
    expected = operator.token_sha256 if operator else "0" * 64
    if not hmac.compare_digest(expected, _digest(credentials.password)) or operator is None:
        raise refused
    return operator.name


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    if parser is None:
        parser = argparse.ArgumentParser(prog="python -m sync.casestore.operators", description=__doc__)
    parser.add_argument("name", metavar="NAME", help="the operator's log-in name")
    parser.add_argument(
        "--db", metavar="URL", default=DEFAULT_DB_URL, help=f"SQLAlchemy database URL (default {DEFAULT_DB_URL})"
    )
    return parser


def run(args: argparse.Namespace) -> int:
    try:
        token = create(args.db, args.name)
    except ValueError as exc:
        print(f"kiosk24: {exc}", file=sys.stderr)
        return 2
    print(token)
    return 0


def main(argv: list[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
