"""The citizen's presentation choices for one visit; reset to the kiosk's defaults when it ends."""
from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Profile:
    large_text: bool = False       # 长辈模式: text at least twice the normal size, fewer items per screen
    high_contrast: bool = False

    @property
    def theme_name(self) -> str:
        if self.high_contrast:
            return "contrast"
        return "large" if self.large_text else "normal"

    def toggled(self, **changes: bool) -> "Profile":
        return dataclasses.replace(self, **changes)
