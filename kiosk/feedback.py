"""What citizens tell the centre about the service: ratings (好差评, article 28), and complaints,
"can't get it done" reports (办不成事反映, article 33) and suggestions (article 27).

Both are values sent through kiosk.ports.MessageQueue in the shapes kiosk.messages gives the centre:
durable on the kiosk, delivered by sync. Reason codes and categories are stable identifiers for the
centre's statistics; what the citizen reads comes from i18n keys built from them
(rating.reason.<code>, complaint.category_name.<value>).
"""
from __future__ import annotations

import dataclasses
import enum

from kiosk.catalog import FieldType

# Every visit starts with a Draft, the first frame's too: what is sent of it (Rating, Complaint, the complaint's
# acknowledgement and slip) is in kiosk/feedback_sent.py, imported where they are made, after a tap.

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
