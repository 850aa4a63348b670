"""Themes as data, and the one stylesheet built from them.

A theme is a palette (one of three colour modes) and sizes in pixels derived from physical sizes:
text by glyph height in mm (kiosk.accessibility.TEXT_SIZES_MM), targets of at least 15 mm, all at
the screen's density. tests/test_accessibility.py and `kiosk24 audit` measure the result on the
real widgets, so the figures below are aims, not claims.
"""
from __future__ import annotations

import dataclasses
import math
from functools import cache

from kiosk import accessibility as a11y
from kiosk.accessibility import Colours, Profile

FONT_FAMILIES = '"Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Source Han Sans SC", sans-serif'
# Height of the measured glyph per pixel of font size in Noto Sans CJK SC: 国 for Chinese, a capital
# H for Latin text (VVSG measures capitals). English text therefore gets more pixels than Chinese.
GLYPH_EM = {"zh_CN": 0.9, "en": 0.72}


@dataclasses.dataclass(frozen=True)
class Palette:
    colours: Colours
    background: str
    surface: str
    text: str
    muted: str
    accent: str
    on_accent: str
    border: str
    error: str
    ok: str
    focus: str               # the focus ring: distinct from every border, visible from a step away


PALETTES = {
    Colours.NORMAL: Palette(Colours.NORMAL, "#F3F6FA", "#FFFFFF", "#14171A", "#3C4654", "#0B57A4", "#FFFFFF",
                            "#5E6B7A", "#B3261E", "#1E6B34", "#A8420A"),
    Colours.LIGHT: Palette(Colours.LIGHT, "#FFFFFF", "#FFFFFF", "#000000", "#1F1F1F", "#002E6E", "#FFFFFF",
                           "#000000", "#8A0000", "#004D1A", "#6A00B8"),
    Colours.DARK: Palette(Colours.DARK, "#000000", "#000000", "#FFFFFF", "#F0F0F0", "#FFE500", "#000000",
                          "#FFFFFF", "#FF9C8F", "#7CFF9B", "#00E5FF"),
}


@dataclasses.dataclass(frozen=True)
class Theme:
    palette: Palette
    text_size: int           # 1..4
    ppi: float
    text_px: int
    title_px: int
    target_px: int           # height of every touch target, header and keypad included
    gap_px: int              # between targets, so a tremor does not hit the neighbour
    margin_px: int
    border_px: int
    focus_px: int

    @property
    def large(self) -> bool:
        return self.text_size >= 3

    @property
    def name(self) -> str:
        return f"{self.palette.colours.value}-{self.text_size}"

    def px(self, mm: float) -> int:
        return a11y.px(mm, self.ppi)


@cache
def build(text_size: int, colours: Colours, language: str, ppi: float) -> Theme:
    glyph_px = a11y.target_mm(text_size) * ppi / a11y.MM_PER_INCH
    text_px = round(glyph_px / GLYPH_EM[language])
    padding = a11y.px(2.5, ppi)
    target = max(a11y.px(a11y.MIN_TARGET_MM + 3, ppi), math.ceil(text_px * 1.45) + 2 * padding)
    return Theme(PALETTES[colours], text_size, ppi, text_px, round(text_px * 1.3), target,
                 gap_px=a11y.px(3 if text_size < 3 else 4, ppi), margin_px=a11y.px(8, ppi),
                 border_px=3, focus_px=6)


def for_profile(profile: Profile, language: str, ppi: float) -> Theme:
    return build(profile.text_size, profile.colours, language, ppi)


def stylesheet(theme: Theme) -> str:
    t, p = theme, theme.palette
    inner = t.target_px - 2 * (t.border_px + 4)        # min-height counts the content box only
    title_colour = p.text if p.colours is not Colours.NORMAL else p.accent
    return f"""
    QWidget {{ font-family: {FONT_FAMILIES}; font-size: {t.text_px}px; color: {p.text}; }}
    #Root, #Body, QScrollArea, QScrollArea > QWidget > QWidget {{ background: {p.background}; }}
    #Header, #Controls {{ background: {p.accent}; }}
    #Header QLabel {{ color: {p.on_accent}; font-weight: bold; }}
    #Title {{ font-size: {t.title_px}px; font-weight: bold; }}
    #Subtitle, #Muted {{ color: {p.muted}; }}
    #Card {{ background: {p.surface}; border: 2px solid {p.border}; border-radius: 12px; }}
    #Problem {{ color: {p.error}; font-weight: bold; border: 3px solid {p.error}; border-radius: 10px;
               padding: 12px; background: {p.surface}; }}
    #Good {{ color: {p.ok}; font-weight: bold; }}
    #CaseNumber {{ font-size: {t.title_px}px; font-weight: bold; color: {title_colour}; }}
    QPushButton {{ min-height: {inner}px; padding: 4px {t.px(4)}px; border-radius: 12px;
                  background: {p.surface}; border: {t.border_px}px solid {p.accent}; color: {p.text}; }}
    QPushButton:checked {{ background: {p.accent}; color: {p.on_accent}; }}
    QPushButton#Primary {{ background: {p.accent}; color: {p.on_accent}; font-weight: bold; }}
    QPushButton#HeaderButton, QPushButton#Assist {{ background: {p.on_accent}; color: {p.accent};
                  border: {t.border_px}px solid {p.on_accent}; font-weight: bold; }}
    QPushButton#Assist:checked {{ background: {p.on_accent}; color: {p.accent}; }}
    QPushButton#Key {{ padding: 4px 4px; }}
    QPushButton#Service QLabel {{ background: transparent; color: {p.text}; }}
    QPushButton:disabled, QPushButton#Primary:disabled {{ background: {p.surface}; color: {p.muted};
                  border: {t.border_px}px dashed {p.muted}; font-weight: normal; }}
    QPushButton#Service:disabled QLabel {{ color: {p.muted}; }}
    QPushButton:focus, QPushButton#Primary:focus, QPushButton#HeaderButton:focus, QPushButton#Assist:focus {{
                  border: {t.focus_px}px solid {p.focus}; }}
    QScrollArea:focus {{ border: {t.focus_px}px solid {p.focus}; }}
    QScrollBar:vertical {{ width: {t.px(7)}px; background: {p.background}; border: none; }}
    QScrollBar::handle:vertical {{ background: {p.border}; min-height: 80px; border-radius: 12px; }}
    QScrollBar::add-line, QScrollBar::sub-line, QScrollBar::add-page, QScrollBar::sub-page {{ height: 0; background: none; }}
    QLineEdit {{ min-height: {t.target_px - 8}px; padding: 0 16px; border: {t.focus_px}px solid {p.border};
                border-radius: 10px; background: {p.surface}; color: {p.text}; font-size: {t.title_px}px; }}
    QLineEdit:focus {{ border: {t.focus_px}px solid {p.focus}; }}
    #Overlay {{ background: rgba(0, 0, 0, 170); }}
    #Blank {{ background: #000000; }}
    #Blank QLabel {{ color: #FFFFFF; background: #000000; }}
    #Dialog {{ background: {p.surface}; border: 4px solid {p.accent}; border-radius: 16px; }}
    """
