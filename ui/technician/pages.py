"""The technician shell's pages: the registry the shell lists, in order.

How to add a page (for every engineer adding one):
  1. Write `build(ctx: TechContext) -> QWidget` in your own module under ui/technician/ (say
     `ui/technician/outbox_page.py`), taking TechContext from ui/technician/context.py; frame it with
     `ctx.page(title, body, footer)` and make every control with `ui.widgets.button(..., description=...)`
     so it is touch-sized and named.
  2. Import your module below and append one line to the list in `pages()`:
     `Page("outbox", "technician_ops.page.outbox", outbox_page.build)` (the title is an i18n key from
     your own kiosk/i18n/<lang>/<area>.toml).
  3. Act on the kiosk only through `ctx.ops` (ui/technician/operations.py: add a method there for
     something new, not a client or a driver in the page). Do I/O off the UI thread with
     `ctx.bridge.run(ctx.ops.something, then)`; record what the technician changed with
     `ctx.audit("action", "detail")` (no citizen data in the detail).
  4. A page that runs something while shown (a camera preview, a timer) stops it in its closeEvent:
     the shell closes a page before it discards it (on another page, on leaving, on timeout).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from ui.technician import (
    device_pages,
    logs_page,
    network_page,
    outbox_page,
    power_page,
    service_page,
    settings_page,
)
from ui.technician.context import TechContext


@dataclasses.dataclass(frozen=True)
class Page:
    key: str                                   # stable handle: tests and the audit log use it
    title: str                                 # i18n key of the list entry and the page's title
    build: Callable[[TechContext], QWidget]


def pages() -> list[Page]:
    """The registry, in the order the shell lists it."""
    return [
        Page("devices", "technician.page.devices", device_pages.devices),
        Page("print", "technician.page.print", device_pages.test_print),
        Page("scanner", "technician.page.scanner", device_pages.scanner),
        Page("idcard", "technician.page.idcard", device_pages.idcard),
        Page("paper", "technician.page.paper", device_pages.paper),
        Page("outbox", "technician_ops.page.outbox", outbox_page.build),
        Page("network", "technician_ops.page.network", network_page.build),
        Page("settings", "technician_ops.page.settings", settings_page.build),
        Page("logs", "technician_ops.page.logs", logs_page.build),
        Page("service", "technician_ops.page.service", service_page.build),
        Page("power", "technician_ops.page.power", power_page.build),
    ]

