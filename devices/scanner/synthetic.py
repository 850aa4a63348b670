"""Hard camera frames, made deterministically: what a kiosk camera sees on a bad day.

Real kiosk frames are not clean test images: phone screens show their pixel grid as moiré and
reflect the hall's lights, receipts are held at an angle, hands shake, halls are dim at night,
some apps show light-on-dark codes, and citizens hold their phones too far away. Each kind below
draws one of these onto a 1280x720 grey frame from a seed, for bench.qr and the pipeline tests.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from devices.scanner.camera import FRAME_SIZE

Image = Any
Rng = Any       # numpy.random.Generator

WIDTH, HEIGHT = FRAME_SIZE
PAYLOADS = (
    "https://zwfw.henan.gov.cn/t/XY-20261125-0001",
    "K24:XY-20261125-0007:01938f2e-7c1a-7b3e-9d41-5f0c2a6b8e13",
    "信阳市政务服务中心 受理编号 XY-2026-0042",
    "411502195706140321",
    "https://zwfw.henan.gov.cn/ecert/verify?c=eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiI0MTE1MDIiLCJ0eXAiOiLouqvku73or4EifQ",
)


def qr_image(text: str, module_px: int = 8, border: int = 4) -> Image:
    """A clean black-on-white QR code (level M), module_px pixels per module."""
    import cv2
    import numpy as np
    import qrcode
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=border)
    code.add_data(text)
    code.make(fit=True)
    image = np.where(np.array(code.get_matrix()), 0, 255).astype(np.uint8)
    return cv2.resize(image, None, fx=module_px, fy=module_px, interpolation=cv2.INTER_NEAREST)


def code128_image(text: str, height: int = 70) -> Image:
    """A clean CODE 128 barcode with quiet zones, 2 pixels per module."""
    import cv2
    import numpy as np
    import zxingcpp
    bars = np.array(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.Code128).to_image(scale=2,
                                                                                           add_quiet_zones=True))
    return cv2.resize(bars, (bars.shape[1], height), interpolation=cv2.INTER_NEAREST)


def counter(rng: Rng) -> Image:
    """An empty scanning counter, what the camera sees most of the time: a lit gradient, blotchy texture."""
    import cv2
    import numpy as np
    light = np.linspace(90, 190, WIDTH, dtype=np.float32)[None, :].repeat(HEIGHT, 0)
    texture = cv2.GaussianBlur(rng.normal(0, 12, (HEIGHT, WIDTH)).astype(np.float32), (0, 0), 3) * 3
    return np.clip(light + texture, 0, 255).astype(np.uint8)


def _placed(image: Image, rng: Rng) -> Image:
    """image somewhere on the counter, upright."""
    frame = counter(rng)
    top = int(rng.integers(20, HEIGHT - image.shape[0] - 20))
    left = int(rng.integers(20, WIDTH - image.shape[1] - 20))
    frame[top:top + image.shape[0], left:left + image.shape[1]] = image
    return frame


def _warped(image: Image, matrix: Image, rng: Rng, noise: float) -> Image:
    """image warped by a 2x3 or 3x3 matrix onto the counter, with sensor noise."""
    import cv2
    import numpy as np
    warp = cv2.warpPerspective if matrix.shape == (3, 3) else cv2.warpAffine
    moved = warp(image, matrix, FRAME_SIZE, flags=cv2.INTER_AREA, borderValue=0)
    mask = warp(np.full_like(image, 255), matrix, FRAME_SIZE, borderValue=0)
    frame = np.where(mask > 128, moved, counter(rng)).astype(np.float32)
    return np.clip(frame + rng.normal(0, noise, frame.shape), 0, 255).astype(np.uint8)


def phone_moire(text: str, rng: Rng) -> Image:
    """A phone screen filmed close: the screen's pixel grid beats with the camera's."""
    import cv2
    import numpy as np
    screen = cv2.resize(qr_image(text, 6), None, fx=4, fy=4, interpolation=cv2.INTER_NEAREST).astype(np.float32)
    grid = np.ones_like(screen)
    grid[::4, :] = grid[:, ::4] = 0.35
    screen = screen * grid * 0.8 + 30
    turn = cv2.getRotationMatrix2D((screen.shape[1] / 2, screen.shape[0] / 2), float(rng.uniform(-8, 8)),
                                   float(rng.uniform(0.23, 0.3)))
    turn[:, 2] += (WIDTH - screen.shape[1]) / 2, (HEIGHT - screen.shape[0]) / 2
    frame = cv2.warpAffine(screen, turn, FRAME_SIZE, flags=cv2.INTER_NEAREST, borderValue=40)
    return np.clip(frame + rng.normal(0, 6, frame.shape), 0, 255).astype(np.uint8)


def glare(text: str, rng: Rng) -> Image:
    """Ceiling lights reflected on a glossy screen wash out part of the code."""
    import numpy as np
    code = qr_image(text, 6)
    frame = _placed(code, rng).astype(np.float32)
    rows, cols = np.nonzero(frame < 10)
    rows_grid, cols_grid = np.mgrid[0:HEIGHT, 0:WIDTH]
    for _ in range(2):
        row, col = rows.mean() + rng.uniform(-60, 60), cols.mean() + rng.uniform(-60, 60)
        radius = rng.uniform(25, 50)
        frame += rng.uniform(120, 230) * np.exp(-((cols_grid - col) ** 2 + (rows_grid - row) ** 2) / (2 * radius ** 2))
    return np.clip(frame, 0, 255).astype(np.uint8)


def perspective_tilt(text: str, rng: Rng) -> Image:
    """A code held 55-65 degrees out of plane and turned any way."""
    import cv2
    import numpy as np
    code = qr_image(text, 8, border=6)
    height, width = code.shape
    corners = np.array([[-width / 2, -height / 2], [width / 2, -height / 2], [width / 2, height / 2],
                          [-width / 2, height / 2]], np.float32)
    corners[:2, 0] *= rng.uniform(0.6, 0.8)          # the far edge looks shorter
    corners[:, 1] *= rng.uniform(0.45, 0.6)          # foreshortened
    angle = np.deg2rad(rng.uniform(0, 360))
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], np.float32)
    shift = np.array([WIDTH / 2 + rng.uniform(-200, 200), HEIGHT / 2 + rng.uniform(-100, 100)], np.float32)
    placed = corners @ turn.T + shift
    flat = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    matrix = cv2.getPerspectiveTransform(flat, placed)
    return _warped(code, matrix, rng, noise=5)


def motion_blur(text: str, rng: Rng) -> Image:
    """A hand moving while the shutter is open: 11-16 pixels of streak in any direction."""
    import cv2
    import numpy as np
    length = int(rng.integers(11, 17))
    streak = np.zeros((length, length), np.float32)
    streak[length // 2, :] = 1
    centre = (length / 2 - 0.5, length / 2 - 0.5)
    turned = cv2.warpAffine(streak, cv2.getRotationMatrix2D(centre, float(rng.uniform(0, 180)), 1), (length, length))
    return cv2.filter2D(_placed(qr_image(text, 8), rng), -1, turned / turned.sum())


def inverted(text: str, rng: Rng) -> Image:
    """A dark-mode app: light modules on a dark ground."""
    return _placed(255 - qr_image(text, 7), rng)


def low_light(text: str, rng: Rng) -> Image:
    """A dim hall at night: a dozen grey levels of contrast, soft focus, sensor noise."""
    import cv2
    import numpy as np
    frame = _placed(qr_image(text, 7), rng).astype(np.float32)
    frame = cv2.GaussianBlur(frame * 0.07 + 3, (0, 0), 1.2) + rng.normal(0, 2.5, frame.shape)
    return np.clip(frame, 0, 255).astype(np.uint8)


def small(text: str, rng: Rng) -> Image:
    """A phone held far away: 1.4-1.9 pixels per module."""
    import cv2
    code = qr_image(text, 8, border=2)
    side = int(code.shape[0] / 8 * rng.uniform(1.4, 1.9))
    return _placed(cv2.resize(code, (side, side), interpolation=cv2.INTER_AREA), rng)


def tilted_receipt(text: str, rng: Rng) -> Image:
    """A receipt with a CODE 128 case number, held 15-60 degrees off level."""
    import cv2
    import numpy as np
    bars = code128_image(text)
    paper = np.full((260, max(420, bars.shape[1] + 40)), 235, np.uint8)
    for row, line in enumerate(("ACCEPTANCE RECEIPT", "CASE " + text, "KEEP THIS RECEIPT")):
        cv2.putText(paper, line, (20, 40 + 36 * row), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 40, 2)
    paper[170:170 + bars.shape[0], 20:20 + bars.shape[1]] = bars
    angle = float(rng.uniform(15, 60)) * (1 if rng.random() < 0.5 else -1)
    turn = cv2.getRotationMatrix2D((paper.shape[1] / 2, paper.shape[0] / 2), angle, 1.0)
    turn[:, 2] += (WIDTH - paper.shape[1]) / 2 + rng.uniform(-150, 150), \
        (HEIGHT - paper.shape[0]) / 2 + rng.uniform(-80, 80)
    return _warped(paper, turn, rng, noise=4)


KINDS: dict[str, Callable[[str, Rng], Image]] = {
    "phone_moire": phone_moire, "glare": glare, "perspective_tilt": perspective_tilt, "motion_blur": motion_blur,
    "inverted": inverted, "low_light": low_light, "small": small, "tilted_receipt": tilted_receipt,
}


def hard_frames(per_kind: int = 8, seed: int = 24, kinds: tuple[str, ...] = tuple(KINDS)) \
        -> list[tuple[str, str, Image]]:
    """(kind, expected text, frame) for each kind; frame i of a kind is the same whatever else is asked."""
    import numpy as np
    frames = []
    for kind in kinds:
        for number in range(per_kind):
            serial = list(KINDS).index(kind) * 100 + number      # no two frames hold the same text
            rng = np.random.default_rng([seed, serial])
            text = f"XY-20261125-{serial:04d}" if kind == "tilted_receipt" \
                else f"{PAYLOADS[number % len(PAYLOADS)]}#{serial}"
            frames.append((kind, text, KINDS[kind](text, rng)))
    return frames
