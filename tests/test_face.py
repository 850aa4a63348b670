"""人证核验 with the real dlib models on the packaged genuine photos: the chip's photo against the camera."""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import cv2
import numpy as np
import pytest

from bench import face as bench_face
from bench import face_photos as bench_face_photos
from devices import factory
from devices.doccam import Camera, ImageFiles
from devices.face import samples
from devices.face.model import FaceModel
from devices.face.reference import BMP_SIZE, WLT_SIZE, ReferenceDecoder, WltLibrary
from devices.face.verifier import CameraFaceVerifier
from devices.idcard import protocol
from devices.idcard.reader import IdCardReader
from devices.idcard.simulator import IdCardSimulator, demo_cards
from kiosk import face
from kiosk.config import Config, ConfigError

DATA = Path(__file__).parent / "data" / "face"

# A stand-in for a reader vendor's WLT library, built by the test: the same exported signature, a grey
# 102x126 BMP for a WLT that starts with "W", -1 for anything else.
_VENDOR_C = r"""
#include <string.h>
int unpack(char *wlt, char *bmp, int save) {
    if (wlt[0] != 'W') return -1;
    unsigned char header[54] = {'B','M', 0xCE,0x97,0,0, 0,0,0,0, 54,0,0,0, 40,0,0,0, 102,0,0,0, 126,0,0,0,
                                1,0, 24,0};
    memcpy(bmp, header, 54);
    memset(bmp + 54, 0x80, 38862 - 54);
    return 1;
}
"""


def verifier(model: FaceModel, *frames: Path) -> CameraFaceVerifier:
    """The matcher alone, each frame compared as it comes (liveness: tests/test_face_liveness.py)."""
    return CameraFaceVerifier(ImageFiles(list(frames)), ReferenceDecoder(), model, liveness=False)


def test_the_cardholder_matches_and_another_person_does_not(face_model: FaceModel) -> None:
    matcher = verifier(face_model, samples.live_frame("obama"), samples.live_frame("biden"))
    card = samples.card_photo("obama")
    same, other = matcher.compare(card), matcher.compare(card)
    assert same.ok and other.ok, (same.detail, other.detail)
    assert face.decide(same.unwrap(), 1).passed, same.unwrap().distance
    assert not face.decide(other.unwrap(), 2).passed, other.unwrap().distance
    assert same.unwrap().frame_sha256 != other.unwrap().frame_sha256
    matcher.close()


def test_the_simulated_cards_photo_survives_the_readers_bytes(face_model: FaceModel) -> None:
    """The ID-card simulator pads the JPEG to the chip's 1,024 bytes; the decoder ignores the padding."""
    photo = samples.card_photo("biden").ljust(protocol.PHOTO_SIZE, b"\0")
    matcher = verifier(face_model, samples.live_frame("biden"))
    match = matcher.compare(photo)
    assert match.ok and face.decide(match.unwrap(), 1).passed, match


def test_a_frame_without_a_face_and_a_blank_card_are_named(face_model: FaceModel, tmp_path: Path) -> None:
    wall = tmp_path / "wall.png"
    cv2.imwrite(str(wall), np.full((360, 480, 3), 200, np.uint8))
    matcher = verifier(face_model, wall)
    assert matcher.compare(samples.card_photo("obama")).problem == face.NO_FACE
    assert matcher.compare(protocol.BLANK_PHOTO).problem == face.NO_REFERENCE
    assert matcher.compare(b"\xff\xd8\xff" + b"junk" * 10).problem == face.NO_REFERENCE


def test_an_absent_camera_is_named(face_model: FaceModel) -> None:
    matcher = CameraFaceVerifier(Camera("/nonexistent/video9", warmup_frames=0), ReferenceDecoder(), face_model,
                                 liveness=False)
    assert matcher.compare(samples.card_photo("obama")).problem == face.NO_CAMERA


def test_a_chip_photo_without_the_vendor_library_says_so() -> None:
    wlt = b"W" + bytes(WLT_SIZE - 1)
    assert ReferenceDecoder().decode(wlt).problem == face.NO_DECODER
    missing = ReferenceDecoder(WltLibrary("/nonexistent/libwlt.so")).decode(wlt)
    assert missing.problem == face.NO_DECODER and "no such file" in missing.detail
    assert ReferenceDecoder().decode(b"W" * 99).problem == face.NO_REFERENCE


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler (scripts/install test installs gcc)")
def test_a_chip_photo_is_decoded_through_the_vendor_library(tmp_path: Path) -> None:
    source = tmp_path / "wlt.c"
    source.write_text(_VENDOR_C)
    library = tmp_path / "libwlt.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    decoder = ReferenceDecoder(WltLibrary(str(library)))
    image = decoder.decode(b"W" + bytes(WLT_SIZE - 1))
    assert image.ok, image.detail
    assert image.unwrap().shape == (126, 102, 3) and BMP_SIZE == 54 + 126 * 308
    assert decoder.decode(b"X" + bytes(WLT_SIZE - 1)).problem == face.NO_REFERENCE


def test_three_tries_then_the_way_out() -> None:
    attempts = face.Attempts()
    for _ in range(2):
        attempts.record(face.MISMATCH)
    assert not attempts.exhausted and attempts.left == 1
    attempts.record(face.NO_FACE)
    assert attempts.exhausted and attempts.last_problem == face.NO_FACE
    with pytest.raises(RuntimeError):
        attempts.record(face.MISMATCH)
    passed = face.Attempts()
    verdict = face.decide(face.Match(0.3, "ab" * 32), 1)
    passed.record(None, verdict)
    assert passed.verdict is verdict and not passed.exhausted
    assert verdict.as_form() == {"face_result": "passed", "face_score": "0.700", "face_threshold": "0.450",
                                 "face_frame_sha256": "ab" * 32, "face_tries": "1"}


def test_bench_measures_rates_and_time_on_a_labelled_folder(capsys: pytest.CaptureFixture[str],
                                                            tmp_path: Path) -> None:
    for photo in ("obama/obama.jpg", "obama/obama3.jpg", "biden/biden.jpg"):
        (tmp_path / photo).parent.mkdir(exist_ok=True)
        shutil.copy(DATA / photo, tmp_path / photo)
    (tmp_path / "notes.txt").write_text("not a person")
    assert bench_face.main([str(tmp_path), "--threshold", "0.5"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["identities"] == 2 and result["images"] == 3 and not result["unenrolled"]
    assert result["genuine_pairs"] == 1 and result["impostor_pairs"] == 2 and result["threshold"] == 0.5
    assert result["genuine_pairs_distinct_photos"] == 1 and result["frr_distinct_photos"] == 0.0
    assert result["far"] == 0.0 and result["frr"] == 0.0, result
    assert result["max_genuine"] < result["threshold_far0"] < result["min_impostor"]
    assert result["frame_ms_median"] > result["detect_only_ms_median"] > 0


def test_the_configured_camera_and_decoder(face_model_68: FaceModel, tmp_path: Path) -> None:
    assert factory.face_verifier(Config()) is None
    with pytest.raises(ConfigError, match="face_camera"):
        factory.face_verifier(Config(face_camera="webcam"))
    built = factory.face_verifier(Config(face_camera="simulator", wlt_library="/opt/vendor/libwlt.so"))
    assert built is not None and built.decoder.wlt is not None and built.decoder.wlt.path == "/opt/vendor/libwlt.so"
    built.close()
    turning = ",".join(str(p) for p in samples.turning_frames())
    frames = factory.face_verifier(Config(face_camera=f"files:{turning}"))
    assert frames is not None and frames.decoder.wlt is None and frames.liveness     # liveness by default
    frames._model = face_model_68
    [lau, zhang, *_] = demo_cards()
    assert face.decide(frames.compare(lau.photo).unwrap(), 1).passed
    assert not face.decide(frames.compare(zhang.photo).unwrap(), 1).passed
    frames.close()


def test_the_readers_photo_of_a_demo_card_is_the_cardholders_face(face_model: FaceModel) -> None:
    """Through the real bytes: simulator on a pty, the driver's frames, the photo as the chip sent it."""
    with IdCardSimulator() as simulator, IdCardReader(simulator.port) as reader:
        simulator.insert(demo_cards()[0])
        read = reader.read_card()
    assert read.ok, read.detail
    matcher = verifier(face_model, samples.live_frame("obama"))
    assert face.decide(matcher.compare(read.unwrap().photo).unwrap(), 1).passed


def test_the_measured_set_is_rebuilt_from_the_sdists_members(face_model: FaceModel, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """bench.face_photos on two archives laid out as the sdists are (their member paths), filled here with
    the face_recognition photos of tests/data and, for the group photo, two of them side by side: each
    photo lands in its person's folder and each face of the group in its own, left to right."""
    photos = {member: (DATA / relative).read_bytes() for member, relative in bench_face_photos.PHOTOS.items()
              if (DATA / relative).is_file()}
    photos[next(m for m in bench_face_photos.PHOTOS if m.endswith(".png"))] = (DATA / "biden/biden.jpg").read_bytes()
    left, right = cv2.imread(str(DATA / "obama/obama.jpg")), cv2.imread(str(DATA / "biden/biden.jpg"))
    photos[bench_face_photos.GROUP] = bytes(cv2.imencode(".jpg", np.hstack([left, right]))[1])
    sdists = tmp_path / "sdists"
    sdists.mkdir()
    for name in bench_face_photos.SDISTS.values():
        with tarfile.open(sdists / name, "w:gz") as archive:
            for member, data in photos.items():
                if member.startswith(name.removesuffix(".tar.gz") + "/"):
                    info = tarfile.TarInfo(member)
                    info.size = len(data)
                    archive.addfile(info, io.BytesIO(data))
    assert bench_face_photos.main([str(tmp_path / "set"), "--sdists", str(sdists)]) == 0
    written = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert written["per_person"] == {"obama": 5, "biden": 1, "tom_hanks": 1, "group_1": 1, "group_2": 1}
    matcher = verifier(face_model, tmp_path / "set/group_1/t1_1.png", tmp_path / "set/group_2/t1_2.png")
    assert face.decide(matcher.compare(samples.card_photo("obama")).unwrap(), 1).passed      # left: Obama
    assert face.decide(matcher.compare(samples.card_photo("biden")).unwrap(), 1).passed      # right: Biden
