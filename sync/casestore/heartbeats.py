"""Heartbeats: each kiosk's latest report, kept one row per kiosk for the fleet view (sync/casestore/fleet.py),
answered with the settings an operator pushed to that kiosk."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from sync.casestore.answers import REFUSED, HeartbeatAck
from sync.casestore.db import Heartbeat, KioskSettings, upsert
from sync.wire import HeartbeatIn


def router(sessions: sessionmaker[Session], calling_kiosk: Any) -> APIRouter:
    api = APIRouter(prefix="/api/v1")

    @api.post("/heartbeats", responses=REFUSED)
    def heartbeat(body: HeartbeatIn, kiosk: str = calling_kiosk) -> HeartbeatAck:
        """Keep the kiosk's latest report; one row per kiosk, however often it beats. Every kiosk beats every
        30 s, so this is most of a province's requests: one upsert and one read, no ORM unit of work."""
        received_at = dt.datetime.now(dt.UTC)
        with sessions.begin() as session:
            upsert(session, Heartbeat, "kiosk_id",
                   {"kiosk_id": kiosk, "received_at": received_at, "report": body.model_dump_json()})
            pushed = session.scalar(select(KioskSettings.settings).where(KioskSettings.kiosk_id == kiosk))
        return HeartbeatAck(received_at=received_at, settings=json.loads(pushed) if pushed else {})

    return api
