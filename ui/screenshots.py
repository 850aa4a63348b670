"""`kiosk24 screenshots`: every screen, in every mode, at the kiosk resolutions, rendered offscreen.

The session is driven through the same state machine the citizen drives, with a fixed clock in
opening hours and a fictional citizen, so the pictures are the screens a citizen would meet.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Callable

from kiosk import catalog, idnumber, workdays
from kiosk.accessibility import Profile
from kiosk.application import CHINA_TZ
from kiosk.identity import CardType, Identity, Sex
from kiosk.session import Event, Session
from kiosk.storage import open_database
from sync.outbox import Outbox

SIZES = ((1920, 1080), (1080, 1920))
MODES: dict[str, tuple[str, Profile]] = {
    "normal": ("zh_CN", Profile()),
    "large": ("zh_CN", Profile(large_text=True)),
    "contrast": ("zh_CN", Profile(high_contrast=True)),
    "english": ("en", Profile()),
}
CLOCK = dt.datetime(2026, 11, 25, 10, 30, tzinfo=CHINA_TZ)


def sample_identity() -> Identity:
    first17 = "41150219850312123"
    return Identity(name="王秀英", sex=Sex.FEMALE, birth_date=dt.date(1985, 3, 12),
                    id_number=first17 + idnumber.check_digit(first17), card_type=CardType.RESIDENT,
                    nation="01", address="河南省信阳市浉河区民权路1号", authority="信阳市公安局浉河分局",
                    valid_from=dt.date(2016, 3, 12), valid_to=dt.date(2036, 3, 12))


def _service_code(cat: catalog.Catalog) -> str:
    """An application with a form, so the form and review screens have something to show."""
    return next(s.code for s in cat.services if s.fields and s.hours.is_open(CLOCK))


def _steps(session: Session) -> list[tuple[str, Callable[[], object]]]:
    """(screen name, how to get there from the previous step)."""
    code = _service_code(session.catalog)
    who = sample_identity()
    service = session.catalog.get(code)
    form = {f.key: (who.id_number if f.type is catalog.FieldType.ID_NUMBER else
                    "13812345678" if f.type is catalog.FieldType.MOBILE else
                    f.choices[0].zh if f.choices else "示例") for f in service.fields}
    return [
        ("01-attract", lambda: None),
        ("02-services", lambda: session.fire(Event.START)),
        ("03-detail", lambda: session.choose_service(code)),
        ("04-identify", lambda: session.fire(Event.APPLY)),
        ("05-identify-problem", lambda: session.credential_problem("idcard.read_failed")),
        ("06-form", lambda: session.identified(who)),
        ("07-form-problems", lambda: session.submit_form({**form, "mobile": "1234"})),
        ("08-review", lambda: session.submit_form(form)),
        ("09-submitting", session.confirm),
        ("10-receipt", lambda: (session.stored("XY-DEMO-01-20261125-0001"), session.printed(None))),
        ("11-receipt-not-printed", lambda: session.printed("printer.paper_out")),
    ]


def render_all(outdir: Path) -> list[Path]:
    from ui import app as qtapp
    from ui.bridge import Bridge
    from ui.controller import Controller
    from ui.mainwindow import MainWindow

    application = qtapp.qapp()
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    cat, calendar = catalog.load(), workdays.load()
    with tempfile.TemporaryDirectory() as tmp:
        outbox = Outbox(open_database(Path(tmp) / "kiosk.db"), "XY-DEMO-01")
        bridge = Bridge()
        for width, height in SIZES:
            for mode, (language, profile) in MODES.items():
                session = Session(cat, calendar, "XY-DEMO-01", language, profile, clock=lambda: CLOCK)
                controller = Controller(session, outbox, None, bridge)
                window = MainWindow(controller, 120, 20, lock_close=False)
                window.resize(width, height)
                window.show()
                for name, step in _steps(session):
                    step()
                    window.resize(width, height)
                    window.render()
                    application.processEvents()
                    path = outdir / f"{name}-{width}x{height}-{mode}.png"
                    window.grab().save(str(path))
                    written.append(path)
                window.show_idle_warning(15)
                application.processEvents()
                path = outdir / f"12-idle-warning-{width}x{height}-{mode}.png"
                window.grab().save(str(path))
                written.append(path)
                window.close()
                window.deleteLater()
        bridge.shutdown()
    return written
