"""The technician's operations pages for `kiosk24 screenshots` (names "tech-ops-..."): a kiosk that is
offline with applications waiting, one refused by the centre, a USB stick in, in both languages at the
three kiosk sizes. Nothing leaves the machine: the centre's address is one nothing listens on."""
from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from devices.health_book import HealthBook
from kiosk import catalog
from kiosk.application import Application, new_key
from kiosk.config import Config
from kiosk.out_of_service import ServiceSwitch
from kiosk.storage import open_database
from sync.keyring import Keyring
from sync.outbox import Outbox
from sync.worker import OFFLINE, worker_for

SIZES = ((1920, 1080), (1080, 1920), (1366, 768))
SETTLE_S = 0.4          # the pages read the database and ask the centre off the UI thread


def _sample_kiosk(tmp: Path) -> tuple[Config, Outbox]:
    from tooling.samples import ALTERNATIVE_HALL, CLOCK, sample_identity

    (tmp / "media" / "kiosk" / "TECH-USB").mkdir(parents=True)
    config = Config(data_dir=tmp, centre_url="http://127.0.0.1:9", media_roots=str(tmp / "media"),
                    alternative_hall=ALTERNATIVE_HALL,
                    config_file=str(tmp / "kiosk24.toml"))
    outbox = Outbox(open_database(config.database_path), config.kiosk_id,
                    Keyring.for_config(config.secrets_path, config.data_dir))     # as the kiosk it then builds
    who = sample_identity()
    for index in range(3):
        application = Application(new_key(), config.kiosk_id, "GA-001", who, {}, CLOCK, CLOCK.date())
        outbox.submit(application)
        if index == 0:
            outbox.dead(application.idempotency_key, "HTTP 422: unknown service GA-001")
    return config, outbox


def render(outdir: Path, sizes: Iterable[tuple[int, int]] = SIZES) -> list[Path]:
    from PySide6.QtWidgets import QWidget

    from ui import app as qtapp
    from ui.bridge import Bridge
    from ui.technician.context import TechContext
    from ui.technician.operations import Operations
    from ui.technician.pages import pages
    from ui.technician.shell import Shell
    from ui.widgets import discard

    application = qtapp.qapp()
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as name:
        config, outbox = _sample_kiosk(Path(name))
        worker = worker_for(config, outbox)
        worker._set_state(OFFLINE, "ConnectionError")
        worker.contacts["heartbeat"] = dt.datetime(2026, 11, 25, 1, 58)
        bridge = Bridge()
        ops = Operations(config, outbox, worker,
                         ServiceSwitch(config.data_dir, catalog.load().hall(config.alternative_hall)),
                         HealthBook(), lambda closure: None, lambda code: None)
        mine = [p for p in pages() if p.title.startswith("technician_ops.")]
        try:
            for width, height in sizes:
                for language, mode in (("zh_CN", "normal"), ("en", "english")):
                    window = QWidget()
                    window.setObjectName("Root")
                    window.resize(width, height)
                    window.show()

                    def context(tr, theme, room: int) -> TechContext:
                        return TechContext(ops, bridge, lambda action, detail: None, tr, theme, width=room)

                    shell = Shell(window, mine, language, context, lambda: None)
                    shell.show()
                    for index, entry in enumerate(mine, start=1):
                        shell.show_page(entry.key)
                        deadline = time.monotonic() + SETTLE_S
                        while time.monotonic() < deadline:
                            application.processEvents()
                            time.sleep(0.01)
                        path = outdir / f"tech-ops-{index:02d}-{entry.key}-{width}x{height}-{mode}.png"
                        window.grab().save(str(path))
                        written.append(path)
                    shell.remove()
                    window.close()
                    discard(window)
                    application.processEvents()
        finally:
            bridge.shutdown()
            worker.client.close()
    return written
