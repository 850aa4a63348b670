"""The appointment is booked: the number big enough to photograph, where and when, and the printed slip."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk import hours as house_style
from ui.screens import online_parts
from ui.screens.context import ScreenContext
from ui.widgets import card, label, scrolling


def build(ctx: ScreenContext) -> QWidget:
    tr, visit = ctx.tr, ctx.session.online
    booking = visit.booking
    assert booking is not None
    slot = booking.slot
    number = label(booking.booking_number, "CaseNumber")
    number.setAlignment(Qt.AlignCenter)
    when = house_style.time_span(slot.date, slot.starts, slot.ends, tr)
    details = card(label(tr.t("online.slip.number"), "Muted"), number,
                   label(tr.t("common.pair", label=tr.t("online.slip.hall"), value=tr.local(slot.hall))),
                   label(tr.t("common.pair", label=tr.t("online.slip.address"), value=tr.local(slot.address))),
                   label(tr.t("common.pair", label=tr.t("online.slip.time"), value=when)),
                   label(tr.t("online.slip.bring"), "Muted"))
    return ctx.page(tr.t("appointment.done_title"), [scrolling(details, tr.t("appointment.done_title"),
                                                                tr.t("desc.guide"))],
                    notes=online_parts.paper(ctx), footer=[online_parts.finish_button(ctx)])
