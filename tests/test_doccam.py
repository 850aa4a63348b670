"""The document camera pipeline on a photographed A4 form: found, straightened, legible, small; and
the frames and files that must fail cleanly instead."""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices import doccam
from tests.fixtures.devices_cli import FRAME_SIZE, PhotographedPage, photograph

# a densely filled A4 form of 五号 text at 150 dpi comes to about 310 KB as JPEG; this leaves room
PAGE_BUDGET = 400_000


def blurred_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """How alike two grey pages are once a few pixels of misregistration are blurred away."""
    a, b = (cv2.GaussianBlur(x.astype(np.float32), (0, 0), 2) for x in (a, b))
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


def test_a_photographed_page_comes_out_straight_legible_and_small(photographed_page: PhotographedPage) -> None:
    camera = doccam.ImageFiles([photographed_page.path])
    frame = camera.read()
    assert frame.ok and frame.value is not None
    outcome = doccam.scan(frame.value)
    assert outcome.ok, outcome.detail
    page = outcome.value
    assert page is not None and page.mime == "image/jpeg"

    page_height_in_frame = 1000
    error = np.abs(np.float32(page.corners) - photographed_page.corners).max()
    assert error < 0.01 * page_height_in_frame
    assert page.height == doccam.LONG_SIDE and page.height / page.width == pytest.approx(297 / 210, rel=0.02)
    assert len(page.data) < PAGE_BUDGET

    decoded = cv2.imdecode(np.frombuffer(page.data, np.uint8), cv2.IMREAD_COLOR)
    assert decoded.shape == (page.height, page.width, 3)
    truth = cv2.resize(photographed_page.page, (page.width, page.height), interpolation=cv2.INTER_AREA)
    gray = [cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) for image in (decoded, truth)]
    assert blurred_correlation(*gray) > 0.85
    # the paper is evened out to white, the seal stays red
    assert np.median(gray[0]) == 255
    blue, green, red = (decoded[..., c].astype(int) for c in range(3))
    assert ((red - np.maximum(green, blue)) > 80).sum() > 500


def test_webp_is_smaller_still(photographed_page: PhotographedPage) -> None:
    jpeg, webp = (doccam.scan(photographed_page.frame, fmt).value for fmt in ("jpeg", "webp"))
    assert jpeg is not None and webp is not None and webp.mime == "image/webp"
    assert len(webp.data) < len(jpeg.data)
    assert cv2.imdecode(np.frombuffer(webp.data, np.uint8), cv2.IMREAD_COLOR).shape[:2] == (webp.height, webp.width)


def test_a_page_lying_askew_keeps_its_corners_apart(photographed_page: PhotographedPage) -> None:
    height, angle = 700, np.deg2rad(30)
    width = height * 210 / 297
    turn = np.float32([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    corners = np.float32([[-width, -height], [width, -height], [width, height], [-width, height]]) / 2 @ turn.T
    corners += np.float32([FRAME_SIZE[0] / 2, FRAME_SIZE[1] / 2])
    page = doccam.scan(photograph(photographed_page.page, corners)).value
    assert page is not None
    assert np.abs(np.float32(page.corners) - corners).max() < 0.01 * height
    assert page.height / page.width == pytest.approx(297 / 210, rel=0.02)


def frame_with(draw: str) -> np.ndarray:
    frame = np.full((FRAME_SIZE[1], FRAME_SIZE[0], 3), (70, 80, 90), np.uint8)
    white = (235, 235, 235)
    if draw == "card":
        cv2.rectangle(frame, (700, 500), (900, 620), white, -1)
    elif draw == "disc":
        cv2.circle(frame, (800, 600), 450, white, -1)
    elif draw == "cut off":
        cv2.rectangle(frame, (400, -100), (1100, 900), white, -1)
    elif draw == "noise":
        frame = np.random.default_rng(1).integers(0, 256, frame.shape, dtype=np.uint8)
    elif draw == "white":
        frame[:] = white
    return frame


@pytest.mark.parametrize("draw", ["mat", "card", "disc", "cut off", "noise", "white"])
def test_a_frame_without_a_whole_page_is_no_page(draw: str) -> None:
    assert doccam.scan(frame_with(draw)).problem == doccam.NO_PAGE


@pytest.fixture
def png_bytes(photographed_page: PhotographedPage) -> bytes:
    return photographed_page.path.read_bytes()


@pytest.mark.parametrize("content", ["empty", "garbage", "truncated", "text", "tiny"])
def test_bad_image_files_are_named(tmp_path: Path, png_bytes: bytes, content: str) -> None:
    data = {"empty": b"", "garbage": bytes(range(256)) * 8, "truncated": png_bytes[:2000],
            "text": "不是图片".encode(), "tiny": cv2.imencode(".png", np.zeros((1, 1, 3), np.uint8))[1].tobytes()}
    path = tmp_path / "material.png"
    path.write_bytes(data[content])
    frame = doccam.ImageFiles([path]).read()
    if content == "tiny":       # a real image, just nothing in it
        assert frame.ok and frame.value is not None and doccam.scan(frame.value).problem == doccam.NO_PAGE
    else:
        assert frame.problem == doccam.BAD_IMAGE and str(path) in frame.detail


def test_a_missing_file_is_a_bad_image(tmp_path: Path) -> None:
    frame = doccam.ImageFiles([tmp_path / "gone.jpg"]).read()
    assert frame.problem == doccam.BAD_IMAGE and "gone.jpg" in frame.detail


@given(st.sampled_from([b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"RIFF\x00\x00\x00\x00WEBP"]),
       st.binary(max_size=2000))
@settings(max_examples=60, deadline=None)
def test_any_bytes_decode_or_are_a_bad_image(magic: bytes, rest: bytes) -> None:
    outcome = doccam.decode_image(magic + rest)
    assert outcome.ok or outcome.problem == doccam.BAD_IMAGE


def test_the_camera_driver_reads_a_video_and_comes_back_after_losing_it(
        tmp_path: Path, photographed_page: PhotographedPage) -> None:
    video = tmp_path / "doccam.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 15, FRAME_SIZE)
    for _ in range(4):
        writer.write(photographed_page.frame)
    writer.release()
    camera = doccam.Camera(str(video), warmup_frames=2)
    try:
        frames = [camera.read() for _ in range(3)]
        assert [frame.ok for frame in frames] == [True, True, False]    # two after warm-up, then the end
        assert frames[-1].problem == doccam.CAMERA_ABSENT
        assert frames[0].value is not None and doccam.scan(frames[0].value).ok
        assert camera.read().ok         # released on failure, so the next read opens it afresh
    finally:
        camera.close()


def test_a_missing_camera_is_absent(tmp_path: Path) -> None:
    camera = doccam.Camera(str(tmp_path / "video9"))
    assert camera.read().problem == doccam.CAMERA_ABSENT
    camera.close()
