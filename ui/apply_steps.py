"""Taps of the steps after the form (materials, commitment, signature), forwarded to the session; the
document camera runs off the UI thread and reports back here."""
from __future__ import annotations

from collections.abc import Callable

from devices.doccam import CAMERA_ABSENT
from kiosk.outcome import Outcome
from kiosk.ports import DocumentCamera
from kiosk.session import Session, State
from ui.bridge import Bridge


class ApplySteps:
    def __init__(self, session: Session, bridge: Bridge, camera: DocumentCamera | None,
                 changed: Callable[[], None]) -> None:
        self.session = session
        self.bridge = bridge
        self.camera = camera
        self.changed = changed
        self.capturing: int | None = None      # the material being photographed: its buttons wait

    def capture(self, index: int, add_page: bool = False) -> None:
        if self.capturing is not None or self.session.state is not State.MATERIALS or not self.session.photo_consent:
            return
        if self.camera is None:
            self.session.capture_failed(CAMERA_ABSENT)
            self.changed()
            return
        self.capturing = index
        service, camera = self.session.service, self.camera
        self.changed()

        def captured(outcome: Outcome[tuple[bytes, str]]) -> None:
            self.capturing = None
            if self.session.state is not State.MATERIALS or self.session.service is not service:
                return          # the citizen left (or timed out) meanwhile: the picture is not theirs to keep
            if outcome.ok and outcome.value is not None:
                self.session.captured(index, *outcome.value, add_page=add_page)
            else:
                self.session.capture_failed(outcome.problem or CAMERA_ABSENT)
            self.changed()
        self.bridge.run(camera.capture, captured)

    def consent_to_photographs(self, agreed: bool) -> None:
        self.session.consent_to_photographs(agreed)
        self.changed()

    def supply_later(self, index: int, later: bool) -> None:
        self.session.supply_later(index, later)
        self.changed()

    def materials_done(self) -> None:
        if self.capturing is None:
            self.session.materials_done()
            self.changed()

    def commit(self) -> None:
        if self.session.state is State.COMMITMENT:
            self.session.commit()
            self.changed()

    def sign_by_keys(self) -> None:
        if self.session.state is State.SIGN:
            self.session.signed_by_keys()
            self.changed()

    def sign(self, png: bytes | None) -> None:
        """png is None when the pad holds too little ink to be a signature."""
        if self.session.state is not State.SIGN:
            return
        if png is None:
            self.session.show_problem("apply.sign.empty")
        else:
            self.session.signed(png)
        self.changed()
