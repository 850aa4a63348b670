"""What the kiosk says on each screen, composed from the same keyed strings as the glass.

Every screen says where the citizen is and what to do next (voice.* keys); problems on the screen
are read after it. Numbers a citizen must note down (ID, mobile, case number) are spelled one
character at a time, and masked characters are said as "hidden", never as asterisks.
"""
from __future__ import annotations

import datetime as dt
import re

from kiosk import apply_voice, browsing, certified, identifying, online_voice, opening, review, success
from kiosk.application import problem_values
from kiosk.catalog import Service
from kiosk.closure import Closure
from kiosk.i18n import Translator
from kiosk.session import Session, State
from kiosk.workdays import Calendar

_MASK = re.compile(r"\*+")


def _digit_groups(run: str) -> list[str]:
    """How a listener holds a long number: a mobile number 3-4-4 as it is printed, others in fours."""
    if len(run) <= 4 or not run.isdigit():
        return [run]
    if len(run) == 11 and run.startswith("1"):
        return [run[:3], run[3:7], run[7:]]
    return [run[i:i + 4] for i in range(0, len(run), 4)]


def spell(text: str, tr: Translator) -> str:
    """'XY-01' → 'X Y, 0 1': each character on its own, groups apart (long digit runs in short groups: a
    pause every few digits, as a clerk reads a number out), masks as one word."""
    groups = []
    for group in (g for part in re.split(r"[-\s]+", text) for g in _digit_groups(part) if g):
        pieces = [" ".join(piece) for piece in _MASK.split(group)]
        groups.append(f" {tr.t('voice.hidden')} ".join(pieces).strip())
    return tr.t("common.list_separator").join(groups)


def time_limit(service: Service, tr: Translator) -> str:
    if service.time_limit_days:
        return tr.t("detail.time_limit_days", days=service.time_limit_days)
    return tr.t("detail.on_the_spot")


def review_pairs(session: Session, tr: Translator, spoken: bool = False) -> list[tuple[str, str]]:
    """(label, value) of the review's rows (kiosk.review); spoken numbers are spelled."""
    spelled = (lambda value: spell(value, tr)) if spoken else None
    return [(row.label, row.value) for row in review.rows(session, tr, spelled)]


def closure_lines(closure: Closure, tr: Translator, now: dt.datetime | None = None,
                  calendar: Calendar | None = None) -> list[str]:
    """Out of service: the title, the hall to go to instead, when it is open and (given now) when it opens
    next, the hotline that answers at any hour (a closed kiosk at night sent people to a locked hall), in the
    reader's language and the house style of hours; the glass shows these, the voice says them."""
    return [tr.t("out_of_service.title"), *opening.alternative_lines(closure.hall, tr, now, calendar),
            tr.t("out_of_service.hotline"), tr.t("out_of_service.sorry")]


def _paper(session: Session, tr: Translator, printing: bool) -> str:
    if printing:
        return tr.t("done.printing")
    if session.print_problem:
        return tr.t("done.not_printed", reason=tr.t(session.print_problem))
    return tr.t("done.printed")


def browsing_announcement(session: Session, tr: Translator) -> str:
    """The accessibility mode's service list: which step, how many choices, which page."""
    place = session.browsing
    if place.category is None:
        return tr.t("access.voice.categories", per_page=browsing.PER_PAGE)
    if place.category == browsing.BUNDLES:
        count = len(session.catalog.bundles)
    elif place.category == browsing.ONLINE:
        count = len(browsing.ONLINE_SERVICES)
    else:
        count = len(session.catalog.by_domain(session.domain))
    pages = browsing.page_count(count)
    return tr.t("access.voice.category", count=count, page=place.page + 1, pages=pages)


def guide_print_text(session: Session, tr: Translator) -> str:
    """Whether the printed guide came out, as the detail screen shows it and the voice says it; "" before."""
    status = session.guide_print
    if status is None:
        return ""
    if status.problem is None:
        return tr.t(f"guide.{status.stage.value}")
    return tr.t("guide.not_printed", reason=tr.t(status.problem))


def _screen(session: Session, tr: Translator, printing: bool) -> str:
    state, service = session.state, session.service
    identity_screen = identifying.announcement(session, tr, _paper(session, tr, printing), spell)
    if identity_screen is not None:     # several credentials, 代为办理, 一件事一次办
        return identity_screen
    online_screen = online_voice.screen(session, tr, spell)
    if online_screen is not None:       # 查询打印, 办件进度, 免申即享, 预约
        return online_screen
    if state is State.ATTRACT and session.closure is not None:
        return " ".join(closure_lines(session.closure, tr, session.clock(), session.calendar))
    if state is State.SERVICES and session.profile.assisted:
        return browsing_announcement(session, tr)
    if state is State.SERVICES:
        count = len(session.catalog.by_domain(session.domain))
        return tr.t("voice.services", domain=tr.t(f"domain.{session.domain.value}"), count=count)
    if state is State.DETAIL and service is not None:
        materials = tr.t("common.list_separator").join(tr.local(m.name) for m in service.materials)
        said = tr.t("voice.detail", service=tr.local(service.name), time_limit=time_limit(service, tr),
                    count=len(service.materials), materials=materials)
        return " ".join(filter(None, [said, guide_print_text(session, tr)]))
    if state in apply_voice.STEPS:
        return apply_voice.announcement(session, tr)
    if state is State.FACE and session.face.exhausted:     # 人证核验 with no try left: the way out, no retry
        return tr.t("voice.face_way_out")
    if state is State.FACE:         # 人证核验: where to look, and a cue when the camera is on
        said = "voice.face_turning" if session.face.turning else "voice.face_checking"
        return tr.t(said if session.face.checking else "voice.face", tries=session.face.left)
    if state is State.REVIEW:
        summary = tr.t("common.list_separator").join(
            tr.t("common.pair", label=name, value=value) for name, value in review_pairs(session, tr, spoken=True))
        return tr.t("voice.review", summary=summary)
    if state is State.COMPLAINT_SENT and session.acknowledgement is not None:
        sent = session.acknowledgement
        return tr.t("voice.complaint_sent", what=tr.t(f"complaint.sent.{sent.category.value}"),
                    reference=spell(sent.reference, tr))
    if state is State.RECEIPT:
        said = tr.t("voice.receipt", case_number=spell(session.case_number or "", tr),
                    paper=_paper(session, tr, printing))
        if session.application is None:
            return said
        after = " ".join(success.next_steps(session, tr))     # what the glass lists under 接下来
        return " ".join([said, tr.t("common.pair", label=tr.t("design.next_steps"), value=after)])
    if state is State.RATING_REASONS and session.feedback.score is not None:
        return tr.t("voice.rating_reasons", score=tr.t(f"rating.score.{int(session.feedback.score)}"))
    if state is State.COMPLAINT and session.feedback.problems:
        return " ".join([tr.t("voice.complaint")] + [tr.t("voice.problem", problem=tr.t(key))
                                                      for key in session.feedback.problems.values()])
    return tr.t(f"voice.{state.value}")


def announcement(session: Session, tr: Translator, printing: bool = False) -> str:
    """Where the citizen is, what to do, and what went wrong here if anything did."""
    parts = [_screen(session, tr, printing)]
    if session.problem:
        said = tr.t(session.problem, **certified.problem_values(session.problem, session.online.check_code))
        parts.append(tr.t("voice.problem", problem=said))
    if session.state is State.FORM and session.service is not None:
        for field in session.service.fields:
            if field.key in session.form_problems:
                problem = tr.t("common.pair", label=tr.local(field.named),
                               value=tr.t(session.form_problems[field.key], **problem_values(field)))
                parts.append(tr.t("voice.problem", problem=problem))
    return " ".join(parts)
