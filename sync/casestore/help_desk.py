"""帮办代办 while the citizen waits: the calls for staff on the operators' fleet page, acknowledged there,
and the kiosk's question whether someone has answered.

A kiosk posts its call to /api/v1/help-requests (sync/casestore/messages.py) at once and polls
/api/v1/help-requests/{id}/answer; the fleet page lists the calls not yet acknowledged, newest first,
with the kiosk, its place and the screen the citizen is on, each with an acknowledge button. The button
is a plain form (the page runs no script) that posts to /fleet/help/{id}/acknowledge with a check value
only the logged-in operator's page holds, so another site cannot make an operator's browser acknowledge.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import html
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Query, status
from fastapi.responses import RedirectResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel, Field
from sqlalchemy import DateTime, ForeignKey, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from kiosk.application import CHINA_TZ
from kiosk.i18n import Translator
from sync.casestore import operators
from sync.casestore.answers import REFUSED
from sync.casestore.db import Base, HelpCall, as_utc
from sync.casestore.operators import Operator

OPEN_FOR = dt.timedelta(hours=2)     # a call older than this is no longer someone waiting at the kiosk
# A call kept on a kiosk while its network was down and delivered this long after it was made: the citizen has
# most likely gone (the kiosk told them to call 12345), so it is recorded but nobody is sent to the kiosk for it.
LATE = dt.timedelta(minutes=15)
REFRESH_S = 5                        # the fleet page's refresh while someone waits: a call shows within seconds
MOST_SHOWN = 50
BASIC = HTTPBasic(auto_error=False)
CallId = Annotated[str, Path(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")]


class HelpAnswer(Base):
    """An operator's acknowledgement of a call: someone is on their way. Once per call."""

    __tablename__ = "help_answers"

    call_id: Mapped[str] = mapped_column(ForeignKey("help_requests.id"), primary_key=True)
    operator: Mapped[str] = mapped_column(String(64))
    acknowledged_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class HelpAnswerOut(BaseModel):
    id: str
    received_at: dt.datetime = Field(description="When the centre recorded the call.")
    acknowledged: bool = Field(description="An operator has taken the call: staff are on their way.")
    acknowledged_at: dt.datetime | None = None


def check_value(operator_digest: str, call_id: str) -> str:
    """What the acknowledge form carries: tied to the operator's own credential and to the call."""
    return hmac.new(operator_digest.encode(), call_id.encode(), hashlib.sha256).hexdigest()


def open_calls(session: Session, now: dt.datetime) -> list[HelpCall]:
    """Calls of the last OPEN_FOR not yet acknowledged and not delivered LATE, newest first."""
    answered = select(HelpAnswer.call_id)
    calls = session.scalars(select(HelpCall).where(HelpCall.at >= now - OPEN_FOR, HelpCall.id.not_in(answered))
                            .order_by(HelpCall.at.desc()).limit(MOST_SHOWN))
    return [c for c in calls if as_utc(c.at) - as_utc(c.requested_at) <= LATE]


def section(sessions: sessionmaker[Session], operator: str, tr: Translator, now: dt.datetime) -> tuple[str, int]:
    """The fleet page's list of waiting citizens, and how many wait; every value a kiosk sent is escaped."""
    def text(key: str, **values: object) -> str:
        return html.escape(tr.t(f"fleet.help.{key}", **values))

    with sessions() as session:
        calls = open_calls(session, now)
        digest = session.get(Operator, operator)
    key = digest.token_sha256 if digest else ""
    rows = []
    for call in calls:
        waited = max(0, int((now - as_utc(call.at)).total_seconds()) // 60)
        needs = [text(name) for name, on in (("assisted", call.assisted), ("audio_only", call.audio_only)) if on]
        action = f"/fleet/help/{call.id}/acknowledge?check={check_value(key, call.id)}"
        rows.append(
            f'<tr class="help-call" data-call="{html.escape(call.id)}" data-kiosk="{html.escape(call.kiosk_id)}">'
            f'<td class="kiosk-id">{html.escape(call.kiosk_id)}</td><td>{html.escape(call.location)}</td>'
            f'<td class="screen">{html.escape(call.screen)}</td><td>{html.escape(call.service_code) or "-"}</td>'
            f'<td>{"、".join(needs) or "-"}</td>'
            f'<td>{as_utc(call.at).astimezone(CHINA_TZ).strftime("%H:%M:%S")}<br>{text("waited", n=waited)}</td>'
            f'<td><form method="post" action="{html.escape(action)}"><button type="submit">{text("acknowledge")}'
            f"</button></form></td></tr>")
    columns = "".join(f"<th>{text('column.' + c)}</th>" for c in
                      ("kiosk", "location", "screen", "service", "needs", "called_at", "action"))
    body = "".join(rows) or f'<tr><td colspan="7">{text("none")}</td></tr>'
    return (f'<h2 id="help-calls">{text("title", n=len(calls))}</h2>'
            f'<table id="help"><thead><tr>{columns}</tr></thead><tbody>{body}</tbody></table>'), len(calls)


def router(sessions: sessionmaker[Session], calling_kiosk: Any) -> APIRouter:
    """The kiosk's question: has anyone answered my call?"""
    api = APIRouter(prefix="/api/v1")

    @api.get("/help-requests/{call_id}/answer", responses={404: {"description": "No such call of this kiosk."},
                                                           **REFUSED})
    def answer(call_id: CallId, kiosk: str = calling_kiosk) -> HelpAnswerOut:
        """Whether an operator has acknowledged this kiosk's call (polled while the citizen waits)."""
        with sessions() as session:
            call = session.get(HelpCall, call_id)
            if call is None or call.kiosk_id != kiosk:
                raise HTTPException(status.HTTP_404_NOT_FOUND, "no such help call of this kiosk")
            taken = session.get(HelpAnswer, call_id)
        return HelpAnswerOut(id=call.id, received_at=as_utc(call.at), acknowledged=taken is not None,
                             acknowledged_at=as_utc(taken.acknowledged_at) if taken else None)

    return api


def register(app: FastAPI, sessions: sessionmaker[Session],
             clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> None:
    """POST /fleet/help/{id}/acknowledge for operators (HTTP Basic, like the fleet page)."""
    @app.post("/fleet/help/{call_id}/acknowledge", include_in_schema=False)
    def acknowledge(call_id: CallId, check: Annotated[str, Query(max_length=64)],
                    credentials: Annotated[HTTPBasicCredentials | None, Depends(BASIC)]) -> RedirectResponse:
        name = operators.check(sessions, credentials)
        with sessions() as session:
            operator, call = session.get(Operator, name), session.get(HelpCall, call_id)
        if operator is None or not hmac.compare_digest(check, check_value(operator.token_sha256, call_id)):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "the acknowledgement did not come from the fleet page")
        if call is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such help call")
        try:
            with sessions.begin() as session:
                session.add(HelpAnswer(call_id=call_id, operator=name, acknowledged_at=clock()))
        except IntegrityError:
            pass                     # another operator took it first: it is taken either way
        return RedirectResponse("/fleet#help-calls", status_code=status.HTTP_303_SEE_OTHER)
