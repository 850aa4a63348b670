"""dlib's face detector, 5-point aligner and ResNet face descriptor, with the weights that the
face_recognition_models package ships: nothing is fetched at run time.

Loading takes a second or two and ~130 MB of memory, so a kiosk loads one FaceModel, on first use.
Frames are shrunk so the longest side is at most 640 pixels: a camera frame's face stays well over the
HOG detector's 80-pixel floor. A smaller image (a chip photo is 102x126) is searched again at two and
four times its size by the detector itself; enlarging it beforehand measured worse.
"""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from kiosk.face import NO_FACE
from kiosk.outcome import Outcome

if TYPE_CHECKING:
    import numpy as np

_LONGEST = 640


@dataclasses.dataclass(frozen=True)
class Face:
    """The largest face of an image: where it is (in the scaled image), its landmarks, its descriptor."""

    box: tuple[int, int, int, int]          # left, top, right, bottom, in the image as given
    landmarks: tuple[tuple[int, int], ...]  # 5 points (eyes' corners, nose), or 68 for liveness; same scale
    descriptor: np.ndarray                  # 128 floats; faces of one person lie close together


def scaled(rgb: np.ndarray) -> np.ndarray:
    """rgb with its longest side at most 640 pixels."""
    import cv2

    longest = max(rgb.shape[:2])
    if longest <= _LONGEST:
        return rgb
    size = (round(rgb.shape[1] * _LONGEST / longest), round(rgb.shape[0] * _LONGEST / longest))
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)


class FaceModel:
    """The three dlib models; landmarks68 adds the 68-point predictor (100 MB) the liveness challenge uses."""

    def __init__(self, landmarks68: bool = False) -> None:
        import dlib
        import face_recognition_models as models

        self._detector: Any = dlib.get_frontal_face_detector()
        self._aligner: Any = dlib.shape_predictor(models.pose_predictor_five_point_model_location())
        self._encoder: Any = dlib.face_recognition_model_v1(models.face_recognition_model_location())
        self._landmarks: Any = (dlib.shape_predictor(models.pose_predictor_model_location())
                                if landmarks68 else None)

    def largest_face(self, bgr: np.ndarray, describe: bool = True) -> Outcome[Face]:
        """The largest face in a BGR image (the person nearest the camera), or NO_FACE."""
        import cv2
        import numpy as np

        rgb = np.ascontiguousarray(scaled(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)))
        boxes = list(self._detector(rgb, 0)) or list(self._detector(rgb, 1))
        if not boxes and max(rgb.shape[:2]) < _LONGEST / 2:
            boxes = list(self._detector(rgb, 2))
        if not boxes:
            return Outcome.failure(NO_FACE, f"no face in a {rgb.shape[1]}x{rgb.shape[0]} image")
        box = max(boxes, key=lambda b: b.width() * b.height())
        shape = self._aligner(rgb, box)
        descriptor = np.array(self._encoder.compute_face_descriptor(rgb, shape)) if describe else np.zeros(0)
        points = self._landmarks(rgb, box) if self._landmarks is not None else shape
        back = bgr.shape[1] / rgb.shape[1]         # to the image as given
        return Outcome.success(Face(
            (round(box.left() * back), round(box.top() * back), round(box.right() * back), round(box.bottom() * back)),
            tuple((round(p.x * back), round(p.y * back)) for p in points.parts()), descriptor))


def distance(a: np.ndarray, b: np.ndarray) -> float:
    import numpy as np

    return float(np.linalg.norm(a - b))
