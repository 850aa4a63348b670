"""The bodies of what a kiosk tells the centre besides applications, as the centre's API accepts them.

The core builds these plain dicts and hands them to a kiosk.ports.MessageQueue with their kind; sync
delivers them (sync/messages.py) to the collection the kind names. Every body carries its "id", the
same UUIDv7 as the queue's key, so a repeat is recognised at the centre. Times are ISO-8601 with zone.
"""
from __future__ import annotations

from typing import Literal, TypedDict, cast

from kiosk.help import Answer, HelpRequest
from kiosk.outcome import Outcome
from kiosk.ports import MessageQueue

RATING, COMPLAINT, HELP, AUDIT = "rating", "complaint", "help", "audit"    # the kinds sync knows how to deliver


class RatingBody(TypedDict):
    """好差评 of one visit. case_number is the KIOSK case number on the receipt, or None when the visit left
    no case (a progress query, a print). reasons are the tapped reason codes; comment is free text."""

    id: str
    service_code: str
    case_number: str | None
    score: int                  # 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意; <= 2 is followed up
    reasons: list[str]
    comment: str | None
    rated_at: str


ComplaintCategory = Literal["complaint", "cant_get_done", "suggestion"]   # 投诉, 办不成事, 建议


class ComplaintBody(TypedDict):
    """投诉建议. "cant_get_done" (办不成事) is followed up by staff like a bad rating."""

    id: str
    category: ComplaintCategory
    service_code: str | None
    case_number: str | None     # the kiosk case number, if the complaint concerns one
    text: str
    contact_mobile: str | None
    submitted_at: str


class HelpBody(TypedDict):
    """帮办代办: HelpRequest.as_dict() with its key as id."""

    id: str
    kiosk_id: str
    location: str
    screen: str
    service_code: str
    language: str
    assisted: bool
    audio_only: bool
    requested_at: str


class AuditBody(TypedDict):
    """What a technician did at the kiosk (opened technician mode, retried dead letters, rotated the key ...)."""

    id: str
    technician: str
    action: str
    detail: str
    at: str


def help_body(request: HelpRequest) -> HelpBody:
    fields = request.as_dict()
    key = fields.pop("key")
    return cast(HelpBody, {"id": str(key), **fields})


class QueuedHelpDesk:
    """The HelpDesk port over the message queue alone: a help call waits durably on the kiosk and sync takes
    it to the centre's staff, like any other message; so it is never confirmed while the citizen waits."""

    def __init__(self, queue: MessageQueue) -> None:
        self.queue = queue

    def request_help(self, request: HelpRequest) -> Outcome[Answer]:
        outcome = self.queue.send(HELP, request.key, dict(help_body(request)))
        return Outcome.success(Answer.OFFLINE) if outcome.ok else Outcome.failure("help.failed", outcome.detail)

    def answered(self, key: str) -> Outcome[bool]:
        return Outcome.failure("centre.unreachable", "a queue does not hear the centre's answer")
