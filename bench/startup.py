"""Time from process start to the attract screen's first frame, against a bare Qt window.

Both are measured in the same run as fresh processes (offscreen), so the ratio says what Kiosk24
adds on top of Qt itself: configuration, migrations, the catalog, the window. Heavy libraries
(OpenCV, python-escpos, FastAPI) must stay off this path.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = 7
BARE_QT = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
label = QLabel("政务服务")
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Paint:
            QTimer.singleShot(0, app.quit)
        return False
painted = Painted()
label.installEventFilter(painted)
label.resize(1920, 1080)
label.show()
app.exec()
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    bare, kiosk = [], []
    with tempfile.TemporaryDirectory() as data_dir:
        env["KIOSK24_DATA_DIR"] = data_dir
        for _ in range(RUNS):                      # interleaved, so machine noise hits both alike
            bare.append(timed([sys.executable, "-c", BARE_QT], env))
            kiosk.append(timed([sys.executable, "-m", "tooling.cli", "run", "--check"], env))
    result = {
        "bench": "startup",
        "runs": RUNS,
        "bare_qt_median_s": round(statistics.median(bare), 3),
        "kiosk_first_paint_median_s": round(statistics.median(kiosk), 3),
        "ratio_kiosk_to_bare_qt": round(statistics.median(kiosk) / statistics.median(bare), 2),
    }
    print(f"bare Qt window: {result['bare_qt_median_s']} s; kiosk24 run --check: "
          f"{result['kiosk_first_paint_median_s']} s (median of {RUNS})")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
