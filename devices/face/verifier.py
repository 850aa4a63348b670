"""The kiosk's camera against the credential's photo: kiosk.ports.FaceVerifier with dlib.

The frame is judged where it was captured and dropped: only its SHA-256 and the distance leave.
"""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from devices.face.liveness import HeadTurnChallenge
from devices.face.model import FaceModel, distance
from devices.face.reference import ReferenceDecoder
from kiosk.face import NO_CAMERA, NO_REFERENCE, NOT_LIVE, THRESHOLD, Match
from kiosk.outcome import Outcome

if TYPE_CHECKING:
    import numpy as np

    from devices.doccam import FrameSource


class CameraFaceVerifier:
    """One camera, one model (loaded on first compare), one reference remembered between the tries."""

    def __init__(self, frames: FrameSource, decoder: ReferenceDecoder, model: FaceModel | None = None, *,
                 liveness: bool) -> None:
        """liveness: each try first runs the head-turn challenge on the same camera (a plain camera's
        defence against a photo held up; a vendor's binocular camera decides that in hardware instead).
        Named at every call, no default: without it a photo held up passes."""
        self.frames = frames
        self.decoder = decoder
        self._model = model
        self.liveness = liveness
        self._reference: tuple[str, np.ndarray] | None = None     # (SHA-256 of the photo bytes, descriptor)

    @property
    def model(self) -> FaceModel:
        if self._model is None:
            self._model = FaceModel(landmarks68=self.liveness)
        return self._model

    @property
    def asks_turn(self) -> bool:
        return self.liveness

    def reference(self, photo: bytes) -> Outcome[np.ndarray]:
        """The descriptor of the credential photo's face, computed once per photo."""
        key = hashlib.sha256(photo).hexdigest()
        if self._reference is not None and self._reference[0] == key:
            return Outcome.success(self._reference[1])
        image = self.decoder.decode(photo)
        if not image.ok:
            return image.forward()
        face = self.model.largest_face(image.unwrap())
        if not face.ok:
            return Outcome.failure(NO_REFERENCE, f"credential photo: {face.detail}")
        self._reference = (key, face.unwrap().descriptor)
        return Outcome.success(self._reference[1])

    def compare(self, reference: bytes) -> Outcome[Match]:
        known = self.reference(reference)
        if not known.ok:
            return known.forward()
        turned: np.ndarray | None = None
        if self.liveness:
            challenge = HeadTurnChallenge(self.frames, self.model)
            live = challenge.is_live()
            if not live.ok:
                return live.forward()
            if not live.value:
                return Outcome.failure(NOT_LIVE, "no head turn seen")
            turned = challenge.turned
        frame = self.frames.read()
        if not frame.ok:
            return Outcome.failure(NO_CAMERA, frame.detail)
        image = frame.unwrap()
        digest = hashlib.sha256(image.tobytes()).hexdigest()
        face = self.model.largest_face(image)
        if not face.ok:
            return face.forward()
        if turned is not None and not self._same_face(turned, face.unwrap().descriptor):
            return Outcome.failure(NOT_LIVE, "the face compared is not the face that turned")
        return Outcome.success(Match(distance(known.unwrap(), face.unwrap().descriptor), digest))

    def _same_face(self, turned: np.ndarray, descriptor: np.ndarray) -> bool:
        """Whether the face compared is the one that just turned: else someone could turn their own head and
        then hold up the cardholder's photo for the frame compared. Only the turn's last frame is checked."""
        seen = self.model.largest_face(turned)
        return seen.ok and distance(seen.unwrap().descriptor, descriptor) <= THRESHOLD

    def forget(self) -> None:
        """The visit is over: drop the remembered reference."""
        self._reference = None

    def close(self) -> None:
        self.forget()
        self.frames.close()
