"""Paper and consumables: receipts printed since the roll was changed, counted in the kiosk database.

A printer reports "near end" only when the roll is almost gone; counting receipts lets a technician
see how far a roll has gone and plan the next visit. The counts live in the counters table (no
migration), written in their own small transaction after each receipt that really came out.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kiosk.outcome import Outcome
from kiosk.receipt import Receipt
from kiosk.storage import CounterRow

SINCE_PAPER = "printer.receipts_since_paper"
TOTAL = "printer.receipts_total"
PAPER_CHANGED_AT = "printer.paper_changed_at"      # Unix seconds


@dataclasses.dataclass(frozen=True)
class PaperCount:
    since_paper: int
    total: int
    changed_at: dt.datetime | None          # None: never recorded on this kiosk


class Consumables:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def printed(self) -> None:
        with self.engine.begin() as conn:
            for name in (SINCE_PAPER, TOTAL):
                conn.execute(sqlite_insert(CounterRow).values(name=name, value=1).on_conflict_do_update(
                    index_elements=[CounterRow.name], set_={"value": CounterRow.value + 1}))

    def paper_replaced(self, now: float | None = None) -> None:
        with self.engine.begin() as conn:
            for name, value in ((SINCE_PAPER, 0), (PAPER_CHANGED_AT, int(now if now is not None else time.time()))):
                conn.execute(sqlite_insert(CounterRow).values(name=name, value=value).on_conflict_do_update(
                    index_elements=[CounterRow.name], set_={"value": value}))

    def count(self) -> PaperCount:
        with self.engine.connect() as conn:
            rows = dict(conn.execute(sa.select(CounterRow.name, CounterRow.value).where(
                CounterRow.name.in_((SINCE_PAPER, TOTAL, PAPER_CHANGED_AT)))).all())
        changed = rows.get(PAPER_CHANGED_AT)
        return PaperCount(rows.get(SINCE_PAPER, 0), rows.get(TOTAL, 0),
                          dt.datetime.fromtimestamp(changed, dt.UTC) if changed else None)


class CountingPrinter:
    """The kiosk's printer as every screen uses it: each receipt that came out is counted."""

    def __init__(self, printer: Any, consumables: Consumables) -> None:
        self.printer = printer
        self.consumables = consumables

    def print_receipt(self, receipt: Receipt) -> Outcome[None]:
        outcome: Outcome[None] = self.printer.print_receipt(receipt)
        if outcome.ok:
            self.consumables.printed()
        return outcome

    print = print_receipt

    def status(self) -> Any:
        """The driver's devices.health.Health, for technicians and the heartbeat."""
        return self.printer.status()
