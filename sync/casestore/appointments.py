"""Appointments at a service hall (预约, article 24): slots over the next working days and bookings.

Places are real: counted in the database by one conditional UPDATE, so two server processes never give
away the same last place. A booking is kept once per the kiosk's key (unique per kiosk).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Response, status
from pydantic import BaseModel, Field
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kiosk import catalog, workdays
from kiosk.application import CHINA_TZ
from sync.casestore.answers import REFUSED
from sync.casestore.db import Booking, SlotUsage, rows_changed
from sync.casestore.demo_data import Text, t
from sync.wire import AppointmentIn

BOOKING_DAYS = 2                          # working days ahead that can be booked, from tomorrow
BOOKING_PREFIX = "YY"

# the halls that take appointments: the catalog's (the bundled one, the demo centre's), so the slots name each
# hall as the guides and the kiosks' out-of-service and help notices do
HALLS: dict[str, tuple[Text, Text]] = {hall.code: (t(hall.name.zh, hall.name.en), t(hall.address.zh, hall.address.en))
                                       for hall in catalog.load().halls}
# (starts, ends, places): the last hour of the day is short-staffed, so it has fewer places.
TIMES = ((dt.time(9, 0), dt.time(10, 30), 4), (dt.time(10, 30), dt.time(12, 0), 4),
         (dt.time(14, 30), dt.time(16, 0), 4), (dt.time(16, 0), dt.time(17, 30), 2))


class Slot(BaseModel):
    slot_id: str = Field(description="hall-YYYYMMDD-HHMM")
    hall: Text
    address: Text
    date: dt.date
    starts: str = Field(description="HH:MM, China time.")
    ends: str
    capacity: int
    left: int = Field(description="Places still free.")


class Slots(BaseModel):
    slots: list[Slot]


class Appointment(BaseModel):
    booking_number: str
    service_code: str
    slot: Slot
    duplicate: bool = Field(description="True when the key was booked already: nothing new was taken.")


def offered_days(today: dt.date, calendar: workdays.Calendar) -> list[dt.date]:
    days: list[dt.date] = []
    day = today
    while len(days) < BOOKING_DAYS:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            days.append(day)
    return days


def _slot(hall: str, day: dt.date, starts: dt.time, ends: dt.time, capacity: int, booked: int) -> Slot:
    name, address = HALLS[hall]
    return Slot(slot_id=f"{hall}-{day:%Y%m%d}-{starts:%H%M}", hall=name, address=address, date=day,
                starts=f"{starts:%H:%M}", ends=f"{ends:%H:%M}", capacity=capacity, left=max(0, capacity - booked))


def _booked(session: Session, ids: list[str]) -> dict[str, int]:
    return dict(session.execute(select(SlotUsage.slot_id, SlotUsage.booked).where(SlotUsage.slot_id.in_(ids))).all())


def slots_on_offer(session: Session, today: dt.date, calendar: workdays.Calendar) -> list[Slot]:
    plan = [(hall, day, starts, ends, places) for day in offered_days(today, calendar) for hall in HALLS
            for starts, ends, places in TIMES]
    booked = _booked(session, [f"{hall}-{day:%Y%m%d}-{starts:%H%M}" for hall, day, starts, _, _ in plan])
    return [_slot(hall, day, starts, ends, places, booked.get(f"{hall}-{day:%Y%m%d}-{starts:%H%M}", 0))
            for hall, day, starts, ends, places in plan]


class SlotFull(Exception):
    pass


class KeyCollides(Exception):
    pass


def _book(sessions: sessionmaker[Session], kiosk: str, body: AppointmentIn, slot: Slot) -> tuple[Booking, bool]:
    """Take one place of the slot and record the booking, in one transaction; a repeated key takes nothing."""
    key = str(body.key)
    for _attempt in range(3):       # a concurrent first booking of the slot, or of the same key: look again
        try:
            with sessions.begin() as session:
                existing = session.scalar(select(Booking).where(Booking.kiosk_id == kiosk, Booking.key == key))
                if existing is not None:
                    return existing, True
                taken = rows_changed(session, update(SlotUsage)
                                     .where(SlotUsage.slot_id == slot.slot_id, SlotUsage.booked < slot.capacity)
                                     .values(booked=SlotUsage.booked + 1))
                if not taken:
                    if session.get(SlotUsage, slot.slot_id) is not None:
                        raise SlotFull(slot.slot_id)
                    session.add(SlotUsage(slot_id=slot.slot_id, booked=1))
                now = dt.datetime.now(dt.UTC)
                row = Booking(key=key, kiosk_id=kiosk, slot_id=slot.slot_id, service_code=body.service_code,
                              name=body.name, id_number=body.id_number, mobile=body.mobile, at=now)
                session.add(row)
                session.flush()
                row.booking_number = f"{BOOKING_PREFIX}{slot.date:%Y%m%d}{row.id:06d}"
            return row, False
        except IntegrityError:
            continue
    # Still colliding: a store made before keys were scoped to their kiosk holds the key for another one.
    raise KeyCollides(key)


def router(sessions: sessionmaker[Session], calling_kiosk: Any) -> APIRouter:
    api = APIRouter(prefix="/api/v1")
    calendar = workdays.load()

    @api.get("/slots", responses=REFUSED)
    def slots(kiosk: str = calling_kiosk) -> Slots:
        """Appointment slots at the service halls over the next working days, with the places left."""
        with sessions() as session:
            return Slots(slots=slots_on_offer(session, dt.datetime.now(CHINA_TZ).date(), calendar))

    @api.post("/appointments", status_code=status.HTTP_201_CREATED, response_description="Booked.",
              responses={200: {"model": Appointment, "description": "Already booked under this key: the same booking."},
                         404: {"description": "No such slot on offer."},
                         409: {"description": "The slot has no place left."}, **REFUSED})
    def book(body: AppointmentIn, response: Response, kiosk: str = calling_kiosk) -> Appointment:
        """Book a place in a slot, once per key; places are never given twice."""
        with sessions() as session:
            slot = next((s for s in slots_on_offer(session, dt.datetime.now(CHINA_TZ).date(), calendar)
                         if s.slot_id == body.slot_id), None)
        if slot is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such slot on offer")
        try:
            row, duplicate = _book(sessions, kiosk, body, slot)
        except SlotFull:
            raise HTTPException(status.HTTP_409_CONFLICT, "the slot is fully booked") from None
        except KeyCollides:
            raise HTTPException(status.HTTP_409_CONFLICT, "this booking key is taken; book under a new key") from None
        if duplicate:
            response.status_code = status.HTTP_200_OK
        with sessions() as session:         # the places left now, this booking counted
            slot = next((s for s in slots_on_offer(session, dt.datetime.now(CHINA_TZ).date(), calendar)
                         if s.slot_id == row.slot_id), slot)
        return Appointment(booking_number=row.booking_number, service_code=row.service_code, slot=slot,
                           duplicate=duplicate)

    return api
