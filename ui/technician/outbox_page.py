"""The outbox page: what waits for the centre (applications and messages), what the centre refused and
why, the sync worker's state (a full disk, a damaged database: said plainly), sync now, retry dead letters."""
from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget
from shiboken6 import isValid

from sync.health_report import SyncReport
from sync.outbox import QueueStatus
from ui.technician.context import TechContext
from ui.technician.page_parts import age, role, state_words
from ui.widgets import button, card, discard, label, scrolling

STORAGE_STATES = ("disk_full", "database_error")


class OutboxPage(QWidget):
    def __init__(self, ctx: TechContext) -> None:
        super().__init__()
        self.ctx, self.ops = ctx, ctx.ops
        tr = ctx.tr
        self.report: SyncReport | None = None
        self.result = label("", "Muted")
        self.rows = QWidget()
        self.rows_layout = QVBoxLayout(self.rows)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(ctx.theme.gap_px)
        self.sync = role(button(tr.t("technician_ops.outbox.sync_now"), self.sync_now, name="Primary",
                                description=tr.t("technician_ops.desc.sync_now")), "sync_now")
        self.retry = role(button(tr.t("technician_ops.outbox.retry"), self.retry_dead,
                                 description=tr.t("technician_ops.desc.retry")), "retry_dead")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(ctx.page(tr.t("technician_ops.page.outbox"),
                                  [self.result, scrolling(self.rows, tr.t("technician_ops.page.outbox"),
                                                          tr.t("technician_ops.desc.list"))],
                                  footer=[self.sync, self.retry]))
        self.refresh()

    def refresh(self) -> None:
        self.ctx.bridge.run(self.ops.sync_report, self.show_report)

    def show_report(self, report: SyncReport) -> None:
        if not isValid(self):
            return
        self.report = report
        tr = self.ctx.tr
        while self.rows_layout.count():
            discard(self.rows_layout.takeAt(0).widget())
        state = label(tr.t("technician_ops.outbox.state", state=state_words(report.state, tr)),
                      "Good" if report.state == "ok" else "Problem")
        state.setProperty("sync_state", report.state)
        lines = [state]
        if report.detail:
            lines.append(label(report.detail, "Muted"))
        if report.state in STORAGE_STATES:
            lines.append(label(tr.t(f"technician_ops.storage.{report.state}"), "Problem"))
        if report.clock_jump:
            lines.append(label(tr.t("technician_ops.storage.clock_jump", jump=report.clock_jump), "Problem"))
        if report.storage_alert:
            lines.append(label(tr.t("technician_ops.storage.alert", alert=report.storage_alert), "Problem"))
        self.rows_layout.addWidget(card(*lines))
        self.rows_layout.addWidget(self._queue(tr.t("technician_ops.outbox.applications"), report.applications,
                                               "applications"))
        if report.messages is not None:
            self.rows_layout.addWidget(self._queue(tr.t("technician_ops.outbox.messages"), report.messages, "messages"))
        if report.dead_letters:
            letters = [label(tr.t("technician_ops.outbox.dead_letters"), "Title")]
            letters += [label(tr.t("technician_ops.outbox.dead_letter", what=d.what, kind=d.kind, reason=d.reason,
                                   attempts=d.attempts)) for d in report.dead_letters]
            self.rows_layout.addWidget(card(*letters))
        self.retry.setEnabled(bool(report.dead_letters))

    def _queue(self, title: str, status: QueueStatus, name: str) -> QWidget:
        tr = self.ctx.tr
        made = card(label(title, "Title"),
                    label(tr.t("technician_ops.outbox.pending", count=status.pending,
                               age=age(status.oldest_pending_age_s, tr)) if status.pending
                          else tr.t("technician_ops.outbox.pending_none")),
                    label(tr.t("technician_ops.outbox.delivered", count=status.delivered)),
                    label(tr.t("technician_ops.outbox.dead", count=status.dead),
                          "Problem" if status.dead else ""))
        made.setProperty("queue", name)
        return made

    def sync_now(self) -> None:
        """Every pending application tried once now, whatever its backoff says, off the UI thread."""
        self.sync.setEnabled(False)
        self.result.setText(self.ctx.tr.t("technician_ops.outbox.syncing"))
        self.ctx.audit("outbox.sync_now", "")
        self.ctx.bridge.run(self.ops.sync_now, self._synced)

    def _synced(self, delivered: object) -> None:
        if not isValid(self):
            return
        self.sync.setEnabled(True)
        tr = self.ctx.tr
        self.result.setText(tr.t("technician_ops.outbox.synced", count=delivered) if isinstance(delivered, int)
                            else tr.t("technician_ops.outbox.sync_failed"))
        self.refresh()

    def retry_dead(self) -> None:
        self.ctx.audit("outbox.retry_dead", "")
        self.ctx.bridge.run(self.ops.retry_dead, self._retried)

    def _retried(self, count: object) -> None:
        if not isValid(self):
            return
        self.result.setText(self.ctx.tr.t("technician_ops.outbox.retried", count=count))
        self.refresh()


def build(ctx: TechContext) -> QWidget:
    return OutboxPage(ctx)
