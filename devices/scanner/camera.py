"""The camera as a scanner: OpenCV capture on its own thread, every frame through the pipeline.

The source is a camera index (a UVC camera) or anything cv2.VideoCapture opens: a video file or an
image sequence like frames/%04d.png. A file is played over and over at the frame-rate cap, which
is what the camera simulator gives tests and the demo.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from devices.health import State
from devices.scanner.exposure import Bracket
from devices.scanner.payload import PayloadRules
from devices.scanner.pipeline import Decoder, Pipeline
from devices.scanner.source import ThreadedScanner

FRAME_SIZE = (1280, 720)
# 15 frames a second leave 66 ms a frame. No retry starts after the budget, but the one running
# may overrun it (enlarging, the dearest, takes about 17 ms at 1280x720 on one core), and capture
# needs its share; retries cut off go first on the next frame, so a tighter budget costs nothing
FRAME_BUDGET_S = 0.03


class CameraScanner(ThreadedScanner):
    source = "camera"

    def __init__(self, device: int | str, rules: PayloadRules = PayloadRules(), max_fps: float = 15.0,
                 budget_s: float = FRAME_BUDGET_S, decoder: Decoder | None = None) -> None:
        super().__init__(rules)
        self.device = device
        self.max_fps = max_fps
        self.budget_s = budget_s
        self.frames = 0                 # frames decoded since start: shows a technician the camera runs
        self.on_frame: Callable[[Any], None] | None = None   # technician's preview: each frame, on this thread
        self._pipeline = Pipeline(decoder)
        self._automatic_exposure = 0.0      # the camera's own, read when a bracket starts

    def _expose(self, capture: Any, current: float, wanted: float) -> None:
        """The next frames at wanted times the automatic exposure (exposure.py). Through OpenCV's
        V4L2 backend: AUTO_EXPOSURE 1 is manual, 3 automatic. Unverified on kiosk cameras: one that
        refuses the settings keeps its automatic exposure, and the bracket only costs frames."""
        import cv2
        if wanted == current:
            return
        if wanted == 1.0:
            capture.set(cv2.CAP_PROP_AUTO_EXPOSURE, 3)
            return
        if current == 1.0:
            self._automatic_exposure = capture.get(cv2.CAP_PROP_EXPOSURE)
        capture.set(cv2.CAP_PROP_AUTO_EXPOSURE, 1)
        capture.set(cv2.CAP_PROP_EXPOSURE, self._automatic_exposure * wanted)

    def _serve(self) -> None:
        import cv2
        capture = cv2.VideoCapture(self.device)
        try:
            if not capture.isOpened():
                self._report_health(State.ABSENT, f"camera {self.device}: cannot open")
                return
            if isinstance(self.device, int):
                capture.set(cv2.CAP_PROP_FRAME_WIDTH, FRAME_SIZE[0])
                capture.set(cv2.CAP_PROP_FRAME_HEIGHT, FRAME_SIZE[1])
            self._read_frames(capture)
        finally:
            capture.release()

    def _read_frames(self, capture: Any) -> None:
        """Until stopped or the capture gives no frame: a file played to its end starts again, a
        camera that stops gets one more try and then counts as absent (the caller opens it anew)."""
        import cv2
        interval = 1.0 / self.max_fps
        bracket = Bracket() if isinstance(self.device, int) else None     # files have one exposure
        next_frame = time.monotonic()
        since_start = 0
        while not self._stop.is_set():
            ok, frame = capture.read()
            if not ok:
                if since_start == 0:
                    self._report_health(State.ABSENT, f"camera {self.device}: no frames")
                    return
                capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
                since_start = 0
                continue
            since_start += 1
            self._report_health(State.OK)
            if self.on_frame is not None:
                self.on_frame(frame)
            symbols = self._pipeline.decode(frame, self.budget_s).symbols
            for symbol in symbols:
                self._admit(symbol.raw, symbol.format, symbol.declared)
            if bracket is not None:
                self._expose(capture, bracket.exposure, bracket.after(frame, bool(symbols)))
            self.frames += 1
            next_frame = max(next_frame + interval, time.monotonic())
            self._stop.wait(next_frame - time.monotonic())
