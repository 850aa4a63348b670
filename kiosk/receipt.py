"""Receipts as printer-neutral layouts: the core says what a receipt holds; devices/ decide the bytes."""
from __future__ import annotations

import dataclasses
import enum


class Kind(enum.Enum):
    TITLE = "title"          # centred, double size
    TEXT = "text"            # a paragraph, wrapped by the renderer
    FIELD = "field"          # label + value on one line where it fits
    QR = "qr"                # value is the QR payload
    RULE = "rule"            # a separator line
    FEED = "feed"            # blank space


@dataclasses.dataclass(frozen=True)
class Line:
    kind: Kind
    value: str = ""
    label: str = ""


@dataclasses.dataclass(frozen=True)
class Receipt:
    """Lines in print order. Text is already translated; renderers never translate."""

    lines: tuple[Line, ...]

    def text(self) -> str:
        """Plain-text form, for the on-screen copy and for tests."""
        out = []
        for line in self.lines:
            if line.kind is Kind.FIELD:
                out.append(f"{line.label}: {line.value}")
            elif line.kind is Kind.RULE:
                out.append("-" * 32)
            elif line.kind is not Kind.FEED:
                out.append(line.value)
        return "\n".join(out)

    def qr_payloads(self) -> list[str]:
        return [line.value for line in self.lines if line.kind is Kind.QR]
