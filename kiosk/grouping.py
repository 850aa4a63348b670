"""Numbers in groups, as they are printed, read aloud and typed back by an old person (clreq: numbers grouped
for reading): a mobile number 3-4-4, a verification code in fours. One rule for the glass, the receipt and the
field a number is typed into."""
from __future__ import annotations

MOBILE = (3, 4)         # 138 1234 5678
FOURS = (4,)            # 7KQ3 MX9D PA2H W5TR


def in_groups(plain: str, sizes: tuple[int, ...]) -> str:
    """plain in groups of the sizes given, the last size repeated, a space between; a number partly typed is
    grouped as far as it goes (138 12)."""
    groups: list[str] = []
    at = 0
    while at < len(plain):
        size = sizes[min(len(groups), len(sizes) - 1)]
        groups.append(plain[at:at + size])
        at += size
    return " ".join(groups)
