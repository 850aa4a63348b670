"""Shared by the demo back ends (records.py, benefits.py) and the halls (appointments.py): texts in both
languages and numbers seeded by an ID number, so the same person always gets the same made-up answer."""
from __future__ import annotations

import hashlib
import random

from pydantic import BaseModel


class Text(BaseModel):
    """One text in both languages of the kiosk."""

    zh: str
    en: str


def t(zh: str, en: str | None = None) -> Text:
    return Text(zh=zh, en=zh if en is None else en)


class SeededNumbers(random.Random):
    """Numbers that depend on the ID number and the service only: the same person gets the same record."""

    def __init__(self, id_number: str, salt: str) -> None:
        super().__init__(int.from_bytes(hashlib.sha256(f"{salt}:{id_number}".encode()).digest()[:8], "big"))

    def money(self, low: int, high: int) -> str:
        return f"{self.randint(low * 100, high * 100) / 100:,.2f}"
