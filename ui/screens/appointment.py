"""预约到大厅办理 (article 24): a free slot at a hall, a mobile number for the reminder, one tap to book.

Nothing is chosen for the citizen: 确认预约 stays unusable, saying why (请先选择时段), until a slot they saw
is tapped. One thing at a time (UX.md), in both orientations: the slots take the glass until one is chosen,
then that slot (tap to choose again) with the number and its keypad. The slots are paged (ui.paging), never
scrolled, so every slot that can be booked is seen whole; the keypad goes once the number is complete.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk import hours as house_style
from kiosk.i18n import Translator
from kiosk.online import Slot
from ui.access import cursor_in_first
from ui.onward import retell
from ui.paging import Pages
from ui.screens import online_parts
from ui.screens.context import ScreenContext
from ui.widgets import SAYS, Keypad, PhoneField, button, card, keys_card, label, side_by_side, widest_button_px

MOBILE_DIGITS = 11
PER_ROW = 2          # slots a row
FIELDS_SHARE, KEYS_SHARE = 3, 2      # the chosen slot and number beside their keypad, in landscape


def slot_text(ctx: ScreenContext, slot: Slot, chosen: bool) -> str:
    """A slot under its day's heading: the time (✓ 已选 once chosen), then how many places are left."""
    tr = ctx.tr
    left = tr.t("appointment.full_slot") if slot.full else tr.t("appointment.left", left=slot.left)
    when = tr.t("hours.range", opens=slot.starts, closes=slot.ends)
    return f"{tr.t('appointment.chosen', when=when) if chosen else when}\n{left}"


def _place(slot: Slot, tr: Translator) -> str:
    """Where the slot is: the hall with its address, over its days (the chosen time's card has no room for it
    beside the keys in the largest English text: it squeezed the card's words)."""
    return house_style.named_place(tr.local(slot.hall), tr.local(slot.address), tr)


def _slot_pages(ctx: ScreenContext) -> Pages:
    """Each hall's name, then each day's date (11 月 26 日（星期四）) and its slots a row at a time, on pages the
    band holds whole; the chosen slot's page shown."""
    visit, tr, gap = ctx.session.online, ctx.tr, ctx.theme.gap_px
    halls: dict[str, list[Slot]] = {}
    for slot in visit.slots or ():
        halls.setdefault(_place(slot, tr), []).append(slot)
    blocks: list[QWidget] = []
    chosen_block: QWidget | None = None
    for hall, at_hall in halls.items():
        blocks.append(label(hall, "Subtitle"))
        days: dict[dt.date, list[Slot]] = {}
        for slot in at_hall:
            days.setdefault(slot.date, []).append(slot)
        for day, slots in days.items():
            blocks.append(label(house_style.short_date(day, tr), "Section"))     # kept with its first row
            for start in range(0, len(slots), PER_ROW):
                chosen_block = _slot_row(ctx, slots[start:start + PER_ROW], blocks) or chosen_block
    earlier = button(tr.t("appointment.earlier"), lambda: None, name="PagePrevious",
                     description=tr.t("access.desc.page"))
    later = button(tr.t("appointment.later"), lambda: None, name="PageNext", description=tr.t("access.desc.page"))
    pages = Pages(blocks, gap, earlier, later, lambda n, of: tr.t("access.page_of", page=n, pages=of))
    pages.setObjectName("SlotPages")
    if chosen_block is not None:
        pages.show_block(chosen_block)
    return pages


def _slot_row(ctx: ScreenContext, slots: list[Slot], blocks: list[QWidget]) -> QWidget | None:
    """A row of PER_ROW slots added to blocks; returns it if it holds the chosen slot."""
    visit, online, tr = ctx.session.online, ctx.controller.online, ctx.tr
    widgets: list[QWidget] = []
    for slot in slots:
        chosen = slot.slot_id == visit.slot_id
        widget = button(slot_text(ctx, slot, chosen), partial(online.choose_slot, slot.slot_id), name="Slot",
                        checked=chosen, description=tr.t("online.desc.slot"))
        widget.setAccessibleName(house_style.time_span(slot.date, slot.starts, slot.ends, tr, year=False))
        widget.setProperty("slot", slot.slot_id)
        widget.setEnabled(not slot.full)
        widgets.append(widget)
    blocks.append(side_by_side(widgets, ctx.theme.gap_px, PER_ROW))       # a lone last slot keeps its width
    return blocks[-1] if any(slot.slot_id == visit.slot_id for slot in slots) else None


class _OpensKeys(QObject):
    """The keypad back in sight when the number field is touched (its keys follow the focus)."""

    def __init__(self, field: QWidget, show: Callable[[], None]) -> None:
        super().__init__(field)
        self.show = show
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.FocusIn:
            self.show()
        return False


def _number(ctx: ScreenContext) -> tuple[QWidget, QWidget]:
    """The mobile number and its keypad's card; once 11 digits are in, the keypad gives way to 修改手机号码."""
    tr, visit, online = ctx.tr, ctx.session.online, ctx.controller.online
    keypad = Keypad(tr.t("form.delete"), tr.t("desc.key"), gap=ctx.theme.gap_px)
    mobile = PhoneField(keypad, MOBILE_DIGITS)
    mobile.setObjectName("field_mobile")
    mobile.setText(visit.mobile)
    mobile.setAccessibleName(tr.t("appointment.mobile"))
    mobile.setAccessibleDescription(tr.t("desc.field"))
    keypad.attach(mobile)
    keys = keys_card(keypad)
    change = button(tr.t("appointment.change_mobile"), lambda: None, name="ChangeMobile",
                    description=tr.t("desc.field"))

    def fit(_text: str) -> None:
        complete = len(mobile.value()) >= MOBILE_DIGITS
        keys.setVisible(not complete)
        change.setVisible(complete)

    def reopen() -> None:
        keys.setVisible(True)
        change.setVisible(False)

    change.clicked.connect(mobile.setFocus)
    _OpensKeys(mobile, reopen)
    mobile.textChanged.connect(lambda _text: online.edit_mobile(mobile.value()))
    mobile.textChanged.connect(fit)
    # hidden, never shown, before the caller places them: shown without a parent, the keys were a window of their
    # own, which took the kiosk's window out of focus (no cursor, no keys after the time was chosen)
    (keys if len(visit.mobile) >= MOBILE_DIGITS else change).hide()
    if len(visit.mobile) < MOBILE_DIGITS:    # the slot chosen: the number is next
        cursor_in_first([mobile], frozenset({"mobile"}))
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(ctx.theme.gap_px)
    column.addWidget(label(tr.t("appointment.mobile"), "Muted"))
    column.addWidget(mobile)
    column.addWidget(change)
    return holder, keys


def _chosen(ctx: ScreenContext, slot: Slot, slots: QWidget, back: QPushButton) -> tuple[QWidget, list[QWidget]]:
    """The chosen slot (tap to choose again) above the number; its keypad beside them in landscape, under
    them in portrait (within reach). Choosing again brings the slots back in their place. Returns the number's
    pane, and the words that go above the band within reach: there the chosen time is said above it, and back
    chooses another (the time's card cost the band two lines: in the largest English it stood 50 px above the
    reach line)."""
    number, keys = _number(ctx)
    # the time chosen and how to change it (how many places are left no longer matters)
    tr = ctx.tr
    span = house_style.time_span(slot.date, slot.starts, slot.ends, tr, year=False)
    width = ctx.room if ctx.portrait else \
        (ctx.room - 2 * ctx.theme.gap_px) * FIELDS_SHARE // (FIELDS_SHARE + KEYS_SHARE)
    # on one line if it fits, if need be with the tick alone saying it is chosen (a line less kept the card
    # within reach in the largest English, portrait); else the day, then its hours
    when = next((words for words in (tr.t("appointment.chosen", when=span), tr.t("appointment.ticked", when=span))
                 if widest_button_px([words], ctx.theme, bold=True) <= width), "")
    if not when:
        when = tr.t("appointment.chosen", when=house_style.short_date(slot.date, tr)) + "\n" + \
            tr.t("hours.range", opens=slot.starts, closes=slot.ends)
    holder = QWidget()
    notes: list[QWidget] = []

    def choose_again() -> None:
        holder.hide()
        for note in notes:
            note.hide()
        slots.show()

    if ctx.reach_px:
        notes.append(label(when, "Heading"))
        leave, leave_text, leave_description = ctx.controller.back, back.text(), back.accessibleDescription()

        def back_to_slots() -> None:
            choose_again()
            retell(back, leave_text, leave_description)
            back.clicked.disconnect()
            back.clicked.connect(leave)

        retell(back, tr.t("appointment.another_time"), tr.t("online.desc.slot"))
        back.clicked.disconnect()
        back.clicked.connect(back_to_slots)
        back.setProperty(SAYS, [leave_text, back.text()])
        fields = ctx.stacked(number)
    else:
        again = button(when + "\n" + tr.t("appointment.choose_again"),
                       choose_again, name="ChosenSlot", checked=True, description=tr.t("online.desc.slot"))
        fields = ctx.stacked(again, number, gaps=2)
    fields.layout().addStretch(1)
    holder.setProperty("fills", True)
    row = QVBoxLayout(holder) if ctx.portrait else QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(ctx.theme.gap_px * 2)
    row.addWidget(fields, 1 if ctx.portrait else FIELDS_SHARE)
    if ctx.portrait:
        row.addWidget(keys)
    else:
        row.addWidget(keys, KEYS_SHARE, Qt.AlignTop)         # keys of their own height, level with the chosen slot
    return holder, notes


def build(ctx: ScreenContext) -> QWidget:
    tr, session, online = ctx.tr, ctx.session, ctx.controller.online
    service, visit = session.service, session.online
    assert service is not None
    if visit.slots is None:
        body: list[QWidget] = [card(label(online_parts.offline_text(ctx, service)))] if session.problem else \
            [online_parts.waiting(ctx)]
        return ctx.page(tr.t("appointment.title"), body, subtitle=tr.local(service.name),
                        footer=[ctx.back_button()])
    slots = QWidget()
    column = QVBoxLayout(slots)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(ctx.theme.gap_px)
    column.addWidget(label(tr.t("appointment.pick"), "Heading"))     # what to do here, above where and when
    column.addWidget(_slot_pages(ctx), 1)
    content = QWidget()            # the slots until one is chosen, then the number (choose again: the slots)
    content.setProperty("fills", True)
    row = QVBoxLayout(content)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(slots, 1)
    back, notes = ctx.back_button(), []
    if visit.slot is not None:
        slots.hide()
        number, notes = _chosen(ctx, visit.slot, slots, back)
        row.addWidget(number, 1)
    chosen = visit.slot is not None
    text = "online.waiting" if visit.waiting else "appointment.confirm" if chosen else "appointment.choose_first"
    confirm = button(tr.t(text), online.book, name="Primary", description=tr.t("online.desc.confirm_booking"))
    confirm.setEnabled(chosen and not visit.waiting)
    return ctx.page(tr.t("appointment.title"), [content], subtitle=tr.local(service.name), notes=notes,
                    footer=[back, confirm])
