"""How often a kiosk may look people up in the back ends (query-and-print records, 免申即享 benefits):
per kiosk and per ID number, counted in the database so every server process shares one count.

A real kiosk serves one citizen every few minutes; a script with a stolen kiosk credential asking
for hundreds of ID numbers is stopped after PER_KIOSK look-ups an hour, and nobody's records are
read more than PER_PERSON times an hour from any kiosks. The table holds one row per kiosk and per ID
number seen within the window (rows older than the window are deleted), the number as its SHA-256.
"""
from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from sync.casestore.db import LookupQuota, rows_changed

WINDOW = dt.timedelta(hours=1)
PER_KIOSK = 120
PER_PERSON = 30
PRUNE_EVERY = dt.timedelta(minutes=1)


class _UsedUp(Exception):
    pass


class Quota:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self._pruned_at = dt.datetime.min.replace(tzinfo=dt.UTC)

    def take(self, kiosk: str, id_number: str, now: dt.datetime) -> str:
        """One look-up from both counts, or what is exhausted ("" when allowed). Nothing is taken when
        either count is used up."""
        person = hashlib.sha256(id_number.encode()).hexdigest()
        scopes = ((f"kiosk:{kiosk}", PER_KIOSK, "this kiosk"), (f"person:{person}", PER_PERSON, "this ID number"))
        for _attempt in range(3):
            try:
                with self.sessions.begin() as session:
                    self._prune(session, now)
                    for scope, limit, what in scopes:
                        if not _take_one(session, scope, limit, now):
                            raise _UsedUp(f"too many look-ups for {what}; try later")
                return ""
            except _UsedUp as used_up:  # rolled back: the other count is not taken either
                return str(used_up)
            except IntegrityError:      # two first look-ups at once: count again
                continue
        return "look-ups are busy; try again"

    def take_one(self, scope: str, limit: int, now: dt.datetime) -> bool:
        """One use of another count (a public page's, per address); False when it is used up."""
        for _attempt in range(3):
            try:
                with self.sessions.begin() as session:
                    self._prune(session, now)
                    return _take_one(session, scope, limit, now)
            except IntegrityError:      # two first uses at once: count again
                continue
        return False

    def _prune(self, session: Session, now: dt.datetime) -> None:
        if now - self._pruned_at >= PRUNE_EVERY:
            self._pruned_at = now
            session.execute(delete(LookupQuota).where(LookupQuota.since <= now - WINDOW))


def _take_one(session: Session, scope: str, limit: int, now: dt.datetime) -> bool:
    cutoff = now - WINDOW
    counted = rows_changed(session, update(LookupQuota).where(
        LookupQuota.scope == scope, LookupQuota.since > cutoff, LookupQuota.used < limit)
        .values(used=LookupQuota.used + 1))
    if counted:
        return True
    restarted = rows_changed(session, update(LookupQuota).where(LookupQuota.scope == scope, LookupQuota.since <= cutoff)
                         .values(used=1, since=now))
    if restarted:
        return True
    if session.get(LookupQuota, scope) is not None:
        return False                # within the window and used up
    session.add(LookupQuota(scope=scope, since=now, used=1))
    session.flush()
    return True
