"""`kiosk24 casestore follow-ups [--db URL] [--json]`: the centre staff's call-back list, from every kiosk,
oldest first: bad ratings (差评, score 2 or lower, article 28) and every complaint, "can't get it done"
report and suggestion (有诉必办, articles 27 and 33), each with the reference the citizen was given to
quote. It shows the citizen's words and number because calling back is the point; it is for
staff at the centre, not for logs or tickets.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sqlalchemy import select

from kiosk import feedback_sent
from sync.casestore.db import DEFAULT_DB_URL, Application, Complaint, NoStore, Rating, as_utc, case_of, existing_store


def follow_ups(db_url: str) -> list[dict[str, Any]]:
    """Every flagged rating and complaint with the central case it concerns (null: none, or not here yet);
    NoStore when db_url holds no case store."""
    engine = existing_store(db_url)
    central = Application.case_number.label("central")
    try:
        with engine.connect() as conn:
            ratings = conn.execute(select(Rating, central).outerjoin(Application, case_of(Rating))
                                   .where(Rating.follow_up)).all()
            complaints = conn.execute(select(Complaint, central).outerjoin(Application, case_of(Complaint))
                                      .where(Complaint.follow_up)).all()
    finally:
        engine.dispose()
    found = [{"kind": "rating", "id": r.id, "kiosk_id": r.kiosk_id, "received_at": as_utc(r.at).isoformat(),
              "service_code": r.service_code, "case_number": r.case_number, "central_case_number": r.central,
              "score": r.score, "reasons": json.loads(r.reasons), "text": r.comment, "contact_mobile": None}
             for r in ratings]
    found += [{"kind": "complaint", "id": c.id, "kiosk_id": c.kiosk_id, "received_at": as_utc(c.at).isoformat(),
               "service_code": c.service_code, "case_number": c.case_number, "central_case_number": c.central,
               "category": c.category, "reference": feedback_sent.reference(c.id), "text": c.text,
               "contact_mobile": c.contact_mobile}
              for c in complaints]
    return sorted(found, key=lambda item: item["received_at"])


def build_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--db", default=DEFAULT_DB_URL,
                        help=f"SQLAlchemy URL of the case store's database, as given to `casestore serve` "
                        f"(default {DEFAULT_DB_URL}: casestore.db in the current folder; it must exist)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    return parser


def run(args: argparse.Namespace) -> int:
    try:
        items = follow_ups(args.db)
    except NoStore as exc:
        print(f"follow-ups: {exc}", file=sys.stderr)
        return 2
    for item in items:
        if args.json:
            print(json.dumps(item, ensure_ascii=False))
            continue
        grade = f"score {item['score']}" if item["kind"] == "rating" else f"{item['category']} {item['reference']}"
        print(f"{item['received_at']}  {item['kiosk_id']}  {grade:<14}  {item['central_case_number'] or '-'}  "
              f"{item['contact_mobile'] or '-'}  {item['text'] or ''}")
    return 0
