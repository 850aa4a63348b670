"""人证核验: the decision on a face compared with the photo on the citizen's credential.

The matcher (devices/face/) measures a distance between two faces; this module decides what that
distance means, counts the tries, and keeps what may be kept: the result, the score and a hash of the
live frame. The live image itself never leaves the kiosk.
"""
from __future__ import annotations

import dataclasses

# Distance between two dlib ResNet face descriptors at or below which they are taken as one person.
# Measured with `python -m bench.face_photos DIR` then `python -m bench.face DIR --variants` (docs/face.md)
# on 9 people's genuine photos from two registry packages (13 photos, only one person on more than one)
# and 6 hard variants of each (91 images): no impostor pair at or under 0.55 (FAR 0 over 2,976 pairs),
# the nearest at 0.562, a margin too thin to trust on so few people; chip photo against camera frame, 27%
# of genuine pairs beyond 0.55 (42% between two distinct photos). An operator measures their own decoded
# chip photos and staff's frames with the same command before relying on it.
THRESHOLD = 0.55
TRIES = 3                       # then the citizen is sent to staff, a hall or 12345

# problem keys (i18n): what to tell the citizen
NO_FACE = "face.no_face"                  # no face, or more than one, in the camera's frame
NO_CAMERA = "face.no_camera"              # the camera does not answer
NO_REFERENCE = "face.no_reference"        # the credential's photo cannot be read or has no face
NO_DECODER = "face.no_decoder"            # a chip photo (WLT) and no vendor library configured to decode it
MISMATCH = "face.mismatch"                # a face, not the cardholder's
NOT_LIVE = "face.not_live"                # a photo or a screen held up to the camera
RETRYABLE = frozenset({NO_FACE, MISMATCH, NOT_LIVE})   # the citizen can try again; the others need staff


@dataclasses.dataclass(frozen=True)
class Match:
    """One comparison as the matcher measured it: how far apart the faces are, and which frame."""

    distance: float
    frame_sha256: str           # of the live frame as captured: proof of which image was judged, not the image


@dataclasses.dataclass(frozen=True)
class Verdict:
    """What is kept of a face check and sent with the application: result, score and hash only."""

    passed: bool
    score: float                # similarity in [0, 1]: 1 - distance, clipped
    threshold: float
    frame_sha256: str
    tries: int

    def as_form(self) -> dict[str, str]:
        """The verdict as the application's form values the centre reads (field names face_*)."""
        return {"face_result": "passed" if self.passed else "failed", "face_score": f"{self.score:.3f}",
                "face_threshold": f"{self.threshold:.3f}", "face_frame_sha256": self.frame_sha256,
                "face_tries": str(self.tries)}


def decide(match: Match, tries: int, threshold: float = THRESHOLD) -> Verdict:
    """The verdict on one measured comparison, the tries so far included."""
    score = min(max(1.0 - match.distance, 0.0), 1.0)
    return Verdict(match.distance <= threshold, round(score, 3), 1.0 - threshold, match.frame_sha256, tries)


def frame_hash(data: bytes) -> str:
    # here: OpenSSL's library is not loaded before the attract screen is painted
    import hashlib

    return hashlib.sha256(data).hexdigest()


@dataclasses.dataclass
class Attempts:
    """The tries of one face check in one visit: three, then the way out."""

    limit: int = TRIES
    used: int = 0
    last_problem: str | None = None
    verdict: Verdict | None = None
    checking: bool = False      # the camera is on: a try is being measured
    turning: bool = False       # ... and the citizen is asked to turn their head (liveness)

    @property
    def exhausted(self) -> bool:
        return self.verdict is None and self.used >= self.limit

    @property
    def left(self) -> int:
        return max(self.limit - self.used, 0)

    def give_up(self, problem: str) -> None:
        """The check cannot be done here now (no camera, an unreadable photo): no tries are left."""
        self.used, self.last_problem, self.checking = self.limit, problem, False

    def record(self, problem: str | None, verdict: Verdict | None = None) -> None:
        """One try: a problem key (no face, a mismatch, ...) or the passing verdict."""
        if self.verdict is not None or self.exhausted:
            raise RuntimeError("no tries left, or already passed")
        self.used += 1
        self.last_problem, self.checking = problem, False
        if verdict is not None and verdict.passed:
            self.verdict = verdict
