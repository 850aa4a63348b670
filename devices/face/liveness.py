"""Our own liveness challenge for a plain camera: turn the head. kiosk.ports.LivenessCheck.

A head turning moves the nose tip across the face, from one jaw end towards the other (dlib's 68
landmarks: 0 and 16 the jaw's ends, 30 the nose tip); a picture held up and turned is flat, and the
same ratio barely moves under its perspective. Measured (`python -m bench.face DIR --liveness` on the
set `python -m bench.face_photos DIR` rebuilds): flat pictures of 12 photos shown on a screen and turned
-35 to 35 degrees moved it at most 0.165; one person's own photos in different poses spanned 0.533. A
turn of at least TURN_RANGE within the frames read is taken as live. No blink check: docs/face.md says why.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from devices.face.model import FaceModel
from kiosk.face import NO_CAMERA, NO_FACE
from kiosk.outcome import Outcome

if TYPE_CHECKING:
    import numpy as np

    from devices.doccam import FrameSource

TURN_RANGE = 0.40
FRAMES = 24                 # about three seconds of a kiosk camera's frames at the matcher's pace


def yaw_ratio(landmarks: Sequence[tuple[int, int]]) -> float:
    """Where the nose tip lies between the jaw's ends, 0 (at the left end) to 1 (at the right)."""
    left, right, nose = landmarks[0][0], landmarks[16][0], landmarks[30][0]
    return (nose - left) / (right - left) if right != left else 0.5


class HeadTurnChallenge:
    """Reads frames while the citizen turns their head as the screen asks; live once the turn is seen."""

    def __init__(self, frames: FrameSource, model: FaceModel, frames_to_read: int = FRAMES) -> None:
        self.frames = frames
        self.model = model              # built with landmarks68=True
        self.frames_to_read = frames_to_read
        self.turned: np.ndarray | None = None     # the frame the turn was completed in, once live

    def is_live(self) -> Outcome[bool]:
        ratios: list[float] = []
        for _ in range(self.frames_to_read):
            frame = self.frames.read()
            if not frame.ok:
                return Outcome.failure(NO_CAMERA, frame.detail)
            face = self.model.largest_face(frame.unwrap(), describe=False)
            if not face.ok or len(face.unwrap().landmarks) != 68:
                continue
            ratios.append(yaw_ratio(face.unwrap().landmarks))
            if max(ratios) - min(ratios) >= TURN_RANGE:
                self.turned = frame.unwrap()
                return Outcome.success(True)
        if not ratios:
            return Outcome.failure(NO_FACE, f"no face in {self.frames_to_read} frames")
        return Outcome.success(False)
