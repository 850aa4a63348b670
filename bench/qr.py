"""QR decoding: plain pyzbar, plain zxing-cpp and Kiosk24's pipeline, measured in the same run.

- Rate on the QR corpus (tests/data/qr-corpus: ../shared/corpus/qr copied, 137 real photos): an image counts
  when a decoded text equals its
  .txt exactly (the corpus's rule). The pipeline decodes payloads as UTF-8, then GB18030, as a
  Chinese kiosk must; the corpus's Shift_JIS codes without an ECI header then read as the wrong
  text, so they are counted apart as "bytes right, charset differs".
- Milliseconds per 1280x720 frame (the corpus letterboxed, as the camera would see it), pinned to
  one core with OpenCV single-threaded: the camera loop needs under 66 ms a frame for 15 fps.
  The pipeline runs with the camera's budget, as in the camera loop; empty frames (what the camera
  sees most of the time) are timed apart.
- A harder synthetic set (devices/scanner/synthetic.py: phone-screen moiré, glare, perspective
  tilt, motion blur, inverted, low light, small codes, tilted receipts with CODE 128), reported
  separately.

Run from the repository root: `python -m bench.qr`. The last line is one JSON object.
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from pyzbar import pyzbar

from devices.scanner.camera import FRAME_BUDGET_S
from devices.scanner.payload import decode_text
from devices.scanner.pipeline import Pipeline, ZbarDecoder, ZxingDecoder
from devices.scanner.simulator import letterbox
from devices.scanner.synthetic import KINDS, counter, hard_frames

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "qr-corpus"   # the shared corpus, copied
HARD_PER_KIND = 12
IDLE_FRAMES = 30

Reader = Callable[[Any], list[str | None]]


def corpus() -> list[tuple[str, str, Any]]:
    """(folder, expected text, grey image) for every image of the corpus."""
    images = sorted(path for path in CORPUS.rglob("*") if path.suffix in (".png", ".jpg", ".webp"))
    return [(path.parent.name, path.with_suffix(".txt").read_bytes().decode("utf-8"),
             cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)) for path in images]


def plain_pyzbar(gray: Any) -> list[str | None]:
    """pyzbar at its stock settings (every symbology): its own UTF-8 text."""
    return [found.data.decode("utf-8", "replace") for found in pyzbar.decode(gray)]


def plain_zxing() -> Reader | None:
    """zxing-cpp at its stock settings: its own text (its own charset guess)."""
    try:
        import zxingcpp
    except ImportError:
        return None
    return lambda gray: [found.text for found in zxingcpp.read_barcodes(gray)]


def pipeline_reader(pipeline: Pipeline, budget_s: float | None = None) -> Reader:
    return lambda image: [decode_text(symbol.raw) for symbol in pipeline.decode(image, budget_s).symbols]


def shift_jis_right(pipeline: Pipeline, images: list[tuple[str, str, Any]]) -> int:
    """Images the pipeline misses by text only because their bytes are Shift_JIS, read exactly."""
    count = 0
    for _, expected, image in images:
        raws = [symbol.raw for symbol in pipeline.decode(image).symbols]
        if expected not in [decode_text(raw) for raw in raws]:
            count += any(raw.decode("shift_jis", "replace") == expected for raw in raws)
    return count


def timed(reader: Reader, images: list[Any]) -> tuple[list[list[str | None]], list[float]]:
    results, times = [], []
    for image in images:
        started = time.perf_counter()
        results.append(reader(image))
        times.append((time.perf_counter() - started) * 1000)
    return results, times


def rate(results: list[list[str | None]], expected: list[str]) -> float:
    return round(sum(text in found for found, text in zip(results, expected, strict=True)) / len(expected), 3)


def spread(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2)}


def main() -> int:
    if not CORPUS.is_dir():
        print(f"bench.qr: the corpus is not at {CORPUS}", file=sys.stderr)
        return 1
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cv2.setNumThreads(1)
    zxing = plain_zxing()
    readers: dict[str, Reader] = {"pyzbar": plain_pyzbar}
    if zxing is not None:
        readers["zxing_cpp"] = zxing
    pipeline = Pipeline(ZxingDecoder() if zxing is not None else ZbarDecoder())
    readers["pipeline"] = pipeline_reader(pipeline)
    figures: dict[str, Any] = {"decoder": pipeline.decoder.name}

    # the corpus as it is
    images = corpus()
    expected = [text for _, text, _ in images]
    figures["corpus"] = {"images": len(images), "rate": {}}
    for name, reader in readers.items():
        figures["corpus"]["rate"][name] = rate(timed(reader, [image for _, _, image in images])[0], expected)
    figures["corpus"]["rate"]["pipeline_on_pyzbar"] = rate(
        timed(pipeline_reader(Pipeline(ZbarDecoder())), [image for _, _, image in images])[0], expected)
    figures["corpus"]["pipeline_shift_jis_bytes_right"] = shift_jis_right(pipeline, images)

    # the corpus as 1280x720 camera frames, and empty frames, on one core
    frames = [cv2.cvtColor(letterbox(image), cv2.COLOR_GRAY2BGR) for _, _, image in images]
    rng = np.random.default_rng(24)
    idle = [cv2.cvtColor(counter(rng), cv2.COLOR_GRAY2BGR) for _ in range(IDLE_FRAMES)]
    as_camera = {**readers, "pipeline": pipeline_reader(pipeline, FRAME_BUDGET_S)}
    figures["frames_1280x720"] = {}
    for name, reader in as_camera.items():
        grey_first = (lambda read: lambda frame: read(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY))) \
            if name != "pipeline" else (lambda read: read)
        results, times = timed(grey_first(reader), frames)
        _, idle_times = timed(grey_first(reader), idle)
        figures["frames_1280x720"][name] = {"rate": rate(results, expected), **spread(times),
                                            "empty_frames": spread(idle_times)}

    # the hard synthetic set
    hard = hard_frames(HARD_PER_KIND)
    hard_expected = [text for _, text, _ in hard]
    figures["hard"] = {"frames": len(hard), "rate": {}, "by_kind": {kind: {} for kind in KINDS}}
    for name, reader in readers.items():
        results, _ = timed(reader, [frame for _, _, frame in hard])
        figures["hard"]["rate"][name] = rate(results, hard_expected)
        for kind in KINDS:
            chosen = [(found, text) for found, (of, text, _) in zip(results, hard, strict=True) if of == kind]
            figures["hard"]["by_kind"][kind][name] = rate([found for found, _ in chosen], [t for _, t in chosen])

    frame_figures = figures["frames_1280x720"]
    figures["ratios_vs_pyzbar"] = {
        "corpus_rate": round(figures["corpus"]["rate"]["pipeline"] / figures["corpus"]["rate"]["pyzbar"], 2),
        "hard_rate": round(figures["hard"]["rate"]["pipeline"] / figures["hard"]["rate"]["pyzbar"], 2),
        "frame_median_ms": round(frame_figures["pipeline"]["median_ms"] / frame_figures["pyzbar"]["median_ms"], 2),
        "frame_p95_ms": round(frame_figures["pipeline"]["p95_ms"] / frame_figures["pyzbar"]["p95_ms"], 2),
    }
    worst = max(frame_figures["pipeline"]["p95_ms"], frame_figures["pipeline"]["empty_frames"]["p95_ms"])
    figures["pipeline_fps_one_core_at_p95"] = round(1000 / worst, 1)

    for section in ("corpus", "frames_1280x720", "hard"):
        print(f"{section}: {json.dumps(figures[section], ensure_ascii=False)}")
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
