"""Heartbeats: each kiosk's latest report, kept one row per kiosk for the fleet view (sync/casestore/fleet.py),
answered with the settings an operator pushed to that kiosk."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from sync.casestore.answers import REFUSED, HeartbeatAck
from sync.casestore.db import Heartbeat, KioskSettings
from sync.wire import HeartbeatIn


def router(sessions: sessionmaker[Session], calling_kiosk: Any) -> APIRouter:
    api = APIRouter(prefix="/api/v1")

    @api.post("/heartbeats", responses=REFUSED)
    def heartbeat(body: HeartbeatIn, kiosk: str = calling_kiosk) -> HeartbeatAck:
        """Keep the kiosk's latest report; one row per kiosk, however often it beats."""
        received_at = dt.datetime.now(dt.UTC)
        for attempt in range(2):
            try:
                with sessions.begin() as session:
                    session.merge(Heartbeat(kiosk_id=kiosk, received_at=received_at, report=body.model_dump_json()))
                    pushed = session.get(KioskSettings, kiosk)
                break
            except IntegrityError:      # two first beats at once both inserted: the second now updates
                if attempt:
                    raise
        return HeartbeatAck(received_at=received_at, settings=json.loads(pushed.settings) if pushed else {})

    return api
