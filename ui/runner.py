"""`kiosk24 run`: the kiosk app with its real configuration, and the start-up check."""
from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk import logfile
from kiosk.config import Config

if TYPE_CHECKING:
    from ui.bootstrap import Kiosk

log = logging.getLogger(__name__)
CHECK_TIMEOUT_MS = 30_000


def run(config: Config, check: bool = False, demo: bool = False, demo_insert: Callable[[], None] | None = None,
        demo_scan: Callable[[], None] | None = None, on_built: Callable[[Kiosk], object] | None = None) -> int:
    """Show the kiosk until it is closed; with check, exit 0 once the attract screen has painted."""
    from PySide6.QtCore import QTimer

    from ui import app as qtapp
    from ui import bootstrap, termination

    application = qtapp.qapp()
    termination.stop_on_signals(application)
    if not qtapp.has_cjk_font():
        print("kiosk24: no CJK font is installed; Chinese would render as boxes (apt install fonts-noto-cjk)",
              file=sys.stderr)
        if check:
            return 1
    try:
        logging.getLogger().addHandler(logfile.handler(config.log_dir))   # rotated nightly; exported by technicians
        kiosk = bootstrap.build(config, demo=demo, demo_insert=demo_insert, demo_scan=demo_scan)
    except Exception as exc:
        print(f"kiosk24: cannot start: {exc}", file=sys.stderr)
        log.exception("start-up failed")
        return 1
    if on_built is not None:
        on_built(kiosk)
    kiosk.start()
    if check:
        def painted() -> None:
            print("kiosk24: attract screen painted", file=sys.stderr)
            application.exit(0)

        def too_slow() -> None:
            print(f"kiosk24: attract screen not painted within {CHECK_TIMEOUT_MS // 1000}s", file=sys.stderr)
            application.exit(1)

        qtapp.FirstPaint(kiosk.window, painted)
        QTimer.singleShot(CHECK_TIMEOUT_MS, too_slow)
    qtapp.show(kiosk.window, config.fullscreen, config.screen_width, config.screen_height)
    if config.fullscreen:           # a kiosk in service: locked down, and restarted clean after a crash
        from ui import lockdown
        lockdown.Lockdown(kiosk.window, config.display).place()
        lockdown.install_crash_hook()
    try:
        return application.exec()
    finally:
        kiosk.stop()
        kiosk.window.lock_close = False
        kiosk.window.close()
