"""The network page: can the kiosk reach the centre now, when did the centre last take an application
or answer a status pull, when did it last answer a heartbeat, and is there a credential (never shown)."""
from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget
from shiboken6 import isValid

from ui.technician.context import TechContext
from ui.technician.page_parts import role, say, when
from ui.widgets import button, card, label


class NetworkPage(QWidget):
    def __init__(self, ctx: TechContext) -> None:
        super().__init__()
        self.ctx, self.ops = ctx, ctx.ops
        tr, config = ctx.tr, ctx.ops.config
        self.reach = label(tr.t("technician_ops.network.checking"), "Muted")
        self.reach.setProperty("reachable", None)
        contacts = self.ops.contacts()
        synced = [contacts[name] for name in ("push", "pull_statuses") if name in contacts]
        present = self.ops.credential_present()
        self.credential = label(tr.t("technician_ops.network.credential_yes" if present
                                     else "technician_ops.network.credential_no"), "Good" if present else "Problem")
        self.check = role(button(tr.t("technician_ops.network.check"), self.check_now, name="Primary",
                                 description=tr.t("technician_ops.desc.check_centre")), "check_centre")
        facts = card(label(tr.t("technician_ops.network.centre", url=config.centre_url)), self.reach,
                     label(tr.t("technician_ops.network.last_sync", when=when(max(synced) if synced else None, tr))),
                     label(tr.t("technician_ops.network.last_heartbeat", when=when(contacts.get("heartbeat"), tr))),
                     label(tr.t("technician_ops.network.kiosk", kiosk_id=config.kiosk_id)), self.credential)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(ctx.page(tr.t("technician_ops.page.network"), [facts], footer=[self.check]))
        self.check_now()

    def check_now(self) -> None:
        """The centre's health endpoint, unsigned: no secret leaves for a mere "are you there"."""
        self.check.setEnabled(False)
        self.ctx.bridge.run(self.ops.centre_reachable, self._answered)

    def _answered(self, reachable: object) -> None:
        if not isValid(self):
            return
        tr = self.ctx.tr
        ok = reachable is True
        words = tr.t("technician_ops.network.reachable" if ok else "technician_ops.network.unreachable")
        self.reach = say(self.reach, words, "Good" if ok else "Problem")
        self.reach.setProperty("reachable", ok)
        self.check.setEnabled(True)


def build(ctx: TechContext) -> QWidget:
    return NetworkPage(ctx)
