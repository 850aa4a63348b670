"""False accept and false reject rates and the time per frame of the face matcher, on any folder of
labelled photos: one subfolder per person, any number of JPEG or PNG images in each.

    python -m bench.face DIR [--threshold 0.55] [--variants] [--liveness]

(`python -m bench.face_photos DIR` rebuilds the set docs/face.md's figures were measured on.)

Every image is described once; every pair of images is compared: a pair of one person is genuine
(a distance above the threshold is a false reject), of two people an impostor pair (at or below it,
a false accept). --variants adds, for each photo, the hard versions of devices/face/variants.py
(dark, bright, tilted, coarse JPEG, on a screen, and the chip's 102x126 photo) as further photos of the same person.
An image where no face is found counts as a failure to enrol, apart from the rates. The time per
frame (detect, align, describe) is reported against detection alone in the same run.

--liveness measures the head-turn challenge (devices/face/liveness.py) instead: each photo shown on a
screen and turned like a held phone (-35 to 35 degrees) is a spoof that must be refused; a person's own
photos in their different poses stand in for a head turning (no video of real turns is packaged).
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

from bench.figures import median_ms, p95_ms
from devices.doccam import decode_image
from devices.face.liveness import TURN_RANGE, yaw_ratio
from devices.face.model import FaceModel, distance
from devices.face.variants import VARIANTS, chip_photo, held_turned, on_screen
from kiosk.face import THRESHOLD

_IMAGES = {".jpg", ".jpeg", ".png"}


def labelled(folder: Path, variants: bool, model: FaceModel) -> list[tuple[str, str, object]]:
    """(person, image name, BGR image) of every photo, and its variants when asked."""
    found = []
    for person in sorted(p for p in folder.iterdir() if p.is_dir()):
        for path in sorted(p for p in person.iterdir() if p.suffix.lower() in _IMAGES):
            image = decode_image(path.read_bytes(), path.name)
            if not image.ok:
                continue
            found.append((person.name, path.name, image.unwrap()))
            if variants:
                found += [(person.name, f"{path.name}~{name}", make(image.unwrap())) for name, make in VARIANTS.items()]
                face = model.largest_face(image.unwrap(), describe=False)
                if face.ok:
                    found.append((person.name, f"{path.name}~chip", chip_photo(image.unwrap(), face.unwrap().box)))
    return found


def measure(folder: Path, threshold: float, variants: bool) -> dict[str, object]:
    started = time.perf_counter()
    model = FaceModel()
    load_s = time.perf_counter() - started
    described, frame_s, detect_s, unenrolled = [], [], [], []
    for person, name, image in labelled(folder, variants, model):
        started = time.perf_counter()
        model.largest_face(image, describe=False)      # type: ignore[arg-type]
        detect_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        face = model.largest_face(image)                # type: ignore[arg-type]
        frame_s.append(time.perf_counter() - started)
        if face.ok:
            described.append((person, name, face.unwrap().descriptor))
        else:
            unenrolled.append(f"{person}/{name}")
    pairs = list(itertools.combinations(described, 2))
    chip_vs_live = [p for p in pairs if _is_chip(p[0][1]) != _is_chip(p[1][1])]
    return {
        "identities": len({p for p, _, _ in described}), "images": len(described) + len(unenrolled),
        "variants": variants, "unenrolled": unenrolled, "threshold": threshold,
        **rates(pairs, threshold),
        # what the kiosk compares: the chip's photo against a camera frame
        "chip_vs_live": rates(chip_vs_live, threshold) if variants else None,
        "model_load_s": round(load_s, 2),
        "frame_ms_median": median_ms(frame_s), "frame_ms_p95": p95_ms(frame_s) if len(frame_s) > 1 else None,
        "detect_only_ms_median": median_ms(detect_s),
        "frame_vs_detect_only": round(median_ms(frame_s) / median_ms(detect_s), 2),
    }


def _is_chip(name: str) -> bool:
    return name.endswith("~chip")


def _source(name: str) -> str:
    """The photo an image was made from: its own name, or a variant's ("obama.jpg~dark") photo."""
    return name.partition("~")[0]


def rates(pairs: list[tuple[tuple[str, str, object], tuple[str, str, object]]], threshold: float) -> dict[str, object]:
    """FAR and FRR at threshold over these pairs, the worst of each side named."""
    genuine, impostor, distinct = [], [], []
    for (p1, n1, d1), (p2, n2, d2) in pairs:
        measured = (distance(d1, d2), f"{p1}/{n1}", f"{p2}/{n2}")  # type: ignore[arg-type]
        (genuine if p1 == p2 else impostor).append(measured)
        if p1 == p2 and _source(n1) != _source(n2):
            distinct.append(measured)
    rejected = [g for g in genuine if g[0] > threshold]
    no_false_accept = min((i[0] for i in impostor), default=1.0) - 0.001
    accepted = [i for i in impostor if i[0] <= threshold]
    return {
        "genuine_pairs": len(genuine), "impostor_pairs": len(impostor),
        "frr": round(len(rejected) / len(genuine), 4) if genuine else None,
        # genuine pairs of two different photos, not a photo against its own variant: the harder, honest part
        "genuine_pairs_distinct_photos": len(distinct),
        "frr_distinct_photos": round(sum(g[0] > threshold for g in distinct) / len(distinct), 4) if distinct else None,
        "far": round(len(accepted) / len(impostor), 4) if impostor else None,
        "false_rejects": [f"{a} {b} {d:.3f}" for d, a, b in sorted(rejected, reverse=True)[:5]],
        "false_accepts": [f"{a} {b} {d:.3f}" for d, a, b in sorted(accepted)[:5]],
        "max_genuine": round(max(g[0] for g in genuine), 3) if genuine else None,
        "min_impostor": round(min(i[0] for i in impostor), 3) if impostor else None,
        # the strictest reading of this set: the highest threshold no impostor pair passed, and its FRR
        "threshold_far0": round(no_false_accept, 3),
        "frr_at_far0": round(sum(g[0] > no_false_accept for g in genuine) / len(genuine), 4) if genuine else None,
    }


_TURNS = (-35, -20, 0, 20, 35)


def liveness(folder: Path) -> dict[str, object]:
    """How far the nose-to-jaw ratio moves for flat pictures turned, and across one person's poses."""
    model = FaceModel(landmarks68=True)

    def ratio(image: object) -> float | None:
        face = model.largest_face(image, describe=False)          # type: ignore[arg-type]
        return yaw_ratio(face.unwrap().landmarks) if face.ok else None

    spoof_ranges, poses = [], {}
    for person, name, image in labelled(folder, False, model):
        turned = [r for r in (ratio(held_turned(on_screen(image), d)) for d in _TURNS) if r is not None]  # type: ignore[arg-type]
        if len(turned) >= 2:
            spoof_ranges.append((round(max(turned) - min(turned), 3), f"{person}/{name}"))
        pose = ratio(image)
        if pose is not None:
            poses.setdefault(person, []).append(pose)
    genuine = {p: round(max(r) - min(r), 3) for p, r in poses.items() if len(r) >= 2}
    return {
        "turn_range": TURN_RANGE, "spoof_sequences": len(spoof_ranges),
        "spoofs_accepted": sum(r >= TURN_RANGE for r, _ in spoof_ranges),
        "max_spoof_range": max((r for r, _ in spoof_ranges), default=None),
        "worst_spoof": max(spoof_ranges, default=(None, ""))[1],
        "genuine_pose_range": genuine,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.face", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="one subfolder per person, photos inside")
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--variants", action="store_true", help="add the hard versions of every photo")
    parser.add_argument("--liveness", action="store_true", help="measure the head-turn challenge instead")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder")
    result = liveness(args.folder) if args.liveness else measure(args.folder, args.threshold, args.variants)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
