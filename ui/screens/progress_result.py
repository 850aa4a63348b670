"""A case's progress: where it stands, the promised date, and every step so far. Nothing personal.

The answer to the citizen's question (办理中, 已办结 …) is the largest thing on the screen, with the promised
date under it; the number they looked up, which they already hold, is quieter below; the latest step first."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.application import CHINA_TZ
from kiosk.online_voice import status_text
from ui.screens import online_parts
from ui.screens.context import ScreenContext
from ui.widgets import button, card, case_number, label, scrolling


def build(ctx: ScreenContext) -> QWidget:
    tr, progress = ctx.tr, ctx.session.online.progress
    assert progress is not None
    promised = progress.promised_date.isoformat() if progress.promised_date else tr.t("detail.on_the_spot")
    answer = card(label(tr.t("progress.status"), "Muted"), label(status_text(tr, progress.status), "Title"),
                  label(tr.t("common.pair", label=tr.t("done.promised"), value=promised), "Lead"))
    service = next((s for s in ctx.session.catalog.services if s.code == progress.service_code), None)
    facts = [label(tr.t("done.case_number"), "Muted"), case_number(progress.kiosk_case_number, quiet=True)]
    if service is not None:
        facts.append(label(tr.t("common.pair", label=tr.t("receipt.service"), value=tr.local(service.name))))
    steps = [label(tr.t("progress.history"), "Subtitle")]
    for step in reversed(progress.history):
        at = step.at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
        line = tr.t("common.pair", label=at, value=status_text(tr, step.status))
        steps.append(label(line + (f"\n    {step.note}" if step.note else "")))
    pane = scrolling(ctx.stacked(answer, card(*facts), card(*steps)), tr.t("progress.result_title"),
                     tr.t("desc.guide"))
    another = button(tr.t("progress.another"), ctx.controller.back, name="back", description=tr.t("desc.back"))
    return ctx.page(tr.t("progress.result_title"), [pane], footer=[another, online_parts.finish_button(ctx)])
