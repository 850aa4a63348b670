"""Punctuation that depends on the script of the words around it, not on the screen's language."""
from __future__ import annotations


def pair(label: str, value: str) -> str:
    """label and value as one line: a Chinese label takes the full-width colon (clreq), an English one
    ": ". A layout rule, so the renderers and the catalog share it without translating anything."""
    return f"{label}：{value}" if label and not label[-1].isascii() else f"{label}: {value}"
