"""The interfaces the core needs from the outside; bootstrap wires real or test implementations."""
from __future__ import annotations

from typing import Protocol

from kiosk.application import Application
from kiosk.help import HelpRequest
from kiosk.outcome import Outcome
from kiosk.receipt import Receipt


class ApplicationStore(Protocol):
    def submit(self, application: Application) -> Outcome[str]:
        """Store durably in one transaction; the value is the kiosk case number."""


class ReceiptPrinter(Protocol):
    def print_receipt(self, receipt: Receipt) -> Outcome[None]:
        """Print and report whether a receipt really came out."""


class HelpDesk(Protocol):
    def request_help(self, request: HelpRequest) -> Outcome[None]:
        """Record the call for staff durably on the kiosk; delivery to the centre is sync's job."""


class MessageQueue(Protocol):
    """Everything else a kiosk tells the centre besides applications: ratings (好差评), complaints,
    help calls, appointment requests, technicians' audit events. Queued durably on the kiosk and
    delivered by sync exactly once, like applications, so a dead network loses none of them."""

    def send(self, kind: str, key: str, body: dict[str, object]) -> Outcome[None]:
        """Store in one transaction; kind names the centre's collection ("rating", "complaint", "help",
        "audit", ...), key (a UUIDv7 from application.new_key) is the idempotency key there."""
