"""The accessibility rules themselves: physical sizes, contrast maths, the palettes, the profile's mode."""
from __future__ import annotations

import pytest

from kiosk import accessibility as a11y
from kiosk.accessibility import Colours, Profile
from kiosk.config import ConfigError, load
from ui import theme as themes


def test_contrast_ratio_matches_wcag() -> None:
    assert a11y.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert a11y.contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    assert a11y.contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)    # WCAG's classic grey


def test_four_text_sizes_in_mm_and_the_large_ones_twice_the_normal() -> None:
    assert len(a11y.TEXT_SIZES_MM) == 4
    assert a11y.target_mm(a11y.LARGEST) >= 2 * a11y.target_mm(1)
    for low, high in a11y.TEXT_SIZES_MM:
        assert low <= (low + high) / 2 <= high


@pytest.mark.parametrize("ppi", [73.0, 102.5, 160.0])
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_theme_pixels_follow_the_density(ppi: float, language: str) -> None:
    normal, large = themes.build(1, Colours.NORMAL, language, ppi), themes.build(4, Colours.NORMAL, language, ppi)
    assert large.text_px >= 2 * normal.text_px - 1          # rounding to whole pixels
    assert a11y.mm(normal.target_px, ppi) >= a11y.MIN_TARGET_MM
    assert themes.build(1, Colours.NORMAL, language, 2 * ppi).text_px >= 2 * normal.text_px - 1


def test_assumed_density_is_a_21_5_inch_panel() -> None:
    assert a11y.assumed_ppi(1920, 1080) == pytest.approx(102.5, abs=0.1)
    assert a11y.assumed_ppi(1366, 768) == pytest.approx(72.9, abs=0.1)


@pytest.mark.parametrize("colours", list(Colours))
def test_every_colour_pair_the_stylesheet_uses_meets_the_mode(colours: Colours) -> None:
    p = themes.PALETTES[colours]
    weak = {name: round(a11y.contrast_ratio(*pair), 2) for name, pair in themes.pairs(p).items()
            if a11y.contrast_ratio(*pair) < colours.minimum_contrast}
    assert weak == {}
    assert p.focus_fill not in (p.accent, p.border, p.text, p.selected_fill)   # the focus block resembles nothing else
    assert p.selected not in (p.accent,) and p.selected_fill != p.accent        # a choice never looks like the primary


def test_type_has_hierarchy() -> None:
    for size in range(1, a11y.LARGEST + 1):
        theme = themes.build(size, Colours.NORMAL, "zh_CN", 102.5)
        assert theme.title_px >= 2 * theme.text_px
        assert theme.title_px > theme.heading_px > theme.lead_px > theme.text_px


def test_the_mode_is_one_switch_and_leaves_no_trace() -> None:
    on = Profile(colours=Colours.DARK).with_assisted(True)
    assert (on.assisted, on.text_size, on.voice, on.colours) == (True, a11y.LARGEST, True, Colours.DARK)
    off = on.with_assisted(False)
    assert (off.assisted, off.text_size, off.voice, off.colours) == (False, 1, False, Colours.DARK)
    assert Profile().with_audio_only(True).voice                       # a blank screen always speaks
    assert [Profile(text_size=s).next_text_size().text_size for s in (1, 2, 3, 4)] == [2, 3, 4, 1]
    assert Profile(volume=0.9).louder(0.2).volume == 1.0 and Profile(volume=0.2).louder(-0.2).volume == 0.1


def test_keypad_keys_are_configurable_and_checked() -> None:
    keys = a11y.parse_keys(a11y.DEFAULT_KEYS)
    assert set(keys) == set(a11y.ACTIONS) and keys["next"] == ("Down", "Tab")
    with pytest.raises(ValueError, match="no key for"):
        a11y.parse_keys("next=Down")
    with pytest.raises(ValueError, match="jump"):
        a11y.parse_keys(a11y.DEFAULT_KEYS + ",jump=Space")


def test_config_names_a_bad_accessibility_setting() -> None:
    with pytest.raises(ConfigError, match="keypad_keys"):
        load(None, {"KIOSK24_KEYPAD_KEYS": "next=Down"})
    with pytest.raises(ConfigError, match="screen_ppi"):
        load(None, {"KIOSK24_SCREEN_PPI": "9"})
    assert load(None, {"KIOSK24_ACCESSIBILITY_DEFAULT": "yes"}).accessibility_default


@pytest.mark.gui
def test_a_kiosk_can_start_every_visit_in_the_mode(qtbot, tmp_path) -> None:
    from kiosk.session import Event
    from ui import bootstrap

    config = load(None, {}, data_dir=tmp_path, accessibility_default=True, fullscreen=False, speech_engine="none")
    kiosk = bootstrap.build(config)
    qtbot.addWidget(kiosk.window)
    session = kiosk.controller.session
    assert session.profile.assisted and session.profile.text_size == a11y.LARGEST and session.profile.voice
    kiosk.controller.start()
    assert kiosk.window.idle.timeout_s == config.assisted_idle_timeout_s
    kiosk.controller.toggle_assisted()                # this citizen does not want it
    assert not session.profile.assisted
    session.fire(Event.HOME)                          # the next citizen gets the kiosk's default again
    assert session.profile.assisted
    kiosk.bridge.shutdown()
