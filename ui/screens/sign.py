"""The signature (art. 22): drawn with a finger on the pad, judged by its ink in millimetres. Too little ink
is refused with a reason, and what was written stays on the pad for the citizen to add to."""
from __future__ import annotations

import weakref

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.identity import Identity
from ui.screens.context import ScreenContext
from ui.signature import SignaturePad
from ui.widgets import button, widest_button_px

# Ink refused as too short, kept for the citizen who wrote it: the screen is drawn again to say why, and the
# pad it draws must hold the same strokes. Keyed weakly by the visit's identity (read afresh each visit), so
# the ink goes when the visit forgets who it was, never to the next citizen.
_REFUSED: weakref.WeakKeyDictionary[Identity, list[list[QPointF]]] = weakref.WeakKeyDictionary()


def build(ctx: ScreenContext) -> QWidget:
    tr, theme, steps, visit = ctx.tr, ctx.theme, ctx.controller.steps, ctx.session.identity
    assert visit is not None
    palette = theme.palette
    pad = SignaturePad(palette.text, palette.surface, palette.border, pen_px=max(4, theme.px(1.2)), ppi=theme.ppi,
                       strokes=_REFUSED.pop(visit, None))
    pad.setAccessibleName(tr.t("apply.sign.pad"))
    pad.setAccessibleDescription(tr.t("apply.desc.pad"))
    # room to write a name (a paper form's box is ~15 mm), above the buttons; more where the glass is tall
    pad.setMinimumHeight(theme.target_px * 5 if ctx.portrait else theme.px(50))
    pad.setProperty("fills", True)                                       # and the rest of the glass's height

    def confirm() -> None:
        if pad.enough_ink():
            steps.sign(pad.png())
            return
        _REFUSED[visit] = pad.strokes
        steps.sign(None)

    # The pad's own actions sit under it; the footer keeps back and the one primary action, two buttons of
    # one size (four unequal ones, with 'cannot write' beside them, were hard to tell apart)
    actions = [button(tr.t("apply.sign.clear"), pad.clear, name="clear", description=tr.t("apply.desc.clear"))]
    profile = ctx.session.profile
    if profile.assisted or profile.voice:     # the keypad and voice users: who may not be able to write here
        actions.append(button(tr.t("apply.sign.by_keys"), steps.sign_by_keys, name="SignByKeys",
                              description=f"{tr.t('apply.desc.by_keys')} {tr.t('apply.sign.declaration')}"))
    tools = QWidget()
    beside = 2 * widest_button_px([b.text() for b in actions], theme) + theme.gap_px * 2 <= ctx.room
    row = QHBoxLayout(tools) if beside else QVBoxLayout(tools)     # one under the other where a row is too narrow
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(theme.gap_px * 2)
    for action in actions:
        row.addWidget(action)
    done = button(tr.t("apply.sign.confirm"), confirm, name="Primary", description=tr.t("apply.desc.confirm"))
    return ctx.page(tr.t("apply.sign.title"), [pad, tools], subtitle=tr.t("apply.sign.hint"),
                    footer=[ctx.back_button(), done])
