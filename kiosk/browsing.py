"""The simpler service list of the accessibility mode: one task a screen, a few large choices a page.

First the citizen picks a category (a domain, the online services, or the one-visit bundles), then a
service in it, PER_PAGE at a time with next and previous: fewer choices to read, hear and reach.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import TypeVar

PER_PAGE = 4
ONLINE, BUNDLES = "online", "bundles"       # the categories that are not a domain
ONLINE_SERVICES = ("progress", "benefits")  # what ONLINE holds: 办件进度查询, 免申即享
T = TypeVar("T")


def page_count(count: int, per_page: int = PER_PAGE) -> int:
    return max(1, math.ceil(count / per_page))


def on_page(items: Sequence[T], page: int, per_page: int = PER_PAGE) -> Sequence[T]:
    return items[page * per_page:(page + 1) * per_page]


@dataclasses.dataclass
class Browsing:
    category: str | None = None      # a Domain value, ONLINE or BUNDLES; None while choosing one
    page: int = 0

    def open(self, category: str | None) -> None:
        self.category, self.page = category, 0

    def turn(self, step: int, count: int) -> None:
        """To the next or previous page of count choices, never past either end."""
        self.page = max(0, min(page_count(count) - 1, self.page + step))
