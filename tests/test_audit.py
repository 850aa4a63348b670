"""`kiosk24 audit`: every screen × mode × language × resolution measured on the real widgets.

One run of the command feeds the checks below; they assert the issue's thresholds line by line, so
a failure names the screen, the mode and the control.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kiosk import accessibility as a11y
from kiosk.config import LANGUAGES
from tests.test_cli import kiosk24
from tooling.screenshots import PROFILES, SIZES

# ~3,100 frames (about 240 s of one core): measured once for the module in runs side by side on the machine's cores
# (`kiosk24 audit --size --mode`): one per resolution, the first's split in two by mode, since only there are the
# pixels measured too (painted contrast); the limit leaves room for a busy machine
pytestmark = [pytest.mark.gui, pytest.mark.slow, pytest.mark.timeout(900)]
SCREENS = 45                        # at least, and each in every mode (the accessible mode adds a step)
_HALF = len(PROFILES) // 2
RUNS = [(SIZES[0], list(PROFILES)[:_HALF]), (SIZES[0], list(PROFILES)[_HALF:]), *((size, []) for size in SIZES[1:])]
SUMMARY = re.compile(r"kiosk24 audit: (\d+) screens measured, (\d+) with shortfalls")


@pytest.fixture(scope="module")
def audit(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, list[dict], str]:
    def one(run: tuple[tuple[int, int], list[str]], data_dir: Path):
        (width, height), modes = run
        return kiosk24("audit", "--json", "--size", f"{width}x{height}", *(f"--mode={m}" for m in modes),
                       data_dir=data_dir, timeout=900)
    data_dirs = [tmp_path_factory.mktemp("audit") for _ in RUNS]     # here: pytest's numbering is not thread-safe
    with ThreadPoolExecutor(len(RUNS)) as pool:
        results = list(pool.map(one, RUNS, data_dirs))
    lines = [json.loads(line) for result in results for line in result.stdout.splitlines()]
    return max(result.returncode for result in results), lines, "".join(result.stderr for result in results)


def test_every_screen_mode_language_and_resolution_has_a_line(audit) -> None:
    code, lines, stderr = audit
    seen = {(line["screen"], line["mode"], line["language"], line["resolution"]) for line in lines}
    per_mode = Counter((line["screen"], line["mode"]) for line in lines)
    assert len(lines) == len(seen) and set(per_mode.values()) == {len(LANGUAGES) * len(SIZES)}
    screens = {mode: {screen for screen, m in per_mode if m == mode} for mode in PROFILES}
    assert len(screens["normal"]) >= SCREENS and all(screens[mode] >= screens["normal"] for mode in PROFILES)
    assert {line["resolution"] for line in lines} == {"1920x1080", "1080x1920", "1366x768"}
    assert code == 0, stderr[-3000:]
    summaries = [(int(measured), int(short)) for measured, short in SUMMARY.findall(stderr)]
    assert len(summaries) == len(RUNS) and sum(m for m, _ in summaries) == len(lines), summaries
    assert all(short == 0 for _, short in summaries), summaries


WAITING = {"09-submitting"}         # a full-screen "please wait": words, nothing to touch (UX.md, the ATM's)


def test_every_control_is_named_sized_and_readable(audit) -> None:
    """Every control is named and described in the language it is shown in, and in the other too wherever the
    other language's frame has it (a paged screen's 下一页 exists only where its words take two pages)."""
    _, lines, _ = audit
    both = 0
    for line in lines:
        where = (line["screen"], line["mode"], line["language"], line["resolution"])
        profile = PROFILES[line["mode"]]
        shown = "zh" if line["language"] == "zh_CN" else "en"
        assert line["announcement"].strip(), where
        assert line["controls"] or line["screen"] in WAITING, where
        for control in line["controls"]:
            assert control[f"name_{shown}"] and control[f"description_{shown}"], (where, control)
            both += all(control[k] for k in ("name_zh", "name_en", "description_zh", "description_en"))
            assert min(control["width_mm"], control["height_mm"]) >= a11y.MIN_TARGET_MM, (where, control)
            assert control["text_cap_height_mm"] >= a11y.TEXT_SIZES_MM[profile.text_size - 1][0], (where, control)
            assert control["contrast"] >= profile.colours.minimum_contrast, (where, control)
            assert not control["clipped"], (where, control)
    assert both >= 0.99 * sum(len(line["controls"]) for line in lines)     # found in both languages, but a few


def test_large_text_is_at_least_twice_the_normal_on_the_glass(audit) -> None:
    _, lines, _ = audit
    glyph = {(line["mode"], line["language"], line["resolution"], control["id"]): control["text_cap_height_mm"]
             for line in lines if line["screen"] == "02-services" for control in line["controls"]}
    pairs = [(value, glyph[("normal", *key[1:])]) for key, value in glyph.items() if key[0] == "large"]
    assert pairs and all(large >= 2 * normal - 0.3 for large, normal in pairs)   # 0.3 mm: whole pixels


def test_the_english_names_are_english_and_the_chinese_chinese(audit) -> None:
    _, lines, _ = audit
    [home] = [c for line in lines if (line["screen"], line["mode"], line["language"], line["resolution"]) ==
              ("02-services", "normal", "en", "1920x1080")
              for c in line["controls"] if c["id"] == "HeaderButton|role=home"]
    assert (home["name_zh"], home["name_en"]) == ("首页", "Home")


def test_a_glass_denser_than_the_layout_assumed_is_named(qapp) -> None:
    """Laid out for 102 ppi but measured at 300, the same pixels are a third of the size: named, control by control."""
    from tooling import audit as kiosk_audit
    from tooling import screenshots

    problems = []
    for frame in screenshots.walk({"normal": ("zh_CN", "normal")}, sizes=((1920, 1080),)):
        controls, _ = kiosk_audit.measure(frame, 300.0)
        names = {c.id: (c.name, c.description) for c in controls}
        problems += kiosk_audit.shortfalls(frame, controls, names, 300.0)
    assert any(p.startswith("Primary: ") and "mm < 15.0 mm" in p for p in problems)
    assert any(p.startswith("HeaderButton|role=help: text ") and "mm < 3.5 mm" in p for p in problems)


def test_a_focused_header_chip_stands_out_from_the_header(qapp) -> None:
    """Audio-only puts the keypad's focus on 帮办 while the face is checked: its yellow must meet the header's dark,
    where a dark ring round it measured 1.3:1."""
    from tooling import audit as kiosk_audit
    from tooling import screenshots

    frame = next(screenshots.walk({"audio-only": ("zh_CN", "audio-only")}, sizes=((1920, 1080),),
                                  screens="81-face-checking"))
    chip = frame.window.focusWidget()
    assert chip.objectName() == "Assist"
    assert kiosk_audit.boundary_contrast(chip) >= PROFILES["audio-only"].colours.minimum_contrast
