"""The settings page: the settings a technician may change on site, checked as the kiosk loads them and
written to the config file in one step. They apply after a restart (the power page), as the page says."""
from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit, QVBoxLayout, QWidget
from shiboken6 import isValid

from kiosk.outcome import Outcome
from ui.technician.context import TechContext
from ui.technician.page_parts import role, say
from ui.widgets import button, label, scrolling, text_field


class SettingsPage(QWidget):
    def __init__(self, ctx: TechContext) -> None:
        super().__init__()
        self.ctx = ctx
        tr = ctx.tr
        self.fields: dict[str, QLineEdit] = {}
        form = QWidget()
        rows = QFormLayout(form)
        rows.setRowWrapPolicy(QFormLayout.WrapLongRows)
        rows.setSpacing(ctx.theme.gap_px)
        for name, value in ctx.ops.settings().items():
            field = text_field(value)
            field.setObjectName(f"setting_{name}")
            field.setAccessibleName(tr.t(f"technician_ops.setting.{name}"))
            field.setAccessibleDescription(tr.t("technician_ops.desc.setting"))
            rows.addRow(label(tr.t(f"technician_ops.setting.{name}")), field)
            self.fields[name] = field
        self.result = label("", "Muted")
        self.save = role(button(tr.t("technician_ops.settings.save"), self.save_now, name="Primary",
                                description=tr.t("technician_ops.desc.save")), "save_settings")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(ctx.page(tr.t("technician_ops.page.settings"),
                                  [self.result, scrolling(form, tr.t("technician_ops.page.settings"),
                                                          tr.t("technician_ops.desc.list"))],
                                  footer=[self.save],
                                  subtitle=tr.t("technician_ops.settings.subtitle",
                                                file=ctx.ops.settings_file())))

    def save_now(self) -> None:
        edits = {name: field.text() for name, field in self.fields.items()}
        self.save.setEnabled(False)
        self.ctx.bridge.run(lambda: self.ctx.ops.save_settings(edits), self._saved)

    def _saved(self, outcome: Outcome[list[str]]) -> None:
        if not isValid(self):
            return
        tr = self.ctx.tr
        self.save.setEnabled(True)
        if outcome.ok:
            changed = outcome.value or []
            if changed:
                self.ctx.audit("settings.save", ", ".join(changed))
            self.result = say(self.result, tr.t("technician_ops.settings.saved", names=", ".join(changed)) if changed
                else tr.t("technician_ops.settings.unchanged"), "Good")
        else:
            words = tr.t(outcome.problem or "technician_ops.settings.invalid", error=outcome.detail)
            self.result = say(self.result, words, "Problem")


def build(ctx: TechContext) -> QWidget:
    return SettingsPage(ctx)
