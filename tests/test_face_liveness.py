"""The head-turn challenge on a plain camera: a photo on a phone turned before the camera is refused;
one person's photos in different poses (the stand-in for a head turning: no video is packaged) pass."""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from devices import factory
from devices.doccam import Camera, ImageFiles
from devices.face import samples
from devices.face.liveness import HeadTurnChallenge
from devices.face.model import FaceModel
from devices.face.reference import ReferenceDecoder
from devices.face.variants import held_turned, on_screen
from devices.face.verifier import CameraFaceVerifier
from devices.idcard.simulator import demo_cards
from kiosk import face
from kiosk.config import Config

DATA = Path(__file__).parent / "data" / "face"


def frames(tmp_path: Path, images: list[np.ndarray]) -> ImageFiles:
    paths = []
    for index, image in enumerate(images):
        paths.append(tmp_path / f"frame{index}.jpg")
        cv2.imwrite(str(paths[-1]), image)
    return ImageFiles(paths)


def test_a_photo_on_a_phone_turned_before_the_camera_is_refused(face_model_68: FaceModel, tmp_path: Path) -> None:
    for person in ("obama/obama.jpg", "biden/biden.jpg"):
        shown = on_screen(cv2.imread(str(DATA / person)))
        held = frames(tmp_path, [held_turned(shown, degrees) for degrees in (-35, -20, 0, 20, 35)])
        judged = HeadTurnChallenge(held, face_model_68, frames_to_read=5).is_live()
        assert judged.ok and judged.value is False, person


def test_a_head_seen_turning_passes(face_model_68: FaceModel) -> None:
    poses = ImageFiles([DATA / "obama/obama2.jpg", DATA / "obama/obama.jpg", DATA / "obama/obama_partial_face2.jpg"])
    assert HeadTurnChallenge(poses, face_model_68, frames_to_read=3).is_live().value is True


def test_no_face_and_no_camera_are_named(face_model_68: FaceModel, tmp_path: Path) -> None:
    wall = frames(tmp_path, [np.full((240, 320, 3), 180, np.uint8)])
    assert HeadTurnChallenge(wall, face_model_68, frames_to_read=2).is_live().problem == face.NO_FACE
    absent = Camera("/nonexistent/video9", warmup_frames=0)
    assert HeadTurnChallenge(absent, face_model_68).is_live().problem == face.NO_CAMERA


def test_with_liveness_a_try_asks_for_the_turn_before_it_compares(face_model_68: FaceModel, tmp_path: Path) -> None:
    card = samples.card_photo("obama")
    turning = ImageFiles([DATA / "obama/obama2.jpg", DATA / "obama/obama.jpg", DATA / "obama/obama_partial_face2.jpg",
                          samples.live_frame("obama")])
    matcher = CameraFaceVerifier(turning, ReferenceDecoder(), face_model_68, liveness=True)
    assert matcher.asks_turn
    match = matcher.compare(card)
    assert match.ok and face.decide(match.unwrap(), 1).passed, match
    shown = on_screen(cv2.imread(str(samples.live_frame("obama"))))
    held = frames(tmp_path, [held_turned(shown, degrees) for degrees in (-35, -20, 0, 20, 35)])
    spoofed = CameraFaceVerifier(held, ReferenceDecoder(), face_model_68, liveness=True)
    assert spoofed.compare(card).problem == face.NOT_LIVE


def test_liveness_is_on_unless_turned_off_and_the_simulated_camera_passes_it(face_model_68: FaceModel) -> None:
    """By default a try asks for the turn; the demo's camera shows the first card's holder in three poses,
    so the challenge passes on it, try after try, and the second card's holder (no turn packaged) is not matched."""
    assert Config().face_liveness
    assert not factory.face_verifier(Config(face_camera="simulator", face_liveness=False)).asks_turn
    simulated = factory.face_verifier(Config(face_camera="simulator"))
    assert simulated is not None and simulated.asks_turn
    simulated._model = face_model_68
    [holder, other, *_] = demo_cards()
    for _ in range(2):
        match = simulated.compare(holder.photo)
        assert match.ok and face.decide(match.unwrap(), 1).passed, match
    match = simulated.compare(other.photo)
    assert match.ok and not face.decide(match.unwrap(), 1).passed, match


def test_the_face_compared_must_be_the_face_that_turned(face_model_68: FaceModel) -> None:
    """One person turns their own head, then the cardholder's photo is held up for the frame compared: the
    photo matches the card, and is refused all the same."""
    left, facing, right, _ = samples.turning_frames()
    swapped = ImageFiles([left, facing, right, samples.live_frame("biden")])
    matcher = CameraFaceVerifier(swapped, ReferenceDecoder(), face_model_68, liveness=True)
    refused = matcher.compare(samples.card_photo("biden"))
    assert refused.problem == face.NOT_LIVE and "turned" in refused.detail, refused
    alone = CameraFaceVerifier(ImageFiles([samples.live_frame("biden")]), ReferenceDecoder(), face_model_68,
                               liveness=False)
    assert face.decide(alone.compare(samples.card_photo("biden")).unwrap(), 1).passed     # the photo does match
