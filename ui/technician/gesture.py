"""The hidden way in on the attract screen (documented in docs/operator.md):

  hold a finger on the top-left corner for 5 seconds and lift it, then within 10 seconds tap the
  top-right corner 3 times. The corners are squares of CORNER_MM; a touch anywhere else starts over.

Qt-free apart from the names of the corners, so the rule reads (and is tested) as plain steps.
"""
from __future__ import annotations

import enum
from collections.abc import Callable

HOLD_S = 5.0
TAPS = 3
TAPS_WITHIN_S = 10.0
CORNER_MM = 12.0


class Corner(enum.Enum):
    TOP_LEFT = "top_left"
    TOP_RIGHT = "top_right"
    ELSEWHERE = "elsewhere"


class Gesture:
    """Feed presses and releases with the corner they hit; `release`/`press` return True on completion."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.reset()

    def reset(self) -> None:
        self.held_since: float | None = None
        self.armed_until: float | None = None
        self.taps = 0

    def press(self, corner: Corner) -> bool:
        now = self.clock()
        if corner is Corner.TOP_LEFT:
            self.reset()
            self.held_since = now
        elif corner is Corner.TOP_RIGHT and self.armed_until is not None and now <= self.armed_until:
            self.taps += 1
            if self.taps == TAPS:
                self.reset()
                return True
        else:
            self.reset()
        return False

    def release(self, corner: Corner) -> None:
        if self.held_since is None:
            return
        held = self.clock() - self.held_since
        self.held_since = None
        if corner is Corner.TOP_LEFT and held >= HOLD_S:
            self.armed_until = self.clock() + TAPS_WITHIN_S
