"""The document camera as the kiosk uses it: chosen from configuration, the simulator's photographed
form through the real pipeline, retakes that differ, failures named for the citizen."""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from devices import doccam, factory
from devices.document_camera import DocumentCamera
from kiosk import config as kiosk_config
from kiosk.config import ConfigError
from tests.fixtures.devices_cli import PhotographedPage


def camera(**settings: str) -> DocumentCamera | None:
    return factory.document_camera(kiosk_config.load(None, {}, **settings))


def test_the_simulator_gives_straightened_pages_that_differ_on_each_take() -> None:
    simulated = camera(doccam="simulator")
    first, second = simulated.capture(), simulated.capture()
    assert first.ok and second.ok
    data, mime = first.value
    assert mime == "image/jpeg" and data.startswith(b"\xff\xd8")
    page = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert page.shape[0] == doccam.LONG_SIDE and page.shape[0] / page.shape[1] == pytest.approx(297 / 210, rel=0.03)
    assert second.value[0] != data                  # the page lies differently under the camera


def test_image_files_and_their_failures(tmp_path: Path, photographed_page: PhotographedPage) -> None:
    blank = tmp_path / "mat.png"
    cv2.imwrite(str(blank), np.full((600, 800, 3), 80, np.uint8))          # the empty mat: no page on it
    files = camera(doccam=f"files:{photographed_page.path},{blank},{tmp_path / 'gone.png'}")
    assert files.capture().ok
    assert files.capture().problem == doccam.NO_PAGE
    assert files.capture().problem == doccam.BAD_IMAGE


def test_a_camera_that_is_not_there_says_so() -> None:
    absent = camera(doccam="camera:///dev/video-none")
    assert absent.capture().problem == doccam.CAMERA_ABSENT


def test_no_camera_configured_and_a_misspelt_one() -> None:
    assert camera() is None
    with pytest.raises(ConfigError, match="doccam"):
        camera(doccam="webcam:0")
