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
    """The colour roles of one mode. Every pair that is painted together is measured by
    tests/test_accessibility.py (PAIRS) and, as painted, by the audit's pixel check."""
    colours: Colours
    background: str
    surface: str
    text: str
    muted: str               # labels and secondary words: quieter than values, still >= the mode's contrast
    accent: str              # the primary action, and nothing else that could be tapped
    on_accent: str
    border: str              # secondary buttons, fields, unselected choices
    error: str
    ok: str
    focus: str               # the focus ring: distinct from every border, visible from a step away
    focus_fill: str          # the focused control's fill (GOV.UK's yellow block): no other colour resembles it
    on_focus: str
    selected: str            # a chosen option's tick or dot and its border: never the primary colour
    selected_fill: str       # behind a chosen option's words
    disabled_fill: str
    disabled_text: str
    highlight: str           # selected text in a field
    on_highlight: str
    panel: str               # the confirmation panel (success)
    on_panel: str
    keyboard: str            # behind the on-screen keyboard's keys
    key: str                 # a key's face
    on_key: str
    key_border: str
    header: str              # the bar of title and settings chips: quiet, and not the primary colour
    on_header: str


PALETTES = {
    Colours.NORMAL: Palette(
        Colours.NORMAL, background="#F3F6FA", surface="#FFFFFF", text="#14171A", muted="#3C4654",
        accent="#0B57A4", on_accent="#FFFFFF", border="#5E6B7A", error="#B3261E", ok="#1E6B34",
        focus="#0B0C0C", focus_fill="#FFDD00", on_focus="#0B0C0C", selected="#14171A", selected_fill="#E6EEF7",
        disabled_fill="#E3E7ED", disabled_text="#3C4654", highlight="#14171A", on_highlight="#FFFFFF",
        panel="#00703C", on_panel="#FFFFFF", keyboard="#D9DFE7", key="#FFFFFF", on_key="#14171A",
        key_border="#46505C", header="#1D2733", on_header="#FFFFFF"),
    Colours.LIGHT: Palette(
        Colours.LIGHT, background="#FFFFFF", surface="#FFFFFF", text="#000000", muted="#1F1F1F",
        accent="#002E6E", on_accent="#FFFFFF", border="#000000", error="#8A0000", ok="#004D1A",
        focus="#6A00B8", focus_fill="#FFDD00", on_focus="#000000", selected="#000000", selected_fill="#EDEDED",
        disabled_fill="#D9D9D9", disabled_text="#000000", highlight="#000000", on_highlight="#FFFFFF",
        panel="#004D1A", on_panel="#FFFFFF", keyboard="#FFFFFF", key="#FFFFFF", on_key="#000000",
        key_border="#000000", header="#000000", on_header="#FFFFFF"),
    Colours.DARK: Palette(
        Colours.DARK, background="#000000", surface="#000000", text="#FFFFFF", muted="#F0F0F0",
        accent="#FFFFFF", on_accent="#000000", border="#FFFFFF", error="#FF9C8F", ok="#7CFF9B",
        focus="#FFE500", focus_fill="#FFE500", on_focus="#000000", selected="#B8DAFF", selected_fill="#1F3A5F",
        disabled_fill="#262626", disabled_text="#E6E6E6", highlight="#FFFFFF", on_highlight="#000000",
        panel="#7CFF9B", on_panel="#000000", keyboard="#000000", key="#000000", on_key="#FFFFFF",
        key_border="#FFFFFF", header="#000000", on_header="#FFFFFF"),
}


def pairs(p: Palette) -> dict[str, tuple[str, str]]:
    """(foreground, background) of every pairing the stylesheet and the components paint."""
    return {
        "text on background": (p.text, p.background), "text on surface": (p.text, p.surface),
        "muted on background": (p.muted, p.background), "muted on surface": (p.muted, p.surface),
        "primary text": (p.on_accent, p.accent), "primary button on background": (p.accent, p.background),
        "secondary border on surface": (p.border, p.surface), "field border on background": (p.border, p.background),
        "error on surface": (p.error, p.surface), "error on background": (p.error, p.background),
        "success on background": (p.ok, p.background),
        "focus ring on background": (p.focus, p.background), "focus ring on surface": (p.focus, p.surface),
        "focused fill on the header": (p.focus_fill, p.header),
        "focused text": (p.on_focus, p.focus_fill),
        "chosen tick on its fill": (p.selected, p.selected_fill), "text of a chosen option": (p.text, p.selected_fill),
        "disabled text": (p.disabled_text, p.disabled_fill),
        "selection highlight": (p.on_highlight, p.highlight),
        "confirmation panel": (p.on_panel, p.panel),
        "keyboard keys": (p.on_key, p.key), "key edge on the keyboard": (p.key_border, p.keyboard),
        "header text and chips": (p.on_header, p.header),
    }


# The type scale, as multiples of the body text (GOV.UK: 19 px body, 48 / 36 / 24 px headings). The
# largest heading is at least twice the body; in the large sizes 2x, so a title still fits a portrait line.
TITLE_SCALE = {1: 2.5, 2: 2.5, 3: 2.0, 4: 2.0}
HEADING_SCALE = 1.5
LEAD_SCALE = 1.25            # the value a citizen reads first: a case number in a row, a field's text
# Spacing steps in mm: every gap on a screen is one of these, so rhythm is the same everywhere.
SPACE_MM = (1.0, 2.0, 4.0, 6.0, 8.0, 12.0)


@dataclasses.dataclass(frozen=True)
class Theme:
    palette: Palette
    text_size: int           # 1..4
    ppi: float
    text_px: int             # body
    title_px: int            # the page's title (h1): >= 2x body
    target_px: int           # height of every touch target, header and keypad included
    gap_px: int              # between targets, so a tremor does not hit the neighbour
    margin_px: int
    border_px: int
    focus_px: int
    heading_px: int = 0      # a section's heading (h2)
    lead_px: int = 0         # emphasised values, field text (h3)

    @property
    def large(self) -> bool:
        return self.text_size >= 3

    @property
    def name(self) -> str:
        return f"{self.palette.colours.value}-{self.text_size}"

    def px(self, mm: float) -> int:
        return a11y.px(mm, self.ppi)

    def space(self, step: int) -> int:
        """Spacing step 1..6 of SPACE_MM, in pixels at this density."""
        return a11y.px(SPACE_MM[step - 1], self.ppi)


@cache
def build(text_size: int, colours: Colours, language: str, ppi: float) -> Theme:
    glyph_px = a11y.target_mm(text_size) * ppi / a11y.MM_PER_INCH
    text_px = round(glyph_px / GLYPH_EM[language])
    padding = a11y.px(2.5, ppi)
    target = max(a11y.px(a11y.MIN_TARGET_MM + 3, ppi), math.ceil(text_px * 1.45) + 2 * padding)
    return Theme(PALETTES[colours], text_size, ppi, text_px, math.ceil(text_px * TITLE_SCALE[text_size]), target,
                 gap_px=a11y.px(3 if text_size < 3 else 4, ppi), margin_px=a11y.px(8, ppi),
                 border_px=3, focus_px=6, heading_px=round(text_px * HEADING_SCALE),
                 lead_px=round(text_px * LEAD_SCALE))


def for_profile(profile: Profile, language: str, ppi: float) -> Theme:
    return build(profile.text_size, profile.colours, language, ppi)


def stylesheet(theme: Theme, focus_visible: bool = True) -> str:
    """The one stylesheet. focus_visible: the yellow focus block is drawn only for keypad and audio
    users (GOV.UK's rule); a touch user never sees a control look pre-chosen. Fields being typed into
    always show it: that is where the letters go."""
    t, p = theme, theme.palette
    inner = t.target_px - 2 * (t.border_px + 4)        # min-height counts the content box only
    # the settings chips: compact and quiet, at the 15 mm floor where the text allows, never below it
    # rounded up: the nearest pixel can fall a hair under 15 mm (43 px is 14.96 mm at 1366x768's density)
    chip = max(math.ceil(a11y.MIN_TARGET_MM * t.ppi / a11y.MM_PER_INCH), math.ceil(t.text_px * 1.45) + 8)
    # a key's one character as large as a heading where the key's height holds it (a line is 1.45 em),
    # never smaller than the body: it grows with 字号 as the key does
    key = max(t.text_px, min(t.heading_px, round(inner / 1.45)))
    # a confirmation's words and number: the title's size, a heading's with large text, where the title's
    # wrapped both to two lines and the panel outgrew a portrait screen (the largest English text)
    panel = t.heading_px if t.large else t.title_px
    # a lead paragraph at the body's size with large text, already 6.75 mm or more: larger, a long one (what the
    # kiosk can still do with the A4 printer out) outgrew a page of the accessible mode and was cut mid-sentence
    lead_words = t.text_px if t.large else t.lead_px
    # a header chip's ring is the yellow itself, as thin as its own edge: the page's dark ring vanished against the
    # dark header (1.3:1), and its 6 px cut the chip's words, sized for a 1 px edge
    focus = f"""
    QPushButton:focus, QPushButton#Primary:focus, QPushButton[choice="true"]:focus, QPushButton:checked:focus {{
                  background: {p.focus_fill}; color: {p.on_focus}; border: {t.focus_px}px solid {p.focus}; }}
    QPushButton#HeaderButton:focus, QPushButton#Assist:focus {{
                  background: {p.focus_fill}; color: {p.on_focus}; border: 1px solid {p.focus_fill}; }}
    QPushButton QLabel[focused="true"] {{ color: {p.on_focus}; }}
    QScrollArea:focus, #ErrorSummary:focus {{ border: {t.focus_px}px solid {p.focus}; }}
    """ if focus_visible else ""
    return f"""
    QWidget {{ font-family: {FONT_FAMILIES}; font-size: {t.text_px}px; color: {p.text};
              selection-background-color: {p.highlight}; selection-color: {p.on_highlight}; }}
    #Root, #Body, QScrollArea, QScrollArea > QWidget > QWidget {{ background: {p.background}; }}
    #Header, #Controls {{ background: {p.header}; }}
    #Header {{ border-bottom: 2px solid {p.on_header}; }}
    #Controls {{ border-top: 2px solid {p.on_header}; }}
    #Header QLabel {{ color: {p.on_header}; font-weight: bold; }}
    #Title {{ font-size: {t.title_px}px; font-weight: bold; }}
    #Heading {{ font-size: {t.heading_px}px; font-weight: bold; }}
    #Lead {{ font-size: {lead_words}px; }}
    #Subtitle, #Muted, #Label, #Step {{ color: {p.muted}; }}
    #Value, #Section, #RunningHead {{ font-weight: bold; }}
    #Reason {{ color: {p.text}; }}
    #Card {{ background: {p.surface}; border: 2px solid {p.border}; border-radius: 12px; }}
    #AnswerRow {{ background: {p.surface}; border: none; border-bottom: 2px solid {p.border}; }}
    #Problem {{ color: {p.error}; font-weight: bold; border: none; border-left: {t.px(3)}px solid {p.error};
               padding: 6px 12px; background: transparent; }}
    #ErrorSummary {{ background: {p.surface}; border: 5px solid {p.error}; }}
    #ErrorTitle {{ font-size: {t.heading_px}px; font-weight: bold; }}
    #InlineError {{ border: none; border-left: 10px solid {p.error}; background: transparent; }}
    #ErrorMessage {{ color: {p.error}; font-weight: bold; }}
    #Good {{ color: {p.ok}; font-weight: bold; }}
    #CaseNumber {{ font-size: {t.title_px}px; font-weight: bold; color: {p.text}; }}
    #CaseNumber[quiet="true"] {{ font-size: {t.lead_px}px; }}
    #Panel {{ background: {p.panel}; border-radius: 8px; }}
    #Panel QLabel {{ color: {p.on_panel}; }}
    #PanelTitle, #PanelReference {{ font-size: {panel}px; font-weight: bold; }}
    #PanelReference[quiet="true"] {{ font-size: {t.lead_px}px; }}
    QPushButton {{ min-height: {inner}px; padding: 4px {t.px(4)}px; border-radius: 12px;
                  background: {p.surface}; border: {t.border_px}px solid {p.border}; color: {p.text}; }}
    QPushButton QLabel {{ background: transparent; color: {p.text}; }}
    QPushButton:checked {{ background: {p.selected_fill}; color: {p.text}; font-weight: bold;
                  border: {t.focus_px}px solid {p.selected}; }}
    QPushButton[choice="true"] {{ text-align: left; border-radius: 8px; }}
    QPushButton[choice="true"]:checked {{ border-width: {t.focus_px}px; }}
    QPushButton#Primary {{ background: {p.accent}; color: {p.on_accent}; font-weight: bold; border-color: {p.accent}; }}
    QPushButton#Primary QLabel {{ color: {p.on_accent}; }}
    QPushButton#HeaderButton, QPushButton#Assist {{ background: {p.header}; color: {p.on_header};
                  border: 1px solid {p.on_header}; font-weight: normal; border-radius: {chip // 2}px;
                  min-height: {chip - 2 * (1 + 2)}px; min-width: {chip - 2 * (1 + t.px(3))}px;
                  padding: 2px {t.px(3)}px; }}
    /* chosen: filled and ✓, not bold (Qt sizes a chip for its unchecked font, and bold words were cut) */
    QPushButton#Assist:checked {{ background: {p.on_header}; color: {p.header}; font-weight: normal;
                  border: 1px solid {p.on_header}; }}
    QPushButton#HeaderButton:disabled, QPushButton#Assist:disabled {{ background: {p.header}; color: {p.on_header};
                  border: 1px dashed {p.on_header}; }}
    QPushButton#Key {{ padding: 4px 4px; font-size: {key}px; }}
    QPushButton:disabled, QPushButton#Primary:disabled, QPushButton:checked:disabled {{
                  background: {p.disabled_fill}; color: {p.disabled_text};
                  border: {t.border_px}px dashed {p.disabled_text}; font-weight: normal; }}
    QPushButton:disabled QLabel {{ color: {p.disabled_text}; }}
    QScrollBar:vertical {{ width: {t.px(7)}px; background: {p.background}; border: none; }}
    QScrollBar::handle:vertical {{ background: {p.border}; min-height: 80px; border-radius: 12px; }}
    QScrollBar::add-line, QScrollBar::sub-line, QScrollBar::add-page, QScrollBar::sub-page {{
                  height: 0; background: none; }}
    QLineEdit, QPlainTextEdit {{ min-height: {t.target_px - 8}px; padding: 0 16px; border: {t.focus_px}px solid
                {p.border}; border-radius: 10px; background: {p.surface}; color: {p.text}; font-size: {t.lead_px}px; }}
    QPlainTextEdit {{ padding: 8px 8px 8px 16px; }}    /* its lines apart from the border above and below */
    QLineEdit:focus, QPlainTextEdit:focus {{ border: {t.focus_px}px solid {p.focus}; }}
    QLineEdit[problem="true"], QPlainTextEdit[problem="true"] {{ border-color: {p.error}; }}
    #Overlay {{ background: rgba(0, 0, 0, 210); }}     /* 82 %: what is behind reads as asleep, not live */
    #Blank {{ background: #000000; }}
    #Blank QLabel {{ color: #FFFFFF; background: #000000; }}
    #Dialog {{ background: {p.surface}; border: 4px solid {p.border}; border-radius: 16px; }}
    #Wait {{ background: {p.background}; }}
    QPushButton#Tile {{ min-height: {round(t.target_px * 1.5) - 2 * (t.border_px + 4)}px; }}
    QPushButton#Tile QLabel {{ font-size: {t.lead_px}px; font-weight: bold; }}
    QPushButton QLabel#TileHeading {{ font-size: {t.lead_px}px; font-weight: bold; }}
    QPushButton[hero="true"] {{ min-height: {round(t.target_px * 1.4) - 2 * (t.border_px + 4)}px;
                  font-size: {t.lead_px}px; }}
    """ + focus


def choice_indicator_px(theme: Theme) -> int:
    """The circle or square beside a choice's words: GOV.UK's 40 px beside 19 px text, about 2x; beside large
    text 1.5x, as big as a finger's pad and clear of the choice's edges (2x filled the choice's height)."""
    return max(theme.px(9), round(theme.text_px * (1.5 if theme.large else 1.9)))
