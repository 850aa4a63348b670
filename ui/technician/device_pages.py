"""The technician's device pages: every device's health and last error, and a probe on demand."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QVBoxLayout, QWidget
from shiboken6 import isValid

from devices.health import Health, State
from kiosk.i18n import Translator, table
from ui.technician.pages import TechContext
from ui.widgets import button, card, discard, label, scrolling

CONFIGURED = {"idcard": "idcard_port", "printer": "printer", "scanner": "scanner"}


def words(tr: Translator, detail: str) -> str:
    """A health detail is an i18n key (printer.paper_out) or a driver's technical text, shown as it is."""
    return tr.t(detail) if detail in table(tr.language) or detail in table("zh_CN") else detail


def _when(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds).strftime("%Y-%m-%d %H:%M:%S")


class DevicesPage(QWidget):
    """Follows health reports as they come; "check now" asks the printer itself, off the UI thread."""

    def __init__(self, ctx: TechContext) -> None:
        super().__init__()
        self.ctx = ctx
        tr = ctx.tr
        self.rows = QWidget()
        self.rows_layout = QVBoxLayout(self.rows)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(ctx.theme.gap_px)
        self.check = button(tr.t("technician.devices.check"), self.check_now, name="Primary",
                            description=tr.t("technician.desc.check"))
        self.check.setProperty("role", "check")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(ctx.page(tr.t("technician.page.devices"),
                                  [scrolling(self.rows, tr.t("technician.page.devices"), tr.t("technician.desc.list"))],
                                  footer=[self.check], subtitle=tr.t("technician.devices.subtitle")))
        ctx.bridge.health_changed.connect(self.refresh)
        self.refresh()

    def devices(self) -> list[str]:
        """The configured devices first, then whatever else reports (the voice, the document camera)."""
        configured = [name for name, setting in CONFIGURED.items() if getattr(self.ctx.config, setting)]
        return configured + sorted({h.device for h in self.ctx.health.latest()} - set(configured))

    def refresh(self, _health: object = None) -> None:
        while self.rows_layout.count():
            discard(self.rows_layout.takeAt(0).widget())
        tr = self.ctx.tr
        latest = {h.device: h for h in self.ctx.health.latest()}
        for device in self.devices():
            health = latest.get(device)
            state = tr.t(f"technician.state.{health.state.value}") if health else tr.t("technician.state.unknown")
            lines = [label(tr.t(f"technician.device.{device}") if f"technician.device.{device}" in table("zh_CN")
                           else device, "Title"),
                     label(tr.t("technician.devices.state", state=state,
                                since=_when(health.since) if health else "-"),
                           "Good" if health and health.state is State.OK else "Problem")]
            if health and health.detail:
                lines.append(label(words(tr, health.detail), "Muted"))
            problem = self.ctx.health.last_problem(device)
            lines.append(label(tr.t("technician.devices.last_error", when=_when(problem.since),
                                    error=words(tr, problem.detail) or tr.t(f"technician.state.{problem.state.value}"))
                               if problem else tr.t("technician.devices.no_error"), "Muted"))
            row = card(*lines)
            row.setProperty("device", device)
            self.rows_layout.addWidget(row)

    def check_now(self) -> None:
        printer, book = self.ctx.printer, self.ctx.health
        if printer is None:
            return

        def probe() -> Health:
            health = printer.status()
            book.record(health)
            return health

        self.check.setEnabled(False)
        self.ctx.audit("devices.check", "printer")
        self.ctx.bridge.run(probe, self._checked)

    def _checked(self, _health: object) -> None:
        if not isValid(self):            # the technician went to another page meanwhile
            return
        self.check.setEnabled(True)
        self.refresh()


def devices(ctx: TechContext) -> QWidget:
    return DevicesPage(ctx)
