"""The out-of-service page: take the kiosk out of service (citizens then see where to go instead) or
put it back. The switch is kept on disk, so it holds across restarts, and the heartbeat reports it."""
from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget
from shiboken6 import isValid

from kiosk import voice
from kiosk.closure import Closure
from kiosk.outcome import Outcome
from ui.technician.context import TechContext
from ui.technician.page_parts import role, when
from ui.widgets import button, card, discard, label


class ServicePage(QWidget):
    def __init__(self, ctx: TechContext) -> None:
        super().__init__()
        self.ctx, self.ops = ctx, ctx.ops
        self.frame: QWidget | None = None
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)
        self.render(self.ops.closure())

    def render(self, closure: Closure | None) -> None:
        tr = self.ctx.tr
        if self.frame is not None:
            discard(self.frame)
        shown = closure or self.ops.notice_preview()
        state = label(tr.t("technician_ops.service.closed", since=when(closure.since.replace(tzinfo=None), tr))
                      if closure else tr.t("technician_ops.service.open"), "Problem" if closure else "Good")
        state.setProperty("out_of_service", closure is not None)
        notes = [label(tr.t("technician_ops.service.preview"), "Title"),
                 *(label(line) for line in voice.closure_lines(shown, tr))]
        if not self.ops.has_alternative_hall:
            notes.append(label(tr.t("technician_ops.service.no_place"), "Muted"))
        if closure:
            action = role(button(tr.t("technician_ops.service.reopen"), self.reopen, name="Primary",
                                 description=tr.t("technician_ops.desc.reopen")), "reopen")
        else:
            action = role(button(tr.t("technician_ops.service.close"), self.close_service, name="Primary",
                                 description=tr.t("technician_ops.desc.close")), "close_service")
        self.frame = self.ctx.page(tr.t("technician_ops.page.service"), [state, card(*notes)], footer=[action])
        self.layout().addWidget(self.frame)

    def close_service(self) -> None:
        self.ctx.audit("service.out_of_service", "")
        self.ctx.bridge.run(self.ops.close_service, self._switched)

    def reopen(self) -> None:
        self.ctx.audit("service.back_in_service", "")
        self.ctx.bridge.run(self.ops.reopen, self._switched)

    def _switched(self, result: Closure | Outcome | None) -> None:
        """On the UI thread: the citizens' screen follows, then this page."""
        current = self.ops.closure() if isinstance(result, Outcome) else result   # failed: what holds
        self.ops.closure_changed(current)
        if isValid(self):
            self.render(current)


def build(ctx: TechContext) -> QWidget:
    return ServicePage(ctx)
