"""List what the case store holds: `python -m sync.casestore.export --db URL [--json]`.

Only numbers, keys and times, never the citizen's data: this is for reconciling kiosks' outboxes
with the centre, and its output ends up in tickets and chat.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from sync.casestore.db import DEFAULT_DB_URL, Application, NoStore, StoredAttachment, as_utc, existing_store

FIELDS = ("case_number", "kiosk_case_number", "kiosk_id", "idempotency_key", "received_at", "attachments")
BATCH = 1000


def run_export(db_url: str) -> Iterator[dict[str, Any]]:
    """One dict per stored application, oldest first, streamed so a province's store fits in memory;
    NoStore (on the first item) when db_url holds no case store."""
    engine = existing_store(db_url)
    query = select(
        Application.id,
        Application.case_number,
        Application.kiosk_case_number,
        Application.kiosk_id,
        Application.idempotency_key,
        Application.received_at,
        Application.payload,
    ).order_by(Application.id)
    try:
        with engine.connect() as connection, engine.connect() as side:
            for batch in connection.execution_options(yield_per=BATCH).execute(query).partitions():
                digests = _attachment_digests(side, [row.id for row in batch])
                for row in batch:
                    record = row._asdict()
                    record["received_at"] = as_utc(row.received_at).isoformat()
                    record["attachments"] = digests.get(record.pop("id"), [])
                    # 容缺: which materials are owed and by when (names and dates only, no personal data)
                    record["missing_materials"] = json.loads(record.pop("payload")).get("missing_materials", [])
                    yield record
    finally:
        engine.dispose()


def _attachment_digests(connection: Any, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Name, SHA-256 and size of each application's attachments, in their order."""
    query = (select(StoredAttachment.application_id, StoredAttachment.name, StoredAttachment.sha256,
                    StoredAttachment.size)
             .where(StoredAttachment.application_id.in_(ids))
             .order_by(StoredAttachment.application_id, StoredAttachment.position))
    found: dict[int, list[dict[str, Any]]] = {}
    for row in connection.execute(query):
        found.setdefault(row.application_id, []).append({"name": row.name, "sha256": row.sha256, "size": row.size})
    return found


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    """The export options, added to parser if given (the kiosk24 CLI passes its subcommand parser)."""
    if parser is None:
        parser = argparse.ArgumentParser(prog="python -m sync.casestore.export", description=__doc__)
    parser.add_argument(
        "--db", metavar="URL", default=DEFAULT_DB_URL,
        help=f"SQLAlchemy URL of the database `casestore serve` uses (default {DEFAULT_DB_URL}: casestore.db "
        "in the current folder; it must exist)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per line instead of columns")
    return parser


def run(args: argparse.Namespace) -> int:
    try:
        for record in run_export(args.db):
            if args.json:
                print(json.dumps(record, ensure_ascii=False))
            else:
                digests = ",".join(a["sha256"] for a in record["attachments"])
                print("\t".join([*(str(record[field]) for field in FIELDS[:-1]), digests]))
    except NoStore as exc:
        print(f"export: {exc}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
