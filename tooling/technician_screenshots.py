"""The technician screens for `kiosk24 screenshots` (names starting "tech-"): the PIN pad, its lockout,
and each device page with sample health and readings, in the normal look at the three kiosk sizes.

No devices are opened: the pages get a health book and counters filled as real devices would fill them.
"""
from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from devices import factory
from devices.health import Health, State
from devices.health_book import HealthBook
from devices.scanner.payload import Code, Symbology
from kiosk.config import Config
from kiosk.consumables import A4_PAGES, Consumables, CountingPrinter
from kiosk.i18n import Translator
from kiosk.out_of_service import ServiceSwitch
from kiosk.storage import open_database
from kiosk.technician import LOCKED, WRONG_PIN, Attempt
from sync.outbox import Outbox
from sync.worker import worker_for

SIZES = ((1920, 1080), (1080, 1920), (1366, 768))
LANGUAGES = ("zh_CN", "en")


def sample_health(since: float) -> HealthBook:
    """A kiosk whose printer ran out of paper last night and is unplugged now, whose A4 tray was empty this
    morning and is filled now; the rest are well."""
    book = HealthBook()
    for health in (Health("printer", State.FAULT, "printer.paper_out", since - 9 * 3600),
                   Health("printer", State.ABSENT, "printer.unreachable", since - 600),
                   Health("idcard", State.OK, "", since - 7200), Health("scanner", State.OK, "", since - 7200),
                   Health("speech", State.WARNING, "speech.no_audio_device", since - 7200),
                   Health("a4printer", State.FAULT, "kiosk-a4: media-empty, paused", since - 5 * 3600),
                   Health("a4printer", State.OK, "kiosk-a4", since - 1800)):
        book.record(health)
    return book


def walk(outdir_tmp: Path, sizes=SIZES, languages=LANGUAGES) -> Iterator[tuple[str, str, tuple[int, int], object]]:
    """(screen name, language, size, the window holding it) for each technician screen."""
    from PySide6.QtWidgets import QLabel, QWidget

    from tooling.samples import sample_identity
    from ui import app as qtapp
    from ui.bridge import Bridge
    from ui.technician.context import TechContext
    from ui.technician.operations import Operations
    from ui.technician.pages import pages
    from ui.technician.pinpad import PinPad
    from ui.technician.shell import Shell
    from ui.widgets import discard

    application = qtapp.qapp()
    engine = open_database(outdir_tmp / "kiosk.db")
    outbox = Outbox(engine, "XY-DEMO-01")
    consumables = Consumables(engine)
    consumables.paper_replaced(time.time() - 3 * 86400)
    for _ in range(37):
        consumables.printed()
    a4_paper = Consumables(engine, A4_PAGES)
    a4_paper.paper_replaced(time.time() - 1800)
    a4_paper.printed(12)
    config = Config(data_dir=outdir_tmp, printer="tcp://192.168.10.20:9100", idcard_port="/dev/ttyUSB0",
                    scanner="serial:///dev/ttyACM0?baud=9600&suffix=cr", a4_printer="kiosk-a4")
    book = sample_health(time.time())
    printer = CountingPrinter(factory.receipt_printer(config), consumables)    # configured, never connected here
    worker = worker_for(config, outbox)          # never started: the device pages do not ask it
    ops = Operations(config, outbox, worker, ServiceSwitch(outdir_tmp), book, lambda closure: None,
                     lambda code: None, printer=printer, consumables=consumables,
                     a4_printer=factory.a4_printer(config), a4_paper=a4_paper)     # its queue never asked here
    bridge = Bridge()
    mine = [p for p in pages() if p.title.startswith("technician.")]
    try:
        for width, height in sizes:
            for language in languages:
                window = QWidget()
                window.setObjectName("Root")
                window.resize(width, height)
                window.show()

                def context(tr: Translator, theme, room: int) -> TechContext:
                    return TechContext(ops, bridge, lambda action, detail: None, tr, theme,
                                       technician="pin", width=room)

                pad = PinPad(window, language, lambda pin: None, lambda: None)
                pad.show()
                pad.refused(Attempt(False, WRONG_PIN, left=3))
                yield "tech-01-pin", language, (width, height), window
                pad.refused(Attempt(False, LOCKED, until=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=15)))
                yield "tech-02-pin-locked", language, (width, height), window
                pad.remove()
                shell = Shell(window, mine, language, context, lambda: None)
                shell.show()
                for index, entry in enumerate(mine, start=3):
                    shell.show_page(entry.key)
                    if entry.key == "idcard":
                        shell.page_widget.show_card(sample_identity())
                    elif entry.key == "scanner":
                        for text in ("K24:XY-DEMO-01-20261125-0001:01938f2e", "6901234567892"):
                            shell.page_widget.show_code(Code(text.encode(), text, Symbology.QR, "serial"))
                    counts = [shell.page_widget.findChild(QLabel, name) for name in ("Counts", "A4Counts")]
                    deadline = time.monotonic() + 2
                    while any(c is not None and not c.text() for c in counts) and time.monotonic() < deadline:
                        application.processEvents()      # the paper count comes from the database off the UI thread
                        time.sleep(0.005)
                    for _ in range(3):
                        application.processEvents()
                    yield f"tech-{index:02d}-{entry.key}", language, (width, height), window
                shell.remove()
                window.close()
                discard(window)
                application.processEvents()
    finally:
        bridge.shutdown()
        worker.client.close()


def render(outdir: Path, sizes: Iterable[tuple[int, int]] = SIZES) -> list[Path]:
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, language, (width, height), window in walk(Path(tmp), tuple(sizes)):
            mode = "normal" if language == "zh_CN" else "english"
            path = outdir / f"{name}-{width}x{height}-{mode}.png"
            window.grab().save(str(path))
            written.append(path)
    return written
