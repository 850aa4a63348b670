"""Time from process start to the attract screen's first frame, against a bare Qt window.

Both are fresh processes (offscreen), interleaved in the same run, so the ratio says what Kiosk24 adds
on top of Qt itself. Each says on stderr when its first frame has painted; the time to that line, seen
from outside, is the first-paint figure (the kiosk's process then goes on to bring up its store, sync
worker, devices and voice, and `--check` exits once they are up: the whole command's time is reported
apart, as is the time to "kiosk ready"). The data dir exists and is migrated before the first timed
run, as on a kiosk that restarts. Each also says how much processor time it had used when it painted: on a
shared machine that ratio moves far less than the wall-clock one.

Two ways of running Python are timed: as installed (pip compiles every module to bytecode, which Python
then only loads; here into a cache folder of the run's own) and from source (PYTHONDONTWRITEBYTECODE, as in
a development checkout: every module compiled at every start). The first is what a kiosk does.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time

from bench.figures import median_ms

RUNS = 7
PAINTED = "attract screen painted"
READY = "kiosk ready"
BARE_QT = f"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
label = QLabel("政务服务")
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Paint:
            print(f"{PAINTED} after {{time.process_time():.3f}} s of CPU", file=sys.stderr, flush=True)
            QTimer.singleShot(0, app.quit)
        return False
painted = Painted()
label.installEventFilter(painted)
label.resize(1920, 1080)
label.show()
app.exec()
"""


def timed(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from the start to each marker line on stderr, to the exit ("exit"), and the processor time the
    process says it had used when it painted ("cpu": unlike the others, hardly moved by a busy machine)."""
    start = time.perf_counter()
    seen: dict[str, float] = {}
    with subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as process:
        assert process.stderr is not None
        for line in process.stderr:
            for marker in (PAINTED, READY):
                if marker in line and marker not in seen:
                    seen[marker] = time.perf_counter() - start
            cpu = re.search(rf"{PAINTED} after ([0-9.]+) s of CPU", line)
            if cpu:
                seen["cpu"] = float(cpu.group(1))
        code = process.wait()
    seen["exit"] = time.perf_counter() - start
    if code != 0 or PAINTED not in seen:
        raise SystemExit(f"{command} failed ({code}) or never painted")
    return seen


def figures(bare: list[dict[str, float]], kiosk: list[dict[str, float]]) -> dict[str, float | None]:
    bare_paint, kiosk_paint = median_ms([r[PAINTED] for r in bare]), median_ms([r[PAINTED] for r in kiosk])
    bare_exit, kiosk_exit = median_ms([r["exit"] for r in bare]), median_ms([r["exit"] for r in kiosk])
    ready = [r[READY] for r in kiosk if READY in r]
    bare_cpu, kiosk_cpu = median_ms([r["cpu"] for r in bare]), median_ms([r["cpu"] for r in kiosk])
    return {
        "bare_qt_first_paint_ms": bare_paint,
        "kiosk_first_paint_ms": kiosk_paint,
        "ratio_kiosk_to_bare_qt": round(kiosk_paint / bare_paint, 2),
        "bare_qt_first_paint_cpu_ms": bare_cpu,
        "kiosk_first_paint_cpu_ms": kiosk_cpu,
        "ratio_first_paint_cpu": round(kiosk_cpu / bare_cpu, 2),
        "kiosk_ready_ms": median_ms(ready) if len(ready) == len(kiosk) else None,
        "bare_qt_whole_command_ms": bare_exit,
        "kiosk_whole_command_ms": kiosk_exit,
        "ratio_whole_command": round(kiosk_exit / bare_exit, 2),
    }


def main() -> None:
    kiosk_command = [sys.executable, "-m", "tooling.cli", "run", "--check"]
    bare_command = [sys.executable, "-c", BARE_QT]
    timings: dict[str, tuple[list[dict[str, float]], list[dict[str, float]]]] = {"installed": ([], []),
                                                                                 "from_source": ([], [])}
    with tempfile.TemporaryDirectory() as data_dir, tempfile.TemporaryDirectory() as bytecode:
        base = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
        base.update(QT_QPA_PLATFORM="offscreen", KIOSK24_DATA_DIR=data_dir)
        environments = {"installed": {**base, "PYTHONPYCACHEPREFIX": bytecode},
                        "from_source": {**base, "PYTHONDONTWRITEBYTECODE": "1"}}
        for env in environments.values():     # migrates the data dir, compiles the bytecode: not counted
            timed(bare_command, env)
            timed(kiosk_command, env)
        for _ in range(RUNS):                 # interleaved, so machine noise hits both alike
            for mode, env in environments.items():
                timings[mode][0].append(timed(bare_command, env))
                timings[mode][1].append(timed(kiosk_command, env))
    result: dict[str, object] = {"bench": "startup", "runs": RUNS, **figures(*timings["installed"]),
                                 "from_source": figures(*timings["from_source"])}
    for mode, (bare, kiosk) in timings.items():
        shown = figures(bare, kiosk)
        print(f"{mode}: first paint, bare Qt window {shown['bare_qt_first_paint_ms']} ms, kiosk24 run --check "
              f"{shown['kiosk_first_paint_ms']} ms (x{shown['ratio_kiosk_to_bare_qt']}, median of {RUNS}; CPU "
              f"{shown['bare_qt_first_paint_cpu_ms']} vs {shown['kiosk_first_paint_cpu_ms']} ms, "
              f"x{shown['ratio_first_paint_cpu']}); "
              f"kiosk ready {shown['kiosk_ready_ms']} ms; whole command {shown['bare_qt_whole_command_ms']} vs "
              f"{shown['kiosk_whole_command_ms']} ms")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
