"""What each technician page is given: the kiosk to act on (Operations) and how to show and record it.

Apart from the registry (ui/technician/pages.py), which imports every page, so that a page module
imports this one without a loop.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from PySide6.QtWidgets import QWidget

from kiosk.i18n import Translator
from ui.bridge import Bridge
from ui.technician.operations import Operations
from ui.theme import Theme
from ui.widgets import page


@dataclasses.dataclass(frozen=True)
class TechContext:
    """Everything a page needs; built afresh for each page shown (language and size may have changed)."""

    ops: Operations                        # the kiosk: its configuration, devices, outbox, centre, power
    bridge: Bridge                         # ctx.bridge.run(job, then): I/O off the UI thread; device signals
    audit: Callable[[str, str], None]      # audit(action, detail): the local log and the centre
    tr: Translator
    theme: Theme
    technician: str = ""                   # who is in, for what a page shows or records
    width: int = 1920                      # of the page area: what fits in a row

    def page(self, title: str, body: Iterable[QWidget], footer: Iterable[QWidget] = (), subtitle: str = "",
             problem: str | None = None) -> QWidget:
        """The same frame as the citizens' screens, in the technician's theme."""
        return page(title, body, self.theme, footer=footer, problem=problem, subtitle=subtitle)
