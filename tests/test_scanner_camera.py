"""The camera source on its own thread, fed frames from files through cv2.VideoCapture as a camera."""
from __future__ import annotations

from pathlib import Path

from devices.health import State
from devices.scanner.camera import CameraScanner
from devices.scanner.payload import PayloadRules, Symbology
from devices.scanner.simulator import camera_frames
from devices.scanner.synthetic import hard_frames, qr_image
from tests.fixtures.common import wait_until
from tests.fixtures.scanner import StartScanner

FAST = {"max_fps": 200.0}


def test_codes_in_view_are_reported_once_each_while_the_file_plays_on(tmp_path: Path,
                                                                     start_scanner: StartScanner) -> None:
    first, second = qr_image("K24:XY-20261125-0007"), qr_image("信阳市政务服务中心 XY-0042", 5)
    device = camera_frames([first, first, None, second, second, None], tmp_path / "frames")
    camera = CameraScanner(device, PayloadRules(duplicate_window_s=60), **FAST)
    reports = start_scanner(camera)
    wait_until(lambda: camera.frames >= 30)      # the six frames, played five times over
    assert reports.texts == ["K24:XY-20261125-0007", "信阳市政务服务中心 XY-0042"]
    assert {(code.format, code.source) for code in reports.codes} == {(Symbology.QR, "camera")}
    assert reports.health_is(State.OK) and reports.problems == []


def test_a_code_taken_away_and_shown_again_is_reported_again(tmp_path: Path, start_scanner: StartScanner) -> None:
    device = camera_frames([qr_image("XY-0042")] + [None] * 4, tmp_path / "frames")
    reports = start_scanner(CameraScanner(device, PayloadRules(duplicate_window_s=0.05), max_fps=50.0))
    wait_until(lambda: len(reports.codes) >= 2)
    assert set(reports.texts) == {"XY-0042"}


def test_a_video_file_of_hard_frames_goes_through_the_same_pipeline(tmp_path: Path,
                                                                    start_scanner: StartScanner) -> None:
    frames = hard_frames(per_kind=1, kinds=("phone_moire", "tilted_receipt", "inverted"))
    device = camera_frames([frame for _, _, frame in frames], tmp_path / "hard.avi")
    # the file plays on, and a hard frame is read on some passes only: measured 4 to 262 frames (0.1 to 7 s) before
    # all three were read, so the wait is 30 s, and a code read again after the default 2 s window would have made
    # the count pass len(frames) before the last was read
    reports = start_scanner(CameraScanner(device, PayloadRules(duplicate_window_s=60), **FAST))
    wait_until(lambda: len(reports.codes) == len(frames), timeout=30)
    assert sorted(reports.texts) == sorted(text for _, text, _ in frames)


def test_a_camera_that_cannot_be_opened_is_absent(tmp_path: Path, start_scanner: StartScanner) -> None:
    reports = start_scanner(CameraScanner(str(tmp_path / "missing.avi")))
    wait_until(lambda: reports.health_is(State.ABSENT))
    assert "missing.avi" in reports.health[-1].detail and reports.codes == []
