"""Themes as data, and the one stylesheet built from them.

Sizes are pixels at the kiosk's configured density; the large theme doubles text and targets.
Colours keep at least 4.5:1 (normal) and 7:1 (high contrast) between text and background.
"""
from __future__ import annotations

import dataclasses

FONT_FAMILIES = '"Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Source Han Sans SC", sans-serif'


@dataclasses.dataclass(frozen=True)
class Theme:
    name: str
    text_px: int
    title_px: int
    target_px: int           # minimum touch target height
    background: str
    surface: str
    text: str
    muted: str
    accent: str
    on_accent: str
    border: str
    error: str
    ok: str
    header_px: int           # header height: its buttons are touch targets too
    key_px: int              # keypad key height: at least 15 mm at the assumed density
    columns: int             # service buttons per row on a landscape screen


THEMES = {
    "normal": Theme("normal", 26, 40, 96, "#F3F6FA", "#FFFFFF", "#14171A", "#3C4654",
                    "#0B57A4", "#FFFFFF", "#B8C4D2", "#B3261E", "#1E6B34", 96, 96, 3),
    "large": Theme("large", 52, 64, 130, "#F3F6FA", "#FFFFFF", "#000000", "#2A313B",
                   "#0B4C8F", "#FFFFFF", "#5E6B7A", "#9E1C15", "#155226", 110, 100, 2),
    "contrast": Theme("contrast", 40, 56, 120, "#000000", "#000000", "#FFFFFF", "#FFFFFF",
                      "#FFE500", "#000000", "#FFFFFF", "#FF9C8F", "#7CFF9B", 110, 100, 2),
}


def stylesheet(theme: Theme) -> str:
    t = theme
    return f"""
    QWidget {{ font-family: {FONT_FAMILIES}; font-size: {t.text_px}px; color: {t.text}; }}
    #Root, #Body, QScrollArea, QScrollArea > QWidget > QWidget {{ background: {t.background}; }}
    #Header {{ background: {t.accent}; }}
    #Header QLabel {{ color: {t.on_accent}; font-size: {t.text_px * 6 // 5}px; font-weight: bold; }}
    #Title {{ font-size: {t.title_px}px; font-weight: bold; }}
    #Subtitle, #Muted {{ color: {t.muted}; }}
    #Card {{ background: {t.surface}; border: 2px solid {t.border}; border-radius: 12px; }}
    #Problem {{ color: {t.error}; font-weight: bold; border: 3px solid {t.error}; border-radius: 10px;
               padding: 12px; background: {t.surface}; }}
    #Good {{ color: {t.ok}; font-weight: bold; }}
    #CaseNumber {{ font-size: {t.title_px}px; font-weight: bold; color: {t.accent if t.name != "contrast" else t.text}; }}
    QPushButton {{ min-height: {t.target_px - 14}px; padding: 4px 24px; border-radius: 12px;
                  background: {t.surface}; border: 3px solid {t.accent}; color: {t.text}; }}
    QPushButton:focus {{ border: 5px solid {t.text}; }}
    QPushButton:checked {{ background: {t.accent}; color: {t.on_accent}; }}
    QPushButton#Primary {{ background: {t.accent}; color: {t.on_accent}; font-weight: bold; }}
    QPushButton#HeaderButton {{ min-height: {t.header_px - 14}px; background: {t.on_accent};
                  color: {t.accent}; border: 3px solid {t.on_accent}; font-size: {t.text_px}px; }}
    QPushButton#Key {{ min-height: {t.key_px - 14}px; font-size: {t.title_px}px; }}
    QScrollBar:vertical {{ width: 28px; background: {t.background}; border: none; }}
    QScrollBar::handle:vertical {{ background: {t.border}; min-height: 80px; border-radius: 14px; }}
    QScrollBar::add-line, QScrollBar::sub-line, QScrollBar::add-page, QScrollBar::sub-page {{ height: 0; background: none; }}
    QLineEdit {{ min-height: {t.target_px}px; padding: 0 16px; border: 3px solid {t.border};
                border-radius: 10px; background: {t.surface}; font-size: {t.title_px * 3 // 4}px; }}
    QLineEdit:focus {{ border: 4px solid {t.accent}; }}
    #Overlay {{ background: rgba(0, 0, 0, 170); }}
    #Dialog {{ background: {t.surface}; border: 4px solid {t.accent}; border-radius: 16px; }}
    """
