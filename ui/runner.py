"""`kiosk24 run`: the kiosk app with its real configuration, and the start-up check."""
from __future__ import annotations

import contextlib
import gc
import logging
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk import logfile
from kiosk.config import Config

if TYPE_CHECKING:
    from ui.running import Kiosk

log = logging.getLogger(__name__)
CHECK_TIMEOUT_MS = 30_000


def run(config: Config, check: bool = False, demo: bool = False, demo_insert: Callable[[], None] | None = None,
        demo_scan: Callable[[], None] | None = None, on_built: Callable[[Kiosk], object] | None = None) -> int:
    """Show the kiosk until it is closed. The attract screen is painted first, from what it needs alone; the
    store, sync, devices and voice come up right after (ui/bootstrap.py). With check: say when the attract
    screen has painted, and exit 0 once the whole kiosk is up.

    No cyclic garbage collection until that first paint: what is made until then is kept anyway, and each
    pass over the growing heap of new modules and widgets only delays the paint (~10 ms, bench.startup)."""
    gc.disable()
    try:
        return _run(config, check, demo, demo_insert, demo_scan, on_built)
    finally:
        gc.enable()             # also when the kiosk ends before its first paint


def _run(config: Config, check: bool, demo: bool, demo_insert: Callable[[], None] | None,
         demo_scan: Callable[[], None] | None, on_built: Callable[[Kiosk], object] | None) -> int:
    from PySide6.QtCore import QTimer

    from ui import app as qtapp
    from ui import bootstrap, termination
    from ui.app_filter import app_filter

    application = qtapp.qapp()
    termination.stop_on_signals(application)
    if not qtapp.has_cjk_font():
        print("kiosk24: no CJK font is installed; Chinese would render as boxes (apt install fonts-noto-cjk)",
              file=sys.stderr)
        if check:
            return 1
    early = logfile.Early()
    logging.getLogger().addHandler(early)
    try:
        first = bootstrap.first_frame(config, demo=demo,
                                      size=qtapp.window_size(config.fullscreen, config.screen_width,
                                                             config.screen_height))
    except Exception as exc:
        with contextlib.suppress(OSError):
            log_to_file(config, early)
        return _cannot_start(exc)
    built: list[Kiosk] = []
    # The application's filter is off until the first paint: each event of the window being shown and painted
    # (~250) crossed into Python there, and the style's and the main thread's made PySide build their classes
    # and enums (~65 M instructions, a twentieth of the first paint). Input meanwhile is held where the
    # platform delivers it, at the window's QWindow, before any widget sees it.
    unfiltered = contextlib.ExitStack()
    unfiltered.enter_context(app_filter().quiet())

    def bring_up() -> None:
        if check:       # the processor time so far: what the first frame cost, however busy the machine
            print(f"kiosk24: attract screen painted after {time.process_time():.3f} s of CPU", file=sys.stderr,
                  flush=True)
        unfiltered.close()
        gc.enable()             # the first frame is painted: collect as usual from now on
        try:
            log_to_file(config, early)
            kiosk = bootstrap.bring_up(first, demo_insert=demo_insert, demo_scan=demo_scan)
        except Exception as exc:
            application.exit(_cannot_start(exc))
            return
        built.append(kiosk)
        if on_built is not None:
            on_built(kiosk)
        kiosk.start()
        if check:
            print("kiosk24: kiosk ready", file=sys.stderr, flush=True)
            application.exit(0)

    if check:
        def too_slow() -> None:
            print(f"kiosk24: kiosk not up within {CHECK_TIMEOUT_MS // 1000}s", file=sys.stderr)
            application.exit(1)
        QTimer.singleShot(CHECK_TIMEOUT_MS, too_slow)
    qtapp.FirstPaint(first.window, bring_up)
    qtapp.show(first.window, config.fullscreen, config.screen_width, config.screen_height)
    if config.fullscreen:           # a kiosk in service: locked down, and restarted clean after a crash
        from ui import lockdown
        lockdown.Lockdown(first.window, config.display).place()
        lockdown.install_crash_hook()
    handle = first.window.windowHandle()     # once placed: a change of flags would have made it anew
    assert handle is not None, "a shown window has its QWindow"
    first.held.hold_at(handle)
    try:
        return application.exec()
    finally:
        unfiltered.close()          # also when the kiosk ends before its first paint
        if built:
            built[0].stop()
        first.window.lock_close = False
        first.window.close()


def log_to_file(config: Config, early: logfile.Early) -> None:
    """The log file from now on (rotated nightly; exported by technicians), with what came before it opened."""
    root = logging.getLogger()
    file_log = logfile.handler(config.log_dir)
    root.removeHandler(early)
    root.addHandler(file_log)
    early.hand_to(file_log)


def _cannot_start(exc: Exception) -> int:
    print(f"kiosk24: cannot start: {exc}", file=sys.stderr)
    log.exception("start-up failed")
    return 1
