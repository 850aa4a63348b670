"""Paper and consumables: receipts printed since the roll was changed, and A4 pages since the tray was
filled, counted in the kiosk database.

A printer reports "near end" only when the roll is almost gone; counting receipts lets a technician
see how far a roll has gone and plan the next visit. The counts live in the counters table (no
migration), written in their own small transaction after each receipt (or A4 job) that really came out.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kiosk.outcome import Outcome
from kiosk.ports import A4Printer, A4Status
from kiosk.receipt import Receipt
from kiosk.storage import CounterRow


@dataclasses.dataclass(frozen=True)
class Paper:
    """The counter names of one printer's paper."""
    since_paper: str
    total: str
    changed_at: str                                  # Unix seconds


RECEIPTS = Paper("printer.receipts_since_paper", "printer.receipts_total", "printer.paper_changed_at")
A4_PAGES = Paper("a4.pages_since_paper", "a4.pages_total", "a4.paper_changed_at")


@dataclasses.dataclass(frozen=True)
class PaperCount:
    since_paper: int
    total: int
    changed_at: dt.datetime | None          # None: never recorded on this kiosk


class Consumables:
    """One printer's paper: RECEIPTS (one per receipt) or A4_PAGES (the pages of each A4 job)."""

    def __init__(self, engine: sa.Engine, paper: Paper = RECEIPTS) -> None:
        self.engine = engine
        self.paper = paper

    def printed(self, count: int = 1) -> None:
        with self.engine.begin() as conn:
            for name in (self.paper.since_paper, self.paper.total):
                conn.execute(sqlite_insert(CounterRow).values(name=name, value=count).on_conflict_do_update(
                    index_elements=[CounterRow.name], set_={"value": CounterRow.value + count}))

    def paper_replaced(self, now: float | None = None) -> None:
        changed = int(now if now is not None else time.time())
        with self.engine.begin() as conn:
            for name, value in ((self.paper.since_paper, 0), (self.paper.changed_at, changed)):
                conn.execute(sqlite_insert(CounterRow).values(name=name, value=value).on_conflict_do_update(
                    index_elements=[CounterRow.name], set_={"value": value}))

    def count(self) -> PaperCount:
        names = (self.paper.since_paper, self.paper.total, self.paper.changed_at)
        with self.engine.connect() as conn:
            rows = dict(conn.execute(sa.select(CounterRow.name, CounterRow.value).where(
                CounterRow.name.in_(names))).all())
        changed = rows.get(self.paper.changed_at)
        return PaperCount(rows.get(self.paper.since_paper, 0), rows.get(self.paper.total, 0),
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


class CountingA4Printer:
    """The A4 printer as the printing services use it: the pages of each job CUPS printed are counted."""

    def __init__(self, printer: A4Printer, consumables: Consumables) -> None:
        self.printer = printer
        self.consumables = consumables

    def status(self) -> A4Status:
        return self.printer.status()

    def print_pdf(self, pdf: bytes, title: str) -> int:
        pages = self.printer.print_pdf(pdf, title)      # A4PrintError passes through: nothing to count
        self.consumables.printed(pages)
        return pages
