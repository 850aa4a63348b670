"""Keyed strings for everything a citizen sees or hears: per language, a main TOML table plus one
file per area of the kiosk in a folder of the language's name (zh_CN/technician.toml), so each area
keeps its own words.

Widgets never hold literals: they ask for a key. The spoken form of a screen comes from the same
keys, so voice guidance can never drift from what is on the glass.
"""
from __future__ import annotations

import string
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from kiosk.catalog import Localized

FALLBACK = "zh_CN"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@cache
def table(language: str) -> dict[str, str]:
    """All keys of a language; a key defined in two files is an error, not a silent override."""
    root = Path(__file__).parent       # not importlib.resources: ~7 ms less before the first paint
    area = root.joinpath(language)
    files = [root.joinpath(f"{language}.toml")]
    if area.is_dir():
        files += sorted((f for f in area.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
    merged: dict[str, str] = {}
    for file in files:
        flat = _flatten(tomllib.loads(file.read_text(encoding="utf-8")))
        repeated = sorted(merged.keys() & flat.keys())
        if repeated:
            raise ValueError(f"{language}: {file.name} defines keys already defined: {', '.join(repeated)}")
        merged.update(flat)
    return merged


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Translator:
    """t("key", name=...) in one language, falling back to Chinese for a key not yet translated."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._own = table(language)
        self._fallback = table(FALLBACK)

    def t(self, key: str, **values: object) -> str:
        text = self._own.get(key) or self._fallback[key]
        return text.format(**values) if values else text

    def local(self, text: Localized) -> str:
        """Catalog texts carry their own translations."""
        return text.get(self.language)
