"""Identify: the ways this service accepts (ID and residence cards, passport, e-credential), each read
off the UI thread by its device; a reader that is absent or faulty is named and the others offered.
代为办理: the agent identifies first, then the principal, who may also be typed in."""
from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from kiosk import identifying, opening
from kiosk.session import Intent
from ui import design
from ui.screens import privacy
from ui.screens.context import ScreenContext
from ui.widgets import button, card, label, scrolling


def _way_out(ctx: ScreenContext) -> tuple[QWidget, QPushButton]:
    """A reader is down: no dead end for a citizen without the other way (a smartphone). Staff come to the
    kiosk (the 帮办代办 call: the screen's one primary action, in the footer, always in sight), the hotline,
    and the hall to go to with its hours (configuration, formatted as the out-of-service notice is:
    kiosk.opening.alternative_lines). Returns the card of words and the button."""
    tr, controller = ctx.tr, ctx.controller
    ask = design.primary(tr.t("identity.help_me"), controller.ask_for_help, tr.t("identity.desc.help_me"),
                         name="HelpMe")
    hall = opening.alternative_lines(controller.alternative_hall, tr, ctx.session.clock(), ctx.session.calendar)
    words = card(label(tr.t("identity.way_out"), "Subtitle"), label(tr.t("identity.hotline")),
                 *(label(line) for line in hall), spacing=ctx.theme.gap_px)
    return words, ask


def build(ctx: ScreenContext) -> QWidget:
    tr, controller, session = ctx.tr, ctx.controller, ctx.session
    rows: list[QWidget] = []
    if session.agent is not None:
        rows.append(label("✓ " + tr.t("identity.agent_done", name=session.agent.masked_name()), "Good"))
    lines = identifying.way_lines(session, tr)
    for name, how, available in lines:       # a way that is down is greyed: read past, not the loudest line
        words = ([label(name, "Subtitle" if available else "Muted")] if name else []) + \
            [label(how, "" if available else "Muted")]
        rows.append(card(*words))
    way_out = _way_out(ctx) if identifying.card_reader_down(session) else None
    if way_out is not None:
        rows.append(way_out[0])
    content = ctx.stacked(*rows)
    column = content.layout()
    column.setContentsMargins(0, 0, 16, 0)       # clear of the scroll bar
    # PIPL: what is collected, why, who gets it, how long; before a card. With the ways, never above the pages:
    # within reach in the largest English text it needed 1,420 px of the glass's 1,548 and squeezed every line
    column.addWidget(privacy.notice(ctx))
    column.addStretch(1)
    body: list[QWidget] = [scrolling(content, identifying.title(session, tr), tr.t("desc.guide"))]
    footer: list[QWidget] = [ctx.back_button()]
    if way_out is not None:
        footer.append(way_out[1])
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
    return ctx.page(identifying.title(session, tr), body, footer=footer)
