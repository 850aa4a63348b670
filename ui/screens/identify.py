"""Identify: the ways this service accepts (ID and residence cards, passport, e-credential), each read
off the UI thread by its device; a reader that is absent or faulty is named and the others offered.
代为办理: the agent identifies first, then the principal, who may also be typed in."""
from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk import identifying
from kiosk.session import Intent
from ui.screens import privacy
from ui.screens.context import ScreenContext
from ui.widgets import button, card, label, scrolling


def build(ctx: ScreenContext) -> QWidget:
    tr, controller, session = ctx.tr, ctx.controller, ctx.session
    rows: list[QWidget] = []
    if session.agent is not None:
        rows.append(label("✓ " + tr.t("identity.agent_done", name=session.agent.masked_name()), "Good"))
    for name, how, available in identifying.way_lines(session, tr):
        words = ([label(name, "Title")] if name else []) + [label(how, "" if available else "Problem")]
        rows.append(card(*words))
    content = QWidget()
    column = QVBoxLayout(content)
    column.setContentsMargins(0, 0, 16, 0)
    column.setSpacing(ctx.theme.gap_px)
    for row in rows:
        column.addWidget(row)
    notice = privacy.notice(ctx)               # PIPL: what is collected, why, who gets it, how long; before a card
    if not ctx.reach_px:                       # within reach it stays with the words above, never scrolled away
        column.addWidget(notice)
    column.addStretch(1)
    body: list[QWidget] = [scrolling(content, identifying.title(session, tr), tr.t("desc.guide"))]
    footer = [ctx.back_button()]
    if session.intent is Intent.PROXY_PRINCIPAL:
        footer.append(button(tr.t("identity.type_principal"), controller.type_principal, name="type_principal",
                             description=tr.t("identity.desc.type_principal")))
    if ctx.demo and controller.demo_insert is not None:
        footer.append(button(tr.t("identify.demo_insert"), controller.demo_insert, name="demo_insert",
                             description=tr.t("desc.demo_insert")))
    if ctx.demo and controller.demo_scan is not None and any(
            way.key == "e_credential" and way.available for way in session.identify_ways()):
        footer.append(button(tr.t("identity.demo_scan"), controller.demo_scan, name="demo_scan",
                             description=tr.t("identity.desc.demo_scan")))
    return ctx.page(identifying.title(session, tr), body, footer=footer, notes=[notice] if ctx.reach_px else [])
