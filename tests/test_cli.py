"""The command-line surface, run as a technician or installer would: real processes, real files."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from devices import cups_sandbox
from kiosk.storage import open_database
from sync.outbox import Outbox
from tests.fixtures.casestore import CaseStoreServer
from tests.fixtures.core import make_application

ROOT = Path(__file__).resolve().parents[1]


def kiosk24(*args: str, data_dir: Path, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK24_DATA_DIR": str(data_dir),
                   "KIOSK24_KIOSK_ID": "XY-TEST-01", **env}
    return subprocess.run([sys.executable, "-m", "tooling.cli", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=timeout)


def test_run_check_paints_the_attract_screen(tmp_path: Path) -> None:
    result = kiosk24("run", "--check", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "attract screen painted" in result.stderr
    assert (tmp_path / "kiosk.db").exists()                   # the outbox was created and migrated


def test_run_check_names_a_bad_setting(tmp_path: Path) -> None:
    result = kiosk24("run", "--check", data_dir=tmp_path, KIOSK24_LANGUAGE="fr")
    assert result.returncode == 2
    assert "configuration error" in result.stderr and "language" in result.stderr


def test_run_check_names_a_missing_config_file(tmp_path: Path) -> None:
    result = kiosk24("run", "--check", "--config", str(tmp_path / "nope.toml"), data_dir=tmp_path)
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_run_check_fails_clearly_when_the_data_dir_is_unusable(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = kiosk24("run", "--check", data_dir=blocker)
    assert result.returncode == 1 and "cannot start" in result.stderr


def test_start_up_does_not_import_heavy_libraries() -> None:
    code = ("import sys; from ui import runner, bootstrap, app; from tooling import cli; cli.build_parser(); "
            "print(sorted(m for m in ('cv2', 'escpos', 'pyzbar', 'fastapi', 'uvicorn', 'pypinyin', 'zxingcpp')"
            " if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_command_imports_only_its_own_arguments() -> None:
    """`kiosk24 run` declares its arguments without loading the other commands' modules, and the list
    of commands still names every one of them."""
    from tooling.cli import COMMANDS

    others = ("sync.cli", "devices.cli", "devices.diagnostics", "kiosk.backup_cli", "ui.technician.cli",
              "sync.casestore.serve", "tooling.demo", "tooling.simulate", "tooling.screenshots")
    code = ("import sys; from tooling import cli; cli.build_parser(['run']).parse_args(['run', '--check']); "
            f"print(sorted(m for m in {others!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    listed = kiosk24("--help", data_dir=ROOT).stdout
    assert all(command.name in listed for command in COMMANDS)
    misspelt = kiosk24("rnu", "--check", data_dir=ROOT)       # answered with every command it could have been
    assert misspelt.returncode == 2 and all(command.name in misspelt.stderr for command in COMMANDS)


def test_demo_check_starts_everything_and_stops_it(tmp_path: Path) -> None:
    result = kiosk24("demo", "--check", "--data-dir", str(tmp_path / "demo"), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "attract screen painted" in result.stderr
    assert "case store listening" in (tmp_path / "demo" / "casestore.log").read_text()
    assert (tmp_path / "demo" / "kiosk" / "kiosk.db").exists()
    if cups_sandbox.missing():          # the demo still starts, and says once why it has no A4 printer
        assert result.stderr.count("no A4 printer") == 1
        return
    a4 = re.search(r"A4 printer kiosk-a4@(\S+) printing to (\S+)", result.stderr)
    assert a4 is not None, result.stderr
    assert Path(a4[2]) == tmp_path / "demo" / "documents"               # beside the receipts
    sandbox = str(Path(a4[1]).parent)
    assert not Path(sandbox).exists()                                    # its cupsd stopped and cleared up
    assert not [p for p in Path("/proc").glob("[0-9]*/cmdline") if sandbox.encode() in _read(p)], "cupsd still runs"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""              # it ended while we looked


def test_queue_status_and_sync_once(tmp_path: Path, casestore: CaseStoreServer) -> None:
    outbox = Outbox(open_database(tmp_path / "kiosk.db"), "XY-TEST-01")
    keys = [outbox.submit(make_application()).value for _ in range(3)]
    assert all(keys)
    status = json.loads(kiosk24("queue", "status", "--json", data_dir=tmp_path).stdout)
    assert status["pending"] == 3 and status["delivered"] == 0 and status["dead"] == 0
    assert status["oldest_pending_age_s"] >= 0

    synced = kiosk24("sync", "--once", data_dir=tmp_path, KIOSK24_CENTRE_URL=casestore.url,
                     KIOSK24_CREDENTIAL=casestore.enrol("XY-TEST-01"))
    assert synced.returncode == 0, synced.stderr
    assert json.loads(synced.stdout.splitlines()[-1])["delivered"] == 3
    status = json.loads(kiosk24("queue", "status", "--json", data_dir=tmp_path).stdout)
    assert (status["pending"], status["delivered"], status["oldest_pending_age_s"]) == (0, 3, None)

    listed = [json.loads(line) for line in kiosk24("queue", "list", "--json", data_dir=tmp_path).stdout.splitlines()]
    assert [item["state"] for item in listed] == ["delivered"] * 3
    assert all(item["central_case_number"] for item in listed)
    exported = kiosk24("casestore", "export", "--db", casestore.db_url, "--json", data_dir=tmp_path)
    assert sorted(json.loads(line)["kiosk_case_number"] for line in exported.stdout.splitlines()) == \
        sorted(item["kiosk_case_number"] for item in listed)
    assert "3 delivered" in kiosk24("queue", "purge", data_dir=tmp_path).stdout
    assert json.loads(kiosk24("queue", "status", "--json", data_dir=tmp_path).stdout)["delivered"] == 0


def test_sync_once_with_the_centre_down_keeps_everything(tmp_path: Path) -> None:
    outbox = Outbox(open_database(tmp_path / "kiosk.db"), "XY-TEST-01")
    outbox.submit(make_application())
    result = kiosk24("sync", "--once", data_dir=tmp_path, KIOSK24_CENTRE_URL="http://127.0.0.1:9")
    assert result.returncode == 1
    assert json.loads(result.stdout.splitlines()[-1])["pending"] == 1


def png_sizes(shots: Path) -> dict[str, tuple[tuple[int, int], tuple[int, int]]]:
    """Each screenshot's name: (the size asked, in its name; the size of its picture)."""
    import re

    from PIL import Image

    sizes = {}
    for shot in sorted(shots.glob("*.png")):
        asked = tuple(map(int, re.search(r"-(\d+)x(\d+)-", shot.name).groups()))
        with Image.open(shot) as image:
            sizes[shot.stem] = (asked, image.size)
    return sizes


@pytest.mark.gui
def test_a_screen_drawn_alone_in_the_accessible_mode_is_the_size_asked(tmp_path: Path) -> None:
    """--screen draws one screen; the walk still goes through every screen before it, and one of those that
    needed more than the glass grew the window for the rest (the help notice, drawn last, came out 1920x1099)."""
    result = kiosk24("screenshots", str(tmp_path / "shots"), "--screen", "13-help", "--mode", "assisted",
                     data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    sizes = png_sizes(tmp_path / "shots")
    assert len(sizes) == 3
    assert {name: size for name, (asked, size) in sizes.items() if size != asked} == {}


@pytest.mark.gui
@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_screenshots_render_every_screen_at_every_resolution(tmp_path: Path) -> None:
    """Every citizen screen in every mode and size (the accessibility mode has one step more: the simpler
    service list's category), and the technician's: one run per resolution, side by side on the machine's cores."""
    import re
    from concurrent.futures import ThreadPoolExecutor

    from tooling.screenshots import MODES, SIZES

    def one(size: tuple[int, int]) -> subprocess.CompletedProcess[str]:
        resolution = f"{size[0]}x{size[1]}"
        return kiosk24("screenshots", str(tmp_path / "shots"), "--size", resolution, data_dir=tmp_path / resolution,
                       timeout=1200)
    with ThreadPoolExecutor(len(SIZES)) as runs:
        results = list(runs.map(one, SIZES))
    assert all(result.returncode == 0 for result in results), [result.stderr[-2000:] for result in results]
    stderr = "".join(result.stderr for result in results)
    shots = sorted((tmp_path / "shots").glob("*.png"))
    technician = [shot for shot in shots if shot.name.startswith("tech-")]
    entry_and_devices = [shot for shot in technician if re.match(r"tech-\d\d-", shot.name)]
    assert len(entry_and_devices) == 7 * len(SIZES) * 2   # PIN pad, lockout, five device pages; Chinese and English
    screens: dict[tuple[str, str], set[str]] = {}
    for shot in set(shots) - set(technician):
        screen, width, height, mode = re.fullmatch(r"(.+)-(\d+)x(\d+)-(.+)\.png", shot.name).groups()
        screens.setdefault((f"{width}x{height}", mode), set()).add(screen)
    assert len(screens) == len(SIZES) * len(MODES)
    everywhere = screens[(f"{SIZES[0][0]}x{SIZES[0][1]}", "normal")]
    assert len(everywhere) >= 40, sorted(everywhere)         # the whole citizen path and every service kind
    for (size, mode), names in screens.items():
        assert everywhere <= names, f"{size} {mode} lacks {sorted(everywhere - names)}"
    assert "propagateSizeHints" not in stderr
    outgrown = [name for name, (asked, size) in png_sizes(tmp_path / "shots").items()
                if size != asked and not (name in MAY_OUTGROW and size[0] == asked[0]
                                          and size[1] - asked[1] <= MAY_OUTGROW[name])]
    assert not outgrown, f"outgrew the screen, something does not fit: {outgrown}"


# Once open in issue 12: frames of English in the accessible mode that were taller (in portrait: wider) than the
# glass, seen on 2026-12-06 (the window grows past the screen, and stays grown for the frames after it).
# (The largest text's frames in Chinese, and the progress query's in English, fit since the header's
# chips take one row where their words allow: they were counted as wide as the widest chip.)
# (The form's frames and the principal's left it on 2026-12-07, when the footer came to turn the pages; the review
# of materials, the appointment's end, the proxy's review and the thanks when a drawn screen came to be sized again
# once built, no longer inheriting the window a screen before it had grown; the appointment's when it came to ask
# one thing at a time, the slots and then the number.)
# (On 2026-12-07 too: the sign problem's, the proxy form's at 1920x1080 and the complaint's in portrait, when the
# header's chips came to one row at 1920 ("Get help", half a gap where it saves a row), the signature pad's least
# height to 50 mm, the applicant and agent to one flowing line, and the error summary's links to wrap within its
# red edges.)
# Left, and let through by at most these pixels of height: the proxy form at 1366x768, whose layout's minimum fits
# with 9 px to spare, but which some runs grow by 2 px as its pages settle after the frame is built.
MAY_OUTGROW = {"68-proxy-form-1366x768-english-assisted": 2}


def test_run_check_fullscreen_on_a_real_x_server(tmp_path: Path) -> None:
    """Fullscreen and frameless on a bare X server without a window manager, as on a kiosk."""
    import shutil

    assert shutil.which("xvfb-run"), "xvfb-run is missing: scripts/install installs it"
    environment = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    environment.update(KIOSK24_DATA_DIR=str(tmp_path), QT_QPA_PLATFORM="xcb")
    result = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", sys.executable, "-m", "tooling.cli",
                             "run", "--check"], cwd=ROOT, env=environment, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "attract screen painted" in result.stderr


def test_a_database_from_a_newer_release_is_refused_by_name(tmp_path: Path) -> None:
    """Rolling back must not run an old release on a schema it does not know."""
    import sqlite3

    assert kiosk24("run", "--check", data_dir=tmp_path).returncode == 0
    with sqlite3.connect(tmp_path / "kiosk.db") as db:
        db.execute("UPDATE alembic_version SET version_num = 'f00dcafe'")
    result = kiosk24("run", "--check", data_dir=tmp_path)
    assert result.returncode == 1 and "f00dcafe" in result.stderr


def test_queue_rotate_key_keeps_the_queue_deliverable(tmp_path: Path, casestore: CaseStoreServer) -> None:
    outbox = Outbox(open_database(tmp_path / "kiosk.db"), "XY-TEST-01")
    for _ in range(2):
        outbox.submit(make_application())
    old_key = outbox.keyring.current_id
    rotated = json.loads(kiosk24("queue", "rotate-key", "--json", data_dir=tmp_path).stdout)
    assert rotated["resealed"] == 2 and rotated["dropped_keys"] == [old_key] and rotated["key_id"] != old_key
    credential_file = tmp_path / "credential"
    credential_file.write_text(casestore.enrol("XY-TEST-01") + "\n")
    synced = kiosk24("sync", "--once", data_dir=tmp_path, KIOSK24_CENTRE_URL=casestore.url,
                     KIOSK24_CREDENTIAL_FILE=str(credential_file))
    assert json.loads(synced.stdout.splitlines()[-1])["delivered"] == 2, synced.stderr


def test_queue_status_warns_of_a_damaged_database_set_aside(tmp_path: Path) -> None:
    (tmp_path / "kiosk.db").write_bytes(b"not a database" * 100)
    result = kiosk24("queue", "status", "--json", data_dir=tmp_path)
    empty = {"pending": 0, "dead": 0, "delivered": 0, "oldest_pending_age_s": None}
    assert json.loads(result.stdout) == {**empty, "messages": empty}
    assert "kiosk.db.damaged-" in result.stderr and "set aside" in result.stderr
