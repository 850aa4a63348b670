"""The simulated document camera: a printed A4 form, photographed on a dark mat as a camera sees it.

Each read draws the page lying a little differently, so retakes differ as they do on a real kiosk,
and the real pipeline in devices.doccam (find the page, straighten, even out, encode) runs on it.
numpy, OpenCV and Pillow are imported on first use, like the real camera's.
"""
from __future__ import annotations

import functools
import itertools
from typing import TYPE_CHECKING

from kiosk.outcome import Outcome

if TYPE_CHECKING:
    import numpy as np

A4_WIDTH = 1240                         # pixels at 150 dpi, as devices.doccam straightens pages to
A4_HEIGHT = round(A4_WIDTH * 297 / 210)
FRAME_SIZE = (1600, 1200)               # width, height of the camera frame


def draw_form() -> np.ndarray:
    """A dense A4 form: a title, 34 lines of 五号 (10.5 pt) text and a red seal, as BGR pixels."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    from devices.printer.image import font_file

    path, index = font_file()
    title, body = (ImageFont.truetype(path, size, index=index) for size in (44, 22))
    image = Image.new("RGB", (A4_WIDTH, A4_HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.text((A4_WIDTH // 2, 120), "个体工商户设立登记申请书", font=title, fill="black", anchor="mm")
    text = "申请人承诺所提交的材料真实有效，如有虚假愿承担相应法律责任。经营场所：河南省信阳市浉河区民权路１号。" * 3
    for row in range(34):
        draw.text((90, 220 + 34 * row), text[row % 7:row % 7 + 48], font=body, fill="black")
    draw.ellipse((A4_WIDTH - 380, A4_HEIGHT - 420, A4_WIDTH - 120, A4_HEIGHT - 160), outline=(200, 20, 20), width=8)
    return np.array(image)[:, :, ::-1].copy()


def photograph(page: np.ndarray, corners: np.ndarray, seed: int = 4) -> np.ndarray:
    """The page warped to corners on a dark mat, lit more from one side, with sensor noise."""
    import cv2
    import numpy as np

    source = np.array([[0, 0], [A4_WIDTH, 0], [A4_WIDTH, A4_HEIGHT], [0, A4_HEIGHT]], np.float32)
    mat = np.full((FRAME_SIZE[1], FRAME_SIZE[0], 3), (70, 80, 90), np.uint8)
    frame = cv2.warpPerspective(page, cv2.getPerspectiveTransform(source, np.array(corners, np.float32)), FRAME_SIZE,
                                dst=mat, borderMode=cv2.BORDER_TRANSPARENT)
    light = np.linspace(0.8, 1.0, FRAME_SIZE[0])[None, :, None]
    noise = np.random.default_rng(seed).normal(0, 6, frame.shape)
    return np.clip(frame * light + noise, 0, 255).astype(np.uint8)


def lying(degrees: float, height: float = 1000) -> np.ndarray:
    """Corners of an A4 page `height` pixels tall in the middle of the frame, turned by degrees, its far
    edge tilted away (it looks shorter), as a page laid by hand under a camera looking down."""
    import numpy as np

    width = height * 210 / 297
    upright = np.array([[-width / 2, -height / 2], [width / 2, -height / 2], [width / 2, height / 2],
                          [-width / 2, height / 2]], np.float32)
    angle = np.deg2rad(degrees)
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], np.float32)
    corners = upright @ turn.T + np.array([FRAME_SIZE[0] / 2, FRAME_SIZE[1] / 2], np.float32)
    return corners + np.array([[15, 10], [-15, 10], [0, 0], [0, 0]], np.float32)


@functools.cache
def _page() -> np.ndarray:
    return draw_form()


class PhotographedPages:
    """A FrameSource (devices.doccam) whose every frame is the form, laid down a little differently."""

    ANGLES = (6.0, -4.0, 2.0)

    def __init__(self) -> None:
        self._reads = itertools.count()

    def read(self) -> Outcome[np.ndarray]:
        n = next(self._reads)
        return Outcome.success(photograph(_page(), lying(self.ANGLES[n % len(self.ANGLES)]), seed=n))

    def close(self) -> None:
        pass
