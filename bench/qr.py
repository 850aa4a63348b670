"""QR decoding: plain pyzbar, plain zxing-cpp and Kiosk24's pipeline, measured in the same run.

- Rate on the QR corpus (tests/data/qr-corpus: ../shared/corpus/qr copied, 137 real photos): an image counts
  when a decoded text equals its .txt exactly (the corpus's rule). "pipeline_before" is the
  pipeline as it was before issue 15 (its first four retries, no second opinions, and every payload
  that is not UTF-8 taken as GB18030), measured in the same run as the pipeline now (ECI honoured, charset guessed).
- Milliseconds per 1280x720 frame (the corpus letterboxed, as the camera would see it), pinned to
  one core with OpenCV single-threaded: the camera loop needs under 66 ms a frame for 15 fps.
  The pipeline runs with the camera's budget, as in the camera loop; empty frames (what the camera
  sees most of the time) are timed apart.
- A harder synthetic set (devices/scanner/synthetic.py: phone-screen moiré, glare, perspective
  tilt, motion blur, inverted, low light, small codes, tilted receipts with CODE 128), reported
  separately.
- The camera-fault set (devices/scanner/degraded.py, seed 15): the corpus photos in 1280x720
  frames with glare, over-exposure, blur, moiré and their combinations; a frame counts only when
  its clean twin (same place and noise, no faults) is read by pipeline_before, so what fails there
  fails by its faults. "pipeline_bracketed" adds the camera's exposure bracket
  (devices/scanner/exposure.py): when it asks for a darker frame, the same scene at that exposure
  is decoded next. Rates there are per frame with every retry; milliseconds per frame, with the
  camera's budget on one core (retries cut off go on with the next frame of the same scene), next
  to zxing-cpp alone on the same frames, and the CPU time of the thread beside it (on a shared
  machine the wall clock is mostly waiting for the core; the load average is given with them).
  "pipeline_no_deconvolution" is the pipeline without its deconvolution retries (the pipeline
  before they came), bracketed too; it is measured on the corpus and the synthetic set as well.
  BENCH_QR_FAULTS_PER_KIND sets its size (24 a kind by default), BENCH_QR_FAULTS_SEED its seed (15:
  the deconvolution was tuned on it, so another seed shows how far that carries).

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
from devices.scanner.degraded import KINDS as FAULT_KINDS
from devices.scanner.degraded import hard_set as fault_set
from devices.scanner.exposure import STEPS, Bracket
from devices.scanner.payload import decode_text
from devices.scanner.pipeline import RETRIES, Pipeline, Symbol, ZbarDecoder, ZxingDecoder
from devices.scanner.simulator import letterbox
from devices.scanner.synthetic import KINDS, counter, hard_frames

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "qr-corpus"   # the shared corpus, copied
HARD_PER_KIND = 12
FAULTS_PER_KIND = int(os.environ.get("BENCH_QR_FAULTS_PER_KIND", "24"))
FAULTS_SEED = int(os.environ.get("BENCH_QR_FAULTS_SEED", "15"))
IDLE_FRAMES = 30
# the pipeline's retries before issue 15
RETRIES_BEFORE = tuple(retry for retry in RETRIES if retry[0] in ("smoothed", "equalised", "deskewed", "enlarged"))
RETRIES_NO_DECONVOLUTION = tuple(retry for retry in RETRIES if "deconvolved" not in retry[0])

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


def text_before(symbol: Symbol) -> str | None:
    """How the pipeline read a payload before issue 15: UTF-8, else GB18030, ECI ignored."""
    for charset in ("utf-8", "gb18030"):
        try:
            return symbol.raw.decode(charset)
        except UnicodeDecodeError:
            continue
    return None


def text_now(symbol: Symbol) -> str | None:
    return symbol.declared if symbol.declared is not None else decode_text(symbol.raw)


def pipeline_reader(pipeline: Pipeline, budget_s: float | None = None,
                    text: Callable[[Symbol], str | None] = text_now) -> Reader:
    return lambda image: [text(symbol) for symbol in pipeline.decode(image, budget_s).symbols]


def camera_faults(before: Pipeline, now: Pipeline, undeconvolved: Pipeline, zxing: Reader | None) -> dict[str, Any]:
    """The camera-fault set: rate per kind before and now, with the exposure bracket, ms per frame."""
    photos = [(text, image) for _, text, image in corpus()]
    frames = fault_set(photos, FAULTS_PER_KIND, FAULTS_SEED)
    twins = fault_set(photos, FAULTS_PER_KIND, FAULTS_SEED, faults=False)
    darker = {step: fault_set(photos, FAULTS_PER_KIND, FAULTS_SEED, exposure=step) for step in STEPS[1:]}
    read_before = pipeline_reader(before, text=text_before)
    bracketed = {"pipeline": pipeline_reader(now),
                 "pipeline_no_deconvolution": pipeline_reader(undeconvolved)}
    kept = [number for number, (_, text, twin) in enumerate(twins) if text in read_before(twin)]
    readers = {"pipeline_before": read_before, **({"zxing_cpp": zxing} if zxing is not None else {})}
    found: dict[str, list[bool]] = {name: [] for name in
                                    [*readers, *bracketed, *(f"{name}_bracketed" for name in bracketed)]}
    as_camera = {"pipeline_before": pipeline_reader(before, FRAME_BUDGET_S, text_before),
                 "pipeline": pipeline_reader(now, FRAME_BUDGET_S),
                 "pipeline_no_deconvolution": pipeline_reader(undeconvolved, FRAME_BUDGET_S),
                 **({"zxing_cpp": zxing} if zxing is not None else {})}
    times: dict[str, list[float]] = {name: [] for name in as_camera}
    cpu_times: dict[str, list[float]] = {name: [] for name in as_camera}
    frames_taken: dict[str, list[int]] = {name: [] for name in bracketed}
    for number in kept:
        _, text, frame = frames[number]
        for name, reader in readers.items():
            found[name].append(text in reader(frame))
        for name, reader in as_camera.items():
            started, cpu_started = time.perf_counter(), time.thread_time()
            reader(frame)
            times[name].append((time.perf_counter() - started) * 1000)
            cpu_times[name].append((time.thread_time() - cpu_started) * 1000)
        for name, reader in bracketed.items():
            read = text in reader(frame)
            found[name].append(read)
            bracket, taken = Bracket(), 1
            exposure = bracket.after(frame, read)
            while not read and exposure != STEPS[0]:
                shown = darker[exposure][number][2]
                read, taken = text in reader(shown), taken + 1
                exposure = bracket.after(shown, read)
            found[f"{name}_bracketed"].append(read)
            frames_taken[name].append(taken)
    kinds = [frames[number][0] for number in kept]
    return {"seed": FAULTS_SEED, "frames": len(kept), "of": len(frames),
            "rate": {name: round(sum(hits) / len(hits), 3) for name, hits in found.items()},
            "by_kind": {kind: {name: round(sum(hit for hit, of in zip(hits, kinds, strict=True) if of == kind)
                                           / max(1, kinds.count(kind)), 3) for name, hits in found.items()}
                        for kind in FAULT_KINDS},
            "ms_per_frame": {name: spread(spent) for name, spent in times.items()},
            "cpu_ms_per_frame": {name: spread(spent) for name, spent in cpu_times.items()},
            "load_average": round(os.getloadavg()[0], 1),
            "bracketed_mean_frames": {name: round(statistics.mean(taken), 2) for name, taken in frames_taken.items()}}


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
    before = Pipeline(pipeline.decoder, RETRIES_BEFORE, second_opinions=False)
    readers["pipeline_before"] = pipeline_reader(before, text=text_before)
    readers["pipeline"] = pipeline_reader(pipeline)
    undeconvolved = Pipeline(pipeline.decoder, RETRIES_NO_DECONVOLUTION)
    readers["pipeline_no_deconvolution"] = pipeline_reader(undeconvolved)
    figures: dict[str, Any] = {"decoder": pipeline.decoder.name}

    # the corpus as it is
    images = corpus()
    expected = [text for _, text, _ in images]
    figures["corpus"] = {"images": len(images), "rate": {}}
    for name, reader in readers.items():
        figures["corpus"]["rate"][name] = rate(timed(reader, [image for _, _, image in images])[0], expected)
    figures["corpus"]["rate"]["pipeline_on_pyzbar"] = rate(
        timed(pipeline_reader(Pipeline(ZbarDecoder())), [image for _, _, image in images])[0], expected)

    # the corpus as 1280x720 camera frames, and empty frames, on one core
    frames = [cv2.cvtColor(letterbox(image), cv2.COLOR_GRAY2BGR) for _, _, image in images]
    rng = np.random.default_rng(24)
    idle = [cv2.cvtColor(counter(rng), cv2.COLOR_GRAY2BGR) for _ in range(IDLE_FRAMES)]
    as_camera = {**readers, "pipeline_before": pipeline_reader(before, FRAME_BUDGET_S, text_before),
                 "pipeline": pipeline_reader(pipeline, FRAME_BUDGET_S),
                 "pipeline_no_deconvolution": pipeline_reader(undeconvolved, FRAME_BUDGET_S)}
    figures["frames_1280x720"] = {}
    for name, reader in as_camera.items():
        grey_first = (lambda read: lambda frame: read(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY))) \
            if not name.startswith("pipeline") else (lambda read: read)
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

    figures["camera_faults"] = camera_faults(before, pipeline, undeconvolved, zxing)

    frame_figures = figures["frames_1280x720"]
    figures["ratios_vs_pyzbar"] = {
        "corpus_rate": round(figures["corpus"]["rate"]["pipeline"] / figures["corpus"]["rate"]["pyzbar"], 2),
        "hard_rate": round(figures["hard"]["rate"]["pipeline"] / figures["hard"]["rate"]["pyzbar"], 2),
        "frame_median_ms": round(frame_figures["pipeline"]["median_ms"] / frame_figures["pyzbar"]["median_ms"], 2),
        "frame_p95_ms": round(frame_figures["pipeline"]["p95_ms"] / frame_figures["pyzbar"]["p95_ms"], 2),
    }
    worst = max(frame_figures["pipeline"]["p95_ms"], frame_figures["pipeline"]["empty_frames"]["p95_ms"])
    figures["pipeline_fps_one_core_at_p95"] = round(1000 / worst, 1)

    for section in ("corpus", "frames_1280x720", "hard", "camera_faults"):
        print(f"{section}: {json.dumps(figures[section], ensure_ascii=False)}")
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
