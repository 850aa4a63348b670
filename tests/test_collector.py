"""The UI thread's garbage collector freezes start-up's heap once the kiosk waits on its start screen after
start-up has settled, so a full collection no longer stops the screen for ~300 ms (bench.gc_pause); never
during a visit, never before start-up has settled, and the freeze undone when the kiosk stops."""
from __future__ import annotations

import gc

from PySide6.QtCore import QObject

from ui import collector as collecting
from ui.collector import UiThreadCollector


def test_the_heap_is_frozen_only_once_start_up_has_settled_and_the_kiosk_waits(qapp) -> None:
    waiting = {"now": False}
    parent = QObject()
    collector = UiThreadCollector(parent, lambda: waiting["now"])
    collector.start()
    try:
        collector.collect()
        assert gc.get_freeze_count() == 0               # a visit under way
        waiting["now"] = True
        collector.collect()
        assert gc.get_freeze_count() == 0               # start-up not settled yet
        collector._started -= collecting.SETTLED_S + 1
        collector.collect()
        frozen = gc.get_freeze_count()
        assert frozen > 1000                            # what start-up left alive
        collector.collect()
        assert gc.get_freeze_count() == frozen          # once
    finally:
        collector.stop()
    assert gc.get_freeze_count() == 0 and gc.isenabled()
