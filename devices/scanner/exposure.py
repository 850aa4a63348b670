"""Exposure-bracketed retries: when a frame is clipped white and holds no readable code, the camera
takes the next frames darker.

Under a lamp's reflection or an auto-exposure fooled by a bright phone screen, the white modules
clip and the dark ones are lifted until they clip too; no processing brings back what the sensor
never recorded, but the same scene at half or a quarter of the exposure still has it. On the
camera-fault set (bench.qr) this reads every glare and over-exposure frame that the single-frame
pipeline misses, at the cost of one or two frames (70-140 ms at 15 fps) while a code is held up.
"""
from __future__ import annotations

from typing import Any

Image = Any

# a pixel at or above this grey level is clipped; a frame with this share of them is over-exposed
CLIPPED_LEVEL = 250
CLIPPED_SHARE = 0.005
# the exposures tried in turn, relative to the camera's automatic one
STEPS = (1.0, 0.5, 0.25)
# every this many pixels each way is enough to tell the share of clipped ones
_SAMPLE = 4


def clipped_share(frame: Image) -> float:
    """The share of clipped values in frame (grey or colour), from a sparse sample."""
    import numpy as np
    sample = frame[::_SAMPLE, ::_SAMPLE]
    return float(np.count_nonzero(sample >= CLIPPED_LEVEL)) / sample.size


class Bracket:
    """Which exposure the next frame takes: the automatic one until a frame comes out clipped
    without a code, then each darker step in turn, and back to automatic once a code reads or
    the darkest step has been tried."""

    def __init__(self, steps: tuple[float, ...] = STEPS) -> None:
        self.steps = steps
        self._at = 0

    @property
    def exposure(self) -> float:
        return self.steps[self._at]

    def after(self, frame: Image, found: bool) -> float:
        """The relative exposure for the next frame, given this frame and whether it held a code."""
        if found:
            self._at = 0
        elif self._at > 0 or clipped_share(frame) >= CLIPPED_SHARE:
            self._at = (self._at + 1) % len(self.steps)
        return self.exposure
