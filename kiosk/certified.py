"""Certified A4 documents at the kiosk: the verification code read from a printed QR, and the record
of each document printed. The kiosk composes no document: it prints the bytes the centre signed.

Each print is a line in a JSON Lines file in the data directory (who, masked; what; when; pages), so
the technician's paper counter and an auditor can read what went out; a reprint in the same visit is
marked as one, and carries the same document id: it is a copy of the one original, not a second one.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import threading
from pathlib import Path

from kiosk.grouping import FOURS, in_groups
from kiosk.identity import Identity
from kiosk.idnumber import mask
from kiosk.online import CertifiedDocument

PRINT_LOG = "a4-prints.jsonl"
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"     # no 0/O, 1/I: read aloud or typed from paper
CODE_LENGTH = 16             # 80 bits: not to be guessed for a masked name
# 16 characters of the centre's alphabet, alone or ending the QR's /verify/ address.
CODE = re.compile(f"(?:^|/verify/)([{CODE_ALPHABET}]{{{CODE_LENGTH}}})/?$", re.IGNORECASE)
_ALPHABET = re.compile(f"[{CODE_ALPHABET}]")
MAX_SCANNED = 512


def grouped(code: str) -> str:
    """A code or document number in fours, as it is read aloud and typed back: 7KQ3 MX9D PA2H W5TR."""
    return in_groups(code, FOURS)


def code_problem(typed: str) -> tuple[str, dict[str, str | int]]:
    """Why a typed code is no verification code, for the citizen to put right: none typed, which
    character the codes never use (0, 1, I, O: they are read for one another), or how many are missing;
    a problem key and its values."""
    code = "".join(typed.split()).upper()[:MAX_SCANNED]
    if not code:
        return "verify.code_missing", {}
    wrong = next((i for i, c in enumerate(code) if not _ALPHABET.fullmatch(c)), None)
    if wrong is not None:
        return "verify.code_not_used", {"position": wrong + 1, "char": code[wrong]}
    if len(code) < CODE_LENGTH:
        return "verify.code_short", {"length": CODE_LENGTH, "typed": len(code), "missing": CODE_LENGTH - len(code)}
    return "verify.not_a_code", {}


def problem_values(key: str, typed: str) -> dict[str, str | int]:
    """What a typed code's problem names (how many are missing, which character), for tr.t(key, **values)
    on the glass and in the voice alike; nothing for any other problem."""
    found, values = code_problem(typed)
    return values if found == key else {}


def verification_code(text: str) -> str | None:
    """The code in a scanned QR (the centre's /verify/CODE address) or as typed; None for anything else."""
    found = CODE.search(text.strip()[:MAX_SCANNED])
    return found.group(1).upper() if found else None


@dataclasses.dataclass(frozen=True)
class PrintedDocument:
    at: dt.datetime
    kiosk_id: str
    holder: str                 # masked: 张** 4115**********1234
    document_id: str
    service_code: str
    title: str
    pages: int
    reprint: bool


class PrintLog:
    """Append-only, one line per print; safe from the bridge's worker threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(self, kiosk_id: str, identity: Identity, document: CertifiedDocument, pages: int,
               reprint: bool) -> PrintedDocument:
        holder = f"{identity.masked_name()} {mask(identity.id_number)}"
        entry = PrintedDocument(dt.datetime.now(dt.UTC), kiosk_id, holder, document.document_id,
                                document.service_code, document.title.zh, pages, reprint)
        line = json.dumps({**dataclasses.asdict(entry), "at": entry.at.isoformat()}, ensure_ascii=False)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as out:
                out.write(line + "\n")
        return entry

    def entries(self) -> list[PrintedDocument]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        found = []
        for line in lines:
            raw = json.loads(line)
            found.append(PrintedDocument(**{**raw, "at": dt.datetime.fromisoformat(raw["at"])}))
        return found

    def pages(self) -> int:
        """A4 sheets printed, all told (one side per page)."""
        return sum(entry.pages for entry in self.entries())
