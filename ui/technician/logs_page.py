"""The logs page: the USB sticks mounted now, and the logs, a health report and the queue's status
copied to the one chosen as a dated .tar.gz, with how many bytes were written or why it failed."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QVBoxLayout, QWidget
from shiboken6 import isValid

from kiosk.outcome import Outcome
from sync import usb_export
from ui.technician.context import TechContext
from ui.technician.page_parts import role, say
from ui.widgets import button, discard, label, scrolling


class LogsPage(QWidget):
    def __init__(self, ctx: TechContext) -> None:
        super().__init__()
        self.ctx, self.ops = ctx, ctx.ops
        tr = ctx.tr
        self.result = label("", "Muted")
        self.sticks = QWidget()
        self.sticks_layout = QVBoxLayout(self.sticks)
        self.sticks_layout.setContentsMargins(0, 0, 0, 0)
        self.sticks_layout.setSpacing(ctx.theme.gap_px)
        self.look = role(button(tr.t("technician_ops.logs.look"), self.look_again,
                                description=tr.t("technician_ops.desc.look")), "look_again")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(ctx.page(tr.t("technician_ops.page.logs"),
                                  [self.result, scrolling(self.sticks, tr.t("technician_ops.page.logs"),
                                                          tr.t("technician_ops.desc.list"))],
                                  footer=[self.look], subtitle=tr.t("technician_ops.logs.subtitle")))
        self.look_again()

    def look_again(self) -> None:
        tr = self.ctx.tr
        while self.sticks_layout.count():
            discard(self.sticks_layout.takeAt(0).widget())
        found = self.ops.usb_sticks()
        if not found:
            self.sticks_layout.addWidget(label(tr.t("technician_ops.logs.none"), "Problem"))
        for stick in found:
            widget = role(button(tr.t("technician_ops.logs.export", stick=stick.name),
                                 lambda s=stick: self.export(s), name="Primary",
                                 description=tr.t("technician_ops.desc.export")), "export")
            widget.setProperty("stick", str(stick))
            self.sticks_layout.addWidget(widget)

    def export(self, stick: Path) -> None:
        ctx = self.ctx
        for widget in self.sticks.findChildren(QWidget):
            widget.setEnabled(False)
        self.result.setText(ctx.tr.t("technician_ops.logs.copying", stick=stick.name))
        ctx.audit("logs.export", stick.name)
        ctx.bridge.run(lambda: self.ops.export_logs(stick), self._copied)

    def _copied(self, outcome: Outcome[usb_export.Exported]) -> None:
        if not isValid(self):
            return
        tr = self.ctx.tr
        if outcome.ok and outcome.value is not None:
            self.result = say(self.result, tr.t("technician_ops.logs.done", file=outcome.value.path.name,
                                  bytes=outcome.value.bytes_written), "Good")
        else:
            self.result = say(self.result, tr.t(outcome.problem or usb_export.FAILED), "Problem")
        self.look_again()


def build(ctx: TechContext) -> QWidget:
    return LogsPage(ctx)
