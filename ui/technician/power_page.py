"""The power page: restart the kiosk app (settings saved on the settings page take effect) or shut the
machine down. Each asks twice before it acts and goes into the audit trail first."""
from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget
from shiboken6 import isValid

from kiosk import power
from kiosk.outcome import Outcome
from ui.technician.context import TechContext
from ui.technician.page_parts import TwiceConfirmed, say
from ui.widgets import card, label


class PowerPage(QWidget):
    def __init__(self, ctx: TechContext) -> None:
        super().__init__()
        self.ctx, self.ops = ctx, ctx.ops
        tr = ctx.tr
        self.result = label("", "Muted")
        self.restart = TwiceConfirmed(tr, (tr.t("technician_ops.power.restart"),
                                           tr.t("technician_ops.power.restart_sure"),
                                           tr.t("technician_ops.power.restart_really")),
                                      tr.t("technician_ops.desc.restart"), self.restart_now, "restart")
        self.shutdown = TwiceConfirmed(tr, (tr.t("technician_ops.power.shutdown"),
                                            tr.t("technician_ops.power.shutdown_sure"),
                                            tr.t("technician_ops.power.shutdown_really")),
                                       tr.t("technician_ops.desc.shutdown"), self.shut_down_now, "shutdown")
        body = [self.result,
                card(label(tr.t("technician_ops.power.restart_note")), self.restart),
                card(label(tr.t("technician_ops.power.shutdown_note", command=ctx.ops.shutdown_command)),
                     self.shutdown)]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(ctx.page(tr.t("technician_ops.page.power"), body))

    def restart_now(self) -> None:
        """The audit entry is queued first; stopping the kiosk drains the queue before the process ends."""
        self.ctx.audit("power.restart", f"exit {power.RESTART_EXIT_CODE}")
        self.ops.restart()

    def shut_down_now(self) -> None:
        self.ctx.audit("power.shutdown", self.ops.shutdown_command)
        self.result.setText(self.ctx.tr.t("technician_ops.power.shutting_down"))
        self.ctx.bridge.run(self.ops.shut_down, self._shut_down)

    def _shut_down(self, outcome: Outcome[None]) -> None:
        """Reached only when the machine is still running: the command failed or is taking its time."""
        if not isValid(self) or outcome.ok:
            return
        words = self.ctx.tr.t(outcome.problem or "technician_ops.power.shutdown_failed", error=outcome.detail)
        self.result = say(self.result, words, "Problem")


def build(ctx: TechContext) -> QWidget:
    return PowerPage(ctx)
