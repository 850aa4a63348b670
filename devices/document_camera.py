"""The document camera as the kiosk uses it: one call gives the page, found, straightened and encoded.

Implements kiosk.ports.DocumentCamera over any devices.doccam FrameSource (the UVC camera, image
files, or the photographed-page simulator). Called off the UI thread: a capture takes a few tenths
of a second.
"""
from __future__ import annotations

import logging
import threading

from devices import doccam
from kiosk.outcome import Outcome

log = logging.getLogger(__name__)


class DocumentCamera:
    def __init__(self, source: doccam.FrameSource, fmt: str = "jpeg") -> None:
        self.source = source
        self.fmt = fmt
        self._lock = threading.Lock()       # one capture at a time: the camera is one device

    def capture(self) -> Outcome[tuple[bytes, str]]:
        """(encoded page, MIME type), or a named failure (doccam.NO_PAGE, CAMERA_ABSENT, BAD_IMAGE)."""
        with self._lock:
            frame = self.source.read()
            if not frame.ok or frame.value is None:
                log.warning("document camera: %s %s", frame.problem, frame.detail)
                return Outcome.failure(frame.problem or doccam.CAMERA_ABSENT, frame.detail)
            page = doccam.scan(frame.value, self.fmt)
        if not page.ok or page.value is None:
            return Outcome.failure(page.problem or doccam.NO_PAGE, page.detail)
        return Outcome.success((page.value.data, page.value.mime))

    def close(self) -> None:
        with self._lock:
            self.source.close()
