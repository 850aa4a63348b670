"""What the case store answers: the response models of its API (what kiosks send is sync/wire.py)."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from pydantic import BaseModel, Field

# The 401 every signed operation may answer, for the OpenAPI document.
REFUSED: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not signed, signed by an unknown kiosk, out of the time window, or replayed."}}


class Receipt(BaseModel):
    """The store's answer to a push: the central case number, new or already stored."""

    case_number: str = Field(description="Central case number, unique across all kiosks and server processes.")
    idempotency_key: uuid.UUID = Field(description="The key the kiosk sent.")
    status: str = Field(description="Current status of the case.")
    duplicate: bool = Field(description="True when this kiosk stored the key already; nothing new was created.")


class StatusEntry(BaseModel):
    status: str = Field(description="Status name, e.g. received.")
    at: dt.datetime = Field(description="When the case reached this status (UTC).")
    note: str | None = Field(description="Remark for the citizen, if any.")


class CaseStatus(BaseModel):
    """What a kiosk may read back of one of its own cases: its numbers and status, nothing personal."""

    case_number: str
    idempotency_key: uuid.UUID
    kiosk_id: str
    kiosk_case_number: str
    service_code: str
    received_at: dt.datetime
    status: str


class Progress(BaseModel):
    """What a citizen may see of a case with the token from their receipt: no personal data."""

    case_number: str
    kiosk_case_number: str
    service_code: str
    status: str
    promised_date: dt.date | None
    history: list[StatusEntry]


class StatusChangeOut(BaseModel):
    id: int = Field(description="Increasing cursor: ask for changes after the last one seen.")
    case_number: str
    idempotency_key: uuid.UUID
    status: str
    at: dt.datetime
    note: str | None


class StatusChanges(BaseModel):
    changes: list[StatusChangeOut] = Field(description="Oldest first, at most `limit`.")
    last_id: int = Field(description="The cursor to send next time (unchanged when there is nothing new).")


class HeartbeatAck(BaseModel):
    received_at: dt.datetime
    settings: dict[str, float] = Field(
        default={}, description="Settings pushed to this kiosk by an operator (names and bounds: sync/pushed.py).")


class Health(BaseModel):
    status: Literal["ok"]
    applications: int = Field(description="Number of stored applications.")
