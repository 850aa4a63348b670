"""Keyed strings for everything a citizen sees or hears: per language, a main TOML table plus one
file per area of the kiosk in a folder of the language's name (zh_CN/technician.toml), so each area
keeps its own words.

Widgets never hold literals: they ask for a key. The spoken form of a screen comes from the same
keys, so voice guidance can never drift from what is on the glass.
"""
from __future__ import annotations

import json
import string
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from kiosk import atomic
from kiosk.catalog import Localized

FALLBACK = "zh_CN"
KEPT_FORMAT = 1
_kept_in: list[Path] = []      # where table() keeps what it parsed (keep_parsed_in); none: nowhere


def keep_parsed_in(folder: Path | None) -> None:
    """Keep each language's table, once parsed, in folder (the kiosk's data dir), and read it back from there
    while the language's files are those it was parsed from (names, sizes, CRC-32s): TOML parsed
    in Python is ~6.5 ms of the first paint, the same table read back as JSON ~0.3 ms. None: parse each time."""
    _kept_in[:] = [] if folder is None else [folder]


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
    texts = [file.read_bytes() for file in files]
    stamp = [[file.name, len(text), zlib.crc32(text)] for file, text in zip(files, texts, strict=True)]
    kept = _kept(language, stamp)
    if kept is not None:
        return kept
    # here: the table kept from the last start needs no TOML parser (~1.7 ms of imports before the first paint)
    import tomllib

    merged: dict[str, str] = {}
    for file, text in zip(files, texts, strict=True):
        flat = _flatten(tomllib.loads(text.decode("utf-8")))
        repeated = sorted(merged.keys() & flat.keys())
        if repeated:
            raise ValueError(f"{language}: {file.name} defines keys already defined: {', '.join(repeated)}")
        merged.update(flat)
    _keep(language, stamp, merged)
    return merged


def _kept_path(language: str) -> Path | None:
    return _kept_in[0] / f"strings-{language}.json" if _kept_in else None


def _kept(language: str, stamp: list[list[Any]]) -> dict[str, str] | None:
    """The table kept from the same files, or None (none kept, from other files, or unreadable)."""
    path = _kept_path(language)
    if path is None:
        return None
    try:
        kept = json.loads(path.read_bytes())
        if kept["format"] == KEPT_FORMAT and kept["files"] == stamp and isinstance(kept["strings"], dict):
            return kept["strings"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _keep(language: str, stamp: list[list[Any]], strings: dict[str, str]) -> None:
    path = _kept_path(language)
    if path is None:
        return
    try:
        atomic.write(path, json.dumps({"format": KEPT_FORMAT, "files": stamp, "strings": strings}, ensure_ascii=False),
                     durable=False)     # remade when unreadable: no sync on the way to the first paint
    except OSError:
        pass            # parsed again next time


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
