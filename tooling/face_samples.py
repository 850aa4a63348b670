"""The 人证核验 screens in `kiosk24 screenshots` and the audit: 养老金资格认证 before the camera turns on,
while it is on and asks for the head turn (liveness is on by default), after a failed try, and the way out
after three."""
from __future__ import annotations

from collections.abc import Callable

from kiosk import face
from kiosk.face import Match
from kiosk.identity import Identity
from kiosk.outcome import Outcome
from kiosk.session import Event, Session

Steps = list[tuple[str, Callable[[], object]]]
_FRAME = "0" * 64


def steps(session: Session, who: Identity) -> Steps:
    code = next(s.code for s in session.catalog.services if s.face_check)

    def before() -> None:
        session.fire(Event.HOME)
        session.fire(Event.START)
        session.choose_service(code)
        session.fire(Event.APPLY)
        session.identified(who)

    def failed_once() -> None:
        session.face_checked(Outcome.success(Match(0.74, _FRAME)))

    def way_out() -> None:
        for _ in range(session.face.left):
            session.face_started()
            session.face_checked(Outcome.failure(face.NO_FACE))

    return [
        ("80-face", before),
        ("81-face-checking", lambda: session.face_started(turning=True)),
        ("82-face-problem", failed_once),
        ("83-face-way-out", way_out),
    ]
