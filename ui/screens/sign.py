"""The signature (art. 22): drawn with a finger on the pad; too little ink is refused with a reason."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.screens.context import ScreenContext
from ui.signature import SignaturePad
from ui.widgets import button


def build(ctx: ScreenContext) -> QWidget:
    tr, theme, steps = ctx.tr, ctx.theme, ctx.controller.steps
    palette = theme.palette
    pad = SignaturePad(palette.text, palette.surface, palette.border, pen_px=max(4, theme.px(1.2)))
    pad.setAccessibleName(tr.t("apply.sign.pad"))
    pad.setAccessibleDescription(tr.t("apply.desc.pad"))
    pad.setMinimumHeight(theme.target_px * (5 if ctx.portrait else 3))    # room to write, above the buttons
    clear = button(tr.t("apply.sign.clear"), pad.clear, name="clear", description=tr.t("apply.desc.clear"))
    done = button(tr.t("apply.sign.confirm"), lambda: steps.sign(pad.png() if pad.enough_ink() else None),
                  name="Primary", description=tr.t("apply.desc.confirm"))
    footer = [ctx.back_button(), clear, done]
    profile = ctx.session.profile
    if profile.assisted or profile.voice:     # the keypad and voice users: who may not be able to write here
        by_keys = button(tr.t("apply.sign.by_keys"), steps.sign_by_keys, name="SignByKeys",
                         description=f"{tr.t('apply.desc.by_keys')} {tr.t('apply.sign.declaration')}")
        footer = [ctx.back_button(), clear, by_keys, done]
    return ctx.page(tr.t("apply.sign.title"), [pad], subtitle=tr.t("apply.sign.hint"), footer=footer)
