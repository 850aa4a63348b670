"""Glare, over-exposure and defocus on real corpus photos (devices/scanner/degraded.py): the frames
are reproducible, the pipeline's new retries read glare and blur it could not, and the camera's
exposure bracket reads what the sensor clipped by taking the same scene darker."""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.scanner.degraded import hard_set
from devices.scanner.exposure import Bracket, clipped_share
from devices.scanner.payload import decode_text
from devices.scanner.pipeline import RETRIES, Pipeline, ZxingDecoder
from devices.scanner.synthetic import counter

Photos = list[tuple[str, np.ndarray]]


@pytest.fixture(scope="module")
def photos(corpus: list[tuple[Path, str]]) -> Photos:
    return [(text, cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)) for path, text in corpus]


def reads(pipeline: Pipeline, frame: np.ndarray, text: str) -> bool:
    return text in [decode_text(symbol.raw) for symbol in pipeline.decode(frame).symbols]


def test_the_fault_set_is_the_same_from_its_seed_and_each_frame_whatever_else_is_asked(photos: Photos) -> None:
    first = hard_set(photos, 2, kinds=("blur",))
    again = hard_set(photos, 2, kinds=("blur",), start=1)
    assert first[1][1] == again[0][1] and np.array_equal(first[1][2], again[0][2])
    assert not np.array_equal(first[0][2], hard_set(photos, 1, seed=16, kinds=("blur",))[0][2])


def test_a_blurred_code_under_glare_now_reads_sharpened(photos: Photos) -> None:
    _, text, frame = hard_set(photos, 7, kinds=("glare_blur",), start=6)[0]
    decoder = ZxingDecoder()
    before = Pipeline(decoder, tuple(retry for retry in RETRIES if retry[0] in ("smoothed", "equalised", "deskewed",
                                                                                "enlarged")), second_opinions=False)
    assert not reads(before, frame, text)
    found = Pipeline(decoder).decode(frame)
    assert found.step == "sharpened" and text in [decode_text(symbol.raw) for symbol in found.symbols]


@pytest.mark.parametrize("kind, number, step", [("blur", 9, "deconvolved"),
                                                ("moire_blur_glare", 10, "deconvolved_thresholded")])
def test_a_defocused_code_the_unsharp_mask_cannot_save_reads_deconvolved(
        photos: Photos, kind: str, number: int, step: str) -> None:
    _, text, frame = hard_set(photos, number + 1, kinds=(kind,), start=number)[0]
    decoder = ZxingDecoder()
    before = Pipeline(decoder, tuple(retry for retry in RETRIES if "deconvolved" not in retry[0]))
    assert not reads(before, frame, text)
    found = Pipeline(decoder).decode(frame)
    assert found.step == step and text in [decode_text(symbol.raw) for symbol in found.symbols]


def test_a_code_defocused_past_the_first_deconvolution_reads_deconvolved_harder_and_thresholded(
        photos: Photos) -> None:
    # seed 16: a blur of 1.9 pixels, past the 1.8 deconvolved undoes; deconvolved_thresholded undoes 2.0
    _, text, frame = hard_set(photos, 8, seed=16, kinds=("blur",), start=7)[0]
    decoder = ZxingDecoder()
    # (the moire deconvolutions, after it, read this frame too)
    before = Pipeline(decoder, tuple(retry for retry in RETRIES if retry[0] != "deconvolved_thresholded"
                                     and not retry[0].startswith("moire_deconvolved")))
    assert not reads(before, frame, text)
    found = Pipeline(decoder).decode(frame)
    assert found.step == "deconvolved_thresholded" and text in [decode_text(symbol.raw) for symbol in found.symbols]


def test_moire_stripes_as_close_as_the_modules_are_cut_out_of_the_spectrum(photos: Photos) -> None:
    _, text, frame = hard_set(photos, 14, seed=16, kinds=("moire",), start=13)[0]
    decoder = ZxingDecoder()
    assert not reads(Pipeline(decoder, tuple(retry for retry in RETRIES if retry[0] != "moire_removed")), frame, text)
    found = Pipeline(decoder).decode(frame)
    assert found.step == "moire_removed" and text in [decode_text(symbol.raw) for symbol in found.symbols]


def test_moire_over_a_defocused_code_is_cut_out_and_the_defocus_undone_together(photos: Photos) -> None:
    # seed 15, frame 13 of moire+blur+glare: neither the deconvolutions nor the moire removal alone read it
    _, text, frame = hard_set(photos, 14, kinds=("moire_blur_glare",), start=13)[0]
    decoder = ZxingDecoder()
    assert not reads(Pipeline(decoder, tuple(retry for retry in RETRIES if retry[0] != "moire_deconvolved")),
                     frame, text)
    found = Pipeline(decoder).decode(frame)
    assert found.step == "moire_deconvolved" and text in [decode_text(symbol.raw) for symbol in found.symbols]


def test_moire_over_a_code_defocused_further_is_undone_harder_and_smoothed(photos: Photos) -> None:
    # seed 22, frame 17 of moire+blur+glare
    _, text, frame = hard_set(photos, 18, seed=22, kinds=("moire_blur_glare",), start=17)[0]
    decoder = ZxingDecoder()
    assert not reads(Pipeline(decoder, RETRIES[:-1]), frame, text)
    found = Pipeline(decoder).decode(frame)
    assert found.step == "moire_deconvolved_harder" and text in [decode_text(symbol.raw) for symbol in found.symbols]


@pytest.mark.parametrize("kind, number", [("glare", 11), ("over_exposure", 0)])
def test_a_clipped_frame_brings_a_darker_one_that_reads(photos: Photos, kind: str, number: int) -> None:
    _, text, frame = hard_set(photos, number + 1, kinds=(kind,), start=number)[0]
    _, _, darker = hard_set(photos, number + 1, kinds=(kind,), exposure=0.5, start=number)[0]
    pipeline, bracket = Pipeline(ZxingDecoder()), Bracket()
    assert not reads(pipeline, frame, text)                 # nothing left to recover in this frame
    assert bracket.after(frame, found=False) == 0.5
    assert reads(pipeline, darker, text)
    assert bracket.after(darker, found=True) == 1.0


def test_the_bracket_leaves_a_well_exposed_counter_alone_and_goes_round_once_clipped() -> None:
    empty = counter(np.random.default_rng(15))
    bracket = Bracket()
    assert clipped_share(empty) == 0.0 and bracket.after(empty, found=False) == 1.0
    white = np.full_like(empty, 255)
    assert [bracket.after(white, found=False) for _ in range(4)] == [0.5, 0.25, 1.0, 0.5]
    assert bracket.after(empty, found=False) == 0.25         # a started bracket finishes
