"""What is sent of a citizen's feedback (kiosk/feedback.py): the rating and the complaint made from the visit's
Draft when the citizen sends it, and a complaint's acknowledgement and slip. Apart from the Draft, which every
visit holds from the first frame on: these are made only after a tap, and their classes cost ~2 ms to make.

What rating, complaining and their slip need (kiosk.application, kiosk.messages, kiosk.receipt, ~10 ms) is
imported where they are made.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from kiosk.feedback import COMMENT_MAX, TEXT_MAX, Category, Score, reasons_for
from kiosk.i18n import Translator

if TYPE_CHECKING:
    from kiosk.messages import ComplaintBody, RatingBody
    from kiosk.receipt import Receipt


@dataclasses.dataclass(frozen=True)
class Rating:
    id: str
    service_code: str
    case_number: str
    score: Score
    reasons: tuple[str, ...]
    comment: str
    rated_at: dt.datetime

    def body(self) -> RatingBody:
        from kiosk.messages import RatingBody

        return RatingBody(id=self.id, service_code=self.service_code, case_number=self.case_number or None,
                          score=int(self.score), reasons=list(self.reasons), comment=self.comment or None,
                          rated_at=self.rated_at.isoformat())


@dataclasses.dataclass(frozen=True, repr=False)
class Complaint:
    id: str
    category: Category
    service_code: str          # "" when the citizen names no service
    case_number: str           # "" unless it follows a transaction on this kiosk
    text: str
    contact_mobile: str        # "" when the citizen leaves none: then nobody can call back
    submitted_at: dt.datetime

    def __repr__(self) -> str:   # the text and the number are the citizen's: never in a log
        return f"Complaint({self.id}, {self.category.value})"

    def body(self) -> ComplaintBody:
        from kiosk.messages import ComplaintBody

        return ComplaintBody(id=self.id, category=self.category.value,
                             service_code=self.service_code or None, case_number=self.case_number or None,
                             text=self.text, contact_mobile=self.contact_mobile or None,
                             submitted_at=self.submitted_at.isoformat())


def reference(complaint_id: str) -> str:
    """Ten digits for the citizen to quote on the 12345 hotline, from the random part of the complaint's
    UUIDv7 id (its first 48 bits are the time, alike for complaints sent together); the centre, which keeps
    the id, finds the complaint by computing the same digits."""
    import uuid  # it loads the platform module: not on the way to the first frame

    return f"{int(uuid.UUID(complaint_id).hex[-15:], 16) % 10**10:010d}"


@dataclasses.dataclass(frozen=True)
class Acknowledgement:
    """What the confirmation of a complaint shows once the visit's data is gone: its kind, its reference,
    and whether someone will call back; nothing the citizen wrote."""

    category: Category
    reference: str
    call_back: bool

    @classmethod
    def of(cls, complaint: Complaint) -> Acknowledgement:
        return cls(complaint.category, reference(complaint.id), bool(complaint.contact_mobile))


def slip(sent: Acknowledgement, tr: Translator, kiosk_id: str, at: dt.datetime) -> Receipt:
    """The paper the citizen takes away: what was received, its reference to quote, and what happens next;
    like the confirmation screen, nothing the citizen wrote or their number."""
    from kiosk.receipt import Kind, Line, Receipt, readable

    kind = sent.category.value
    return Receipt((
        Line(Kind.TITLE, tr.t("complaint.slip.title")),
        Line(Kind.TEXT, tr.t(f"complaint.sent.{kind}")),
        Line(Kind.RULE),
        Line(Kind.FIELD, readable(sent.reference), tr.t("complaint.reference")),
        Line(Kind.FIELD, at.strftime("%Y-%m-%d %H:%M"), tr.t("complaint.slip.at")),
        Line(Kind.FIELD, kiosk_id, tr.t("receipt.kiosk")),
        Line(Kind.RULE),
        Line(Kind.TEXT, tr.t(f"complaint.next.{kind}")),
        Line(Kind.TEXT, tr.t("complaint.call_back" if sent.call_back else "complaint.no_call_back")),
        Line(Kind.TEXT, tr.t("complaint.quote_reference")),
        Line(Kind.FEED),
    ))


def new_rating(service_code: str, case_number: str, score: Score, reasons: list[str], comment: str,
               at: dt.datetime) -> Rating:
    """Reasons outside the score's side are dropped: a good rating cannot carry "long wait"."""
    from kiosk.application import new_key

    allowed = reasons_for(score)
    return Rating(new_key(), service_code, case_number, score, tuple(r for r in allowed if r in reasons),
                  comment.strip()[:COMMENT_MAX], at)


def new_complaint(category: Category, service_code: str, case_number: str, text: str, mobile: str,
                  at: dt.datetime) -> Complaint:
    from kiosk.application import new_key

    return Complaint(new_key(), category, service_code, case_number, text.strip()[:TEXT_MAX], mobile.strip(), at)
