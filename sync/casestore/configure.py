"""Push settings to a kiosk: `kiosk24 casestore configure KIOSK_ID NAME=VALUE ... [--db URL]`.

The kiosk picks them up with the answer to its next heartbeat. Names and bounds are those of
sync/pushed.py; `NAME=` removes a setting, so the kiosk's own configuration applies again.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from sqlalchemy.orm import Session

from sync import pushed
from sync.casestore.db import DEFAULT_DB_URL, Base, KioskSettings, make_engine


class SettingError(ValueError):
    pass


def parse(assignments: list[str]) -> tuple[dict[str, float], list[str]]:
    """NAME=VALUE pairs as (settings to set, names to remove); SettingError names what is wrong."""
    values, removed = {}, []
    for assignment in assignments:
        name, _, text = assignment.partition("=")
        if name not in pushed.BOUNDS:
            raise SettingError(f"{name!r} is not one of {', '.join(pushed.BOUNDS)}")
        if not text:
            removed.append(name)
            continue
        try:
            value = float(text)
        except ValueError:
            raise SettingError(f"{name}: {text!r} is not a number") from None
        if name not in pushed.accepted({name: value}):
            raise SettingError(f"{name}: {value} is outside {pushed.BOUNDS[name]}")
        values[name] = value
    return values, removed


def configure(db_url: str, kiosk_id: str, values: dict[str, float], removed: list[str]) -> dict[str, float]:
    """Merge into what the kiosk has pushed already; returns the settings now in force."""
    engine = make_engine(db_url)
    try:
        Base.metadata.create_all(engine)
        with Session(engine) as session, session.begin():
            row = session.get(KioskSettings, kiosk_id)
            current = json.loads(row.settings) if row else {}
            current = {k: v for k, v in {**current, **values}.items() if k not in removed}
            session.merge(KioskSettings(kiosk_id=kiosk_id, settings=json.dumps(current),
                                        updated_at=dt.datetime.now(dt.UTC)))
        return current
    finally:
        engine.dispose()


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    if parser is None:
        parser = argparse.ArgumentParser(prog="python -m sync.casestore.configure", description=__doc__)
    parser.add_argument("kiosk_id", metavar="KIOSK_ID")
    parser.add_argument("assignments", metavar="NAME=VALUE", nargs="+", help=", ".join(pushed.BOUNDS))
    parser.add_argument(
        "--db", metavar="URL", default=DEFAULT_DB_URL, help=f"SQLAlchemy database URL (default {DEFAULT_DB_URL})"
    )
    return parser


def run(args: argparse.Namespace) -> int:
    try:
        values, removed = parse(args.assignments)
    except SettingError as exc:
        print(f"kiosk24: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(configure(args.db, args.kiosk_id, values, removed)))
    return 0


if __name__ == "__main__":
    sys.exit(run(build_parser().parse_args()))
