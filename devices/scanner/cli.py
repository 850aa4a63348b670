"""`kiosk24 devices decode` and the scanner test."""
from __future__ import annotations

import argparse
from typing import Any, Callable


def register(sub: Any, with_config: Callable[[argparse.ArgumentParser], argparse.ArgumentParser]) -> None:
    """Placeholder registration; the commands land with issue #4."""
