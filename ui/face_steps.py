"""人证核验's taps: a try runs the camera and the matcher off the UI thread and reports to the session."""
from __future__ import annotations

from collections.abc import Callable

from kiosk.face import NO_CAMERA, Match
from kiosk.outcome import Outcome
from kiosk.ports import FaceVerifier
from kiosk.session import Session, State
from ui.bridge import Bridge


class FaceSteps:
    def __init__(self, session: Session, bridge: Bridge, verifier: FaceVerifier | None,
                 changed: Callable[[], None]) -> None:
        self.session = session
        self.bridge = bridge
        self.verifier = verifier
        self.changed = changed

    def check(self) -> None:
        """One try: the screen shows the frame cue while the camera is on, then the result."""
        session = self.session
        if not session.face_started(self.verifier is not None and self.verifier.asks_turn):
            return
        if self.verifier is None or session.identity is None:
            session.face_checked(Outcome.failure(NO_CAMERA, "no face camera configured"))
            self.changed()
            return
        visit, photo, verifier = session.visit, session.identity.photo, self.verifier
        self.changed()

        def measured(outcome: Outcome[Match]) -> None:
            if session.visit is not visit or session.state is not State.FACE:
                return          # the citizen left or timed out meanwhile: the result is nobody's
            session.face_checked(outcome)
            self.changed()
        self.bridge.run(lambda: verifier.compare(photo), measured)
