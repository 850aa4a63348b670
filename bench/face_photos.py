"""The labelled photo set docs/face.md's figures were measured on, rebuilt from the registry packages that
ship it, so anyone can measure the matcher again on the same faces:

    python -m bench.face_photos DIR [--sdists FOLDER]
    python -m bench.face DIR --variants

pip fetches two source distributions (or takes them from --sdists): face_recognition 1.3.0 (tests/
test_images: five photos of Obama, one of Biden; 32bit.png is left out: the same photo as obama2.jpg, larger) and
insightface 2.1 (insightface/data/images: Tom Hanks, 112x112, and t1.jpg, a group of six people, each face
cut out with its head and shoulders). One folder per person: 9 identities, 13 photos.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

SDISTS = {"face_recognition==1.3.0": "face_recognition-1.3.0.tar.gz", "insightface==2.1": "insightface-2.1.tar.gz"}
# member of the sdist -> folder/name in DIR
PHOTOS = {
    "face_recognition-1.3.0/tests/test_images/obama.jpg": "obama/obama.jpg",
    "face_recognition-1.3.0/tests/test_images/obama2.jpg": "obama/obama2.jpg",
    "face_recognition-1.3.0/tests/test_images/obama3.jpg": "obama/obama3.jpg",
    "face_recognition-1.3.0/tests/test_images/obama_partial_face.jpg": "obama/obama_partial_face.jpg",
    "face_recognition-1.3.0/tests/test_images/obama_partial_face2.jpg": "obama/obama_partial_face2.jpg",
    "face_recognition-1.3.0/tests/test_images/biden.jpg": "biden/biden.jpg",
    "insightface-2.1/insightface/data/images/Tom_Hanks_54745.png": "tom_hanks/Tom_Hanks_54745.png",
}
GROUP = "insightface-2.1/insightface/data/images/t1.jpg"


def fetch(into: Path) -> None:
    """The two source distributions, by pip as any package (no wheel: the photos are in the sdists only)."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                    "--dest", str(into), *SDISTS], check=True)


def group_faces(data: bytes) -> list[bytes]:
    """Each face of the group photo, left to right, with its head and shoulders (the face box widened 2.2
    times), as PNG: the crowd's faces are small and a JPEG would cost them detail."""
    import cv2
    import dlib
    import numpy as np

    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    boxes = sorted(dlib.get_frontal_face_detector()(cv2.cvtColor(image, cv2.COLOR_BGR2RGB), 1), key=lambda b: b.left())
    cut = []
    for box in boxes:
        cx, cy, half = box.center().x, box.center().y, round(box.width() * 1.1)
        crop = image[max(cy - half, 0):cy + half, max(cx - half, 0):cx + half]
        cut.append(bytes(cv2.imencode(".png", crop)[1]))
    return cut


def build(folder: Path, sdists: Path) -> dict[str, int]:
    """Write the labelled set into folder; the count of photos per person."""
    members: dict[str, bytes] = {}
    for name in SDISTS.values():
        with tarfile.open(sdists / name) as archive:
            for member in (*PHOTOS, GROUP):
                if member.startswith(name.removesuffix(".tar.gz") + "/"):
                    extracted = archive.extractfile(member)
                    assert extracted is not None, f"{member} is not a file in {name}"
                    members[member] = extracted.read()
    written: dict[str, int] = {}
    outputs = [(PHOTOS[m], members[m]) for m in PHOTOS]
    outputs += [(f"group_{i}/t1_{i}.png", face) for i, face in enumerate(group_faces(members[GROUP]), 1)]
    for relative, data in outputs:
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written[path.parent.name] = written.get(path.parent.name, 0) + 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.face_photos", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where the labelled set is written (one subfolder per person)")
    parser.add_argument("--sdists", type=Path, help="a folder already holding the two .tar.gz (no download)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        sdists = args.sdists or Path(scratch)
        if args.sdists is None:
            fetch(sdists)
        written = build(args.folder, sdists)
    print(json.dumps({"identities": len(written), "photos": sum(written.values()), "per_person": written}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
