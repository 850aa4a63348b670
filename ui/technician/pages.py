"""The technician shell's pages: a registry the shell lists in order, and what each page is given.

How to add a page (for every engineer adding one):
  1. Write `build(ctx: TechContext) -> QWidget` in your own module under ui/technician/ (say
     `ui/technician/outbox_page.py`); frame it with `ctx.page(title, body, footer)` and make every
     control with `ui.widgets.button(..., description=...)` so it is touch-sized and named.
  2. Import your module inside `pages()` below and append one line to its list:
     `Page("outbox", "technician_ops.page.outbox", outbox_page.build)` (the title is an i18n key from
     your own kiosk/i18n/<lang>/<area>.toml). Imports sit inside pages() because page modules import
     this one for TechContext.
  3. Do I/O off the UI thread with `ctx.bridge.run(job, then)`; record what the technician changed with
     `ctx.audit("action", "detail")` (no citizen data in the detail).
  4. A page that runs something while shown (a camera preview, a timer) stops it in its closeEvent:
     the shell closes a page before it discards it (on another page, on leaving, on timeout).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from devices.health_book import HealthBook
from kiosk.config import Config
from kiosk.i18n import Translator
from kiosk.ports import MessageQueue
from ui.bridge import Bridge
from ui.theme import Theme
from ui.widgets import page

if TYPE_CHECKING:
    from devices.idcard.reader import CardPoller
    from devices.scanner.source import Scanner
    from kiosk.consumables import Consumables, CountingPrinter
    from sync.outbox import Outbox
    from ui.technician.operations import Operations


@dataclasses.dataclass(frozen=True)
class TechContext:
    """Everything a page needs; built afresh for each page shown (language and size may have changed)."""

    config: Config
    outbox: Outbox
    messages: MessageQueue | None          # sync.messages: audit events and the like on their way to the centre
    bridge: Bridge
    health: HealthBook                     # each device's latest health and last problem
    audit: Callable[[str, str], None]      # audit(action, detail): the local log and the centre
    tr: Translator
    theme: Theme
    printer: CountingPrinter | None = None  # the kiosk's printer, as the citizens' receipts use it (counted)
    consumables: Consumables | None = None  # paper counters in the kiosk database
    card_poller: CardPoller | None = None   # the kiosk's ID-card reader thread; rearm() reads the card afresh
    scanner: Scanner | None = None          # the kiosk's running code scanner; a camera one can show a preview
    technician: str = ""                   # who is in, for what a page shows or records
    width: int = 1920                      # of the page area: what fits in a row
    ops: Operations | None = None        # the sync worker, the out-of-service switch, quitting (operations pages)

    def page(self, title: str, body: Iterable[QWidget], footer: Iterable[QWidget] = (), subtitle: str = "",
             problem: str | None = None) -> QWidget:
        """The same frame as the citizens' screens, in the technician's theme."""
        return page(title, body, self.theme, footer=footer, problem=problem, subtitle=subtitle)


@dataclasses.dataclass(frozen=True)
class Page:
    key: str                                   # stable handle: tests and the audit log use it
    title: str                                 # i18n key of the list entry and the page's title
    build: Callable[[TechContext], QWidget]


def pages() -> list[Page]:
    """The registry, in the order the shell lists it."""
    from ui.technician import (
        device_pages,
        logs_page,
        network_page,
        outbox_page,
        power_page,
        service_page,
        settings_page,
    )

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

