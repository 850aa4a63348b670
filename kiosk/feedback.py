"""What citizens tell the centre about the service: ratings (好差评, article 28), and complaints,
"can't get it done" reports (办不成事反映, article 33) and suggestions (article 27).

Both are values sent through kiosk.ports.MessageQueue in the shapes kiosk.messages gives the centre:
durable on the kiosk, delivered by sync. Reason codes and categories are stable identifiers for the
centre's statistics; what the citizen reads comes from i18n keys built from them
(rating.reason.<code>, complaint.category_name.<value>).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from typing import TYPE_CHECKING

from kiosk.catalog import FieldType
from kiosk.i18n import Translator

if TYPE_CHECKING:
    from kiosk.messages import ComplaintBody, RatingBody
    from kiosk.receipt import Receipt

# Every visit starts with a Draft, the first frame's too: what rating, complaining and their slip need
# (kiosk.application, kiosk.messages, kiosk.receipt, ~10 ms) is imported where they are made, after a tap.

COMMENT_MAX = 200        # a kiosk comment is a sentence or two typed with one finger
TEXT_MAX = 500


class Score(enum.IntEnum):
    """The national five-level scale of 好差评; the centre receives the number."""

    VERY_SATISFIED = 5       # 非常满意
    SATISFIED = 4            # 满意
    BASICALLY_SATISFIED = 3  # 基本满意
    DISSATISFIED = 2         # 不满意
    VERY_DISSATISFIED = 1    # 非常不满意

    @property
    def is_bad(self) -> bool:
        """差评: the two lowest levels, which the department must call back about (article 28)."""
        return self <= Score.DISSATISFIED


# The service code of a rating after a flow that concerns no catalog item (好差评 after every flow).
PROGRESS_QUERY = "progress_query"    # 办件进度查询 that found no case
BENEFITS = "benefits"                # 免申即享

GOOD_REASONS = ("convenient", "done_at_once", "clear_guidance")
BAD_REASONS = ("long_wait", "complicated", "device_fault", "unclear_materials", "unhappy_with_result")


def reasons_for(score: Score) -> tuple[str, ...]:
    return BAD_REASONS if score.is_bad else GOOD_REASONS


class Category(enum.Enum):
    COMPLAINT = "complaint"        # 投诉
    CANNOT_DO = "cant_get_done"    # 办不成事
    SUGGESTION = "suggestion"      # 建议


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


def complaint_problems(text: str, mobile: str) -> dict[str, str]:
    """i18n keys of what is wrong, by field ("text", "mobile"); empty when it can be sent."""
    from kiosk.application import field_problem

    problems = {}
    if not text.strip():
        problems["text"] = "feedback.text_required"
    mobile_problem = field_problem(FieldType.MOBILE, mobile, required=False)
    if mobile_problem:
        problems["mobile"] = mobile_problem
    return problems


def new_complaint(category: Category, service_code: str, case_number: str, text: str, mobile: str,
                  at: dt.datetime) -> Complaint:
    from kiosk.application import new_key

    return Complaint(new_key(), category, service_code, case_number, text.strip()[:TEXT_MAX], mobile.strip(), at)


@dataclasses.dataclass(slots=True)       # slots: a misspelt field set from a screen fails loudly
class Draft:
    """What the citizen has chosen and typed so far; a re-render (language, text size) keeps it."""

    score: Score | None = None
    reasons: list[str] = dataclasses.field(default_factory=list)
    comment: str = ""
    category: Category = Category.COMPLAINT
    text: str = ""
    mobile: str = ""
    about_service: bool = True       # link the complaint to the visit's service and case, when there is one
    problems: dict[str, str] = dataclasses.field(default_factory=dict)

    def toggle_reason(self, code: str) -> None:
        if code in self.reasons:
            self.reasons.remove(code)
        else:
            self.reasons.append(code)
