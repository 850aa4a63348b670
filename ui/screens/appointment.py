"""预约到大厅办理 (article 24): a free slot at a hall, a mobile number for the reminder, one tap to book."""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.online import Slot
from ui.screens import online_parts
from ui.screens.context import ScreenContext
from ui.widgets import DigitField, Keypad, button, card, label, scrolling


def slot_text(ctx: ScreenContext, slot: Slot) -> str:
    tr = ctx.tr
    when = tr.t("online.slot_time", date=slot.date.strftime("%m-%d"), starts=slot.starts, ends=slot.ends)
    left = tr.t("appointment.full_slot") if slot.full else tr.t("appointment.left", left=slot.left)
    return f"{when}\n{left}"


def _slots(ctx: ScreenContext, mobile: QWidget) -> QWidget:
    """The number first (it stays near the keypad), then the halls' slots."""
    visit, online, tr = ctx.session.online, ctx.controller.online, ctx.tr
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(label(tr.t("appointment.mobile"), "Muted"))
    column.addWidget(mobile)
    column.addWidget(label(tr.t("appointment.pick"), "Muted"))
    halls: dict[str, list[Slot]] = {}
    for slot in visit.slots or ():
        halls.setdefault(tr.local(slot.hall), []).append(slot)
    for hall, slots in halls.items():
        column.addWidget(label(hall, "Subtitle"))
        grid = QGridLayout()
        grid.setSpacing(ctx.theme.gap_px)
        per_row = 1 if ctx.theme.large else 2
        for index, slot in enumerate(slots):
            widget = button(slot_text(ctx, slot), lambda s=slot.slot_id: online.choose_slot(s), name="Slot",
                            checked=slot.slot_id == visit.slot_id, description=tr.t("online.desc.slot"))
            widget.setProperty("slot", slot.slot_id)
            widget.setEnabled(not slot.full)
            grid.addWidget(widget, index // per_row, index % per_row)
        column.addLayout(grid)
    return holder


def build(ctx: ScreenContext) -> QWidget:
    tr, session, online = ctx.tr, ctx.session, ctx.controller.online
    service, visit = session.service, session.online
    assert service is not None
    if visit.slots is None:
        body = [card(label(online_parts.offline_text(ctx, service)))] if session.problem else \
            [online_parts.waiting(ctx)]
        return ctx.page(tr.t("appointment.title"), body, subtitle=tr.local(service.name),
                        footer=[ctx.back_button()])
    keypad = Keypad(tr.t("form.delete"), tr.t("desc.key"), gap=ctx.theme.gap_px)
    mobile = DigitField(keypad, 11)
    mobile.setObjectName("field_mobile")
    mobile.setText(visit.mobile)
    mobile.setAccessibleName(tr.t("appointment.mobile"))
    mobile.setAccessibleDescription(tr.t("desc.field"))
    mobile.textChanged.connect(online.edit_mobile)
    keypad.attach(mobile)
    content = QWidget()            # number and slots scroll; the keypad stays in sight beside them
    row = QVBoxLayout(content) if ctx.portrait else QHBoxLayout(content)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(ctx.theme.gap_px * 2)
    row.addWidget(scrolling(_slots(ctx, mobile), tr.t("appointment.pick"), tr.t("desc.guide")), 3)
    row.addWidget(card(keypad), 2)
    confirm = button(tr.t("online.waiting" if visit.waiting else "appointment.confirm"), online.book, name="Primary",
                     description=tr.t("online.desc.confirm_booking"))
    confirm.setEnabled(not visit.waiting)
    return ctx.page(tr.t("appointment.title"), [content], subtitle=tr.local(service.name),
                    footer=[ctx.back_button(), confirm])
