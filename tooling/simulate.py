"""`kiosk24 simulate --citizens N [--seed S] [--json] [--realtime]`: whole citizen visits, headless.

Each visit goes through kiosk.session.Session as the screens would drive it, reads a demo ID card
through the real driver from the card-reader simulator on a pty, fills the form, adds document-camera
stand-ins as attachments and ends in a real outbox submission. A line is printed (and flushed) only
once the application is durably queued, so a site-acceptance or fault test can trust every line.
It may run beside the app and `kiosk24 sync` on one data directory.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random
import sys
import time
from typing import Any

from kiosk import workdays
from kiosk.application import CHINA_TZ, PNG_MAGIC, Attachment
from kiosk.catalog import Catalog, FieldType, FormField, Service
from kiosk.config import Config
from kiosk.identity import CardType, Identity
from kiosk.session import Event, Session, State
from sync.catalog_cache import current_catalog
from sync.outbox import Outbox

# seconds a person takes on each step with --realtime: (least, most)
HUMAN_PACE = {"choose": (3.0, 12.0), "card": (2.0, 6.0), "form": (10.0, 40.0), "review": (3.0, 10.0)}


class SimulationError(RuntimeError):
    """A visit did not go as a citizen's would: a bug in the core or the simulated devices."""


def build_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--citizens", type=int, required=True, metavar="N", help="number of visits")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="the same seed gives the same visits")
    parser.add_argument("--json", action="store_true", help='one {"case_number", "idempotency_key"} per line')
    parser.add_argument("--realtime", action="store_true", help="wait as long as people and devices take")
    return parser


def _value(field: FormField, identity: Identity, rng: random.Random) -> str:
    field_type = field.type
    if field_type is FieldType.ID_NUMBER:
        return identity.id_number
    if field_type is FieldType.MOBILE:
        return f"1{rng.choice('3456789')}{rng.randrange(10 ** 9):09d}"
    if field_type is FieldType.CHOICE:
        return rng.choice(field.choices).zh
    if field_type is FieldType.DATE:
        return f"2026{rng.randint(1, 10):02d}{rng.randint(1, 28):02d}"
    if field_type is FieldType.NUMBER:
        return str(rng.randint(field.minimum or 0, field.maximum if field.maximum is not None else 99))
    if field_type is FieldType.ADDRESS:
        return rng.choice(["浉河区民权路1号", "平桥区平西大道18号2单元", "羊山新区新七大道66号"])
    return rng.choice(["本人办理", "工作需要", "家庭住址变更", "补办"])


def _scans(service: Service, rng: random.Random) -> tuple[Attachment, ...]:
    """Stand-ins for document-camera images, one per material, a few kilobytes each."""
    return tuple(Attachment(material.name.zh, "image/jpeg",
                            b"\xff\xd8\xff\xe0" + rng.randbytes(rng.randint(2000, 8000)))
                 for material in service.materials[:3])


class Visits:
    """Drives visits one after another on one reader, as one kiosk serves its queue of citizens."""

    def __init__(self, config: Config, catalog: Catalog, outbox: Outbox, rng: random.Random, realtime: bool) -> None:
        from devices.idcard.reader import IdCardReader
        from devices.idcard.simulator import IdCardSimulator, demo_cards

        self.config, self.catalog, self.outbox, self.rng, self.realtime = config, catalog, outbox, rng, realtime
        self.calendar = workdays.load()
        today = dt.datetime.now(CHINA_TZ).date()
        self.cards = [c for c in demo_cards() if c.card_type is CardType.RESIDENT and not c.is_expired(today)]
        self.card_reader = IdCardSimulator()
        self.reader = IdCardReader(self.card_reader.port)

    def close(self) -> None:
        self.reader.close()
        self.card_reader.close()

    def _pause(self, step: str) -> None:
        if self.realtime:
            time.sleep(self.rng.uniform(*HUMAN_PACE[step]))

    def _read_card(self) -> Identity:
        self.card_reader.insert(self.rng.choice(self.cards))
        try:
            outcome = self.reader.read_card()
        finally:
            self.card_reader.remove()
        if not outcome.ok or outcome.value is None:
            raise SimulationError(f"card read failed: {outcome.problem} {outcome.detail}")
        return outcome.value

    def _after_the_form(self, session: Session, service: Service) -> None:
        """Materials photographed (stand-ins), the commitment consented, a signature drawn (a stand-in PNG)."""
        steps = 0
        while session.state in (State.MATERIALS, State.COMMITMENT, State.SIGN) and steps < 3:
            steps += 1
            if session.state is State.MATERIALS:
                for index, _material in service.to_capture:
                    session.captured(index, b"\xff\xd8\xff\xe0" + self.rng.randbytes(2000), "image/jpeg")
                session.materials_done()
            elif session.state is State.COMMITMENT:
                session.commit()
            else:
                session.signed(PNG_MAGIC + self.rng.randbytes(600))

    def one(self) -> dict[str, Any]:
        """One visit from the attract screen to a queued application; its case number and key."""
        session = Session(self.catalog, self.calendar, self.config.kiosk_id, self.config.language)
        # no face at a headless kiosk: services asking for 人证核验 are walked by tests/test_face_flow.py
        service = self.rng.choice([s for s in self.catalog.services if session.is_open(s) and not s.face_check])
        session.fire(Event.START)
        self._pause("choose")
        session.choose_service(service.code)
        session.fire(Event.APPLY)
        self._pause("card")
        identity = self._read_card()
        session.identified(identity)
        self._pause("form")
        values = {f.key: session.form.get(f.key) or _value(f, identity, self.rng)
                  for f in service.fields}
        session.submit_form(values)
        self._after_the_form(session, service)
        if session.state is not State.REVIEW:
            raise SimulationError(f"stuck on {session.state.value}: {session.form_problems or session.problem}")
        self._pause("review")
        signed = (session.signature,) if session.signature else ()
        application = dataclasses.replace(session.confirm(), attachments=_scans(service, self.rng) + signed)
        stored = self.outbox.submit(application)
        if not stored.ok or stored.value is None:
            raise SimulationError(f"not queued: {stored.problem} {stored.detail}")
        session.stored(stored.value)
        session.fire(Event.FINISH)
        return {"case_number": stored.value, "idempotency_key": application.idempotency_key}


def run(args: argparse.Namespace, config: Config, outbox: Outbox) -> int:
    visits = Visits(config, current_catalog(config.catalog_path, config.data_dir), outbox,
                    random.Random(args.seed), args.realtime)
    try:
        for _ in range(args.citizens):
            queued = visits.one()
            print(json.dumps(queued) if args.json else f"{queued['case_number']}\t{queued['idempotency_key']}",
                  flush=True)
    except SimulationError as exc:
        print(f"kiosk24 simulate: {exc}", file=sys.stderr)
        return 1
    finally:
        visits.close()
    return 0
