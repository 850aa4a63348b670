"""Summary figures the benchmarks report, in milliseconds."""
from __future__ import annotations

import statistics


def median_ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 2)


def p95_ms(seconds: list[float]) -> float:
    return round(statistics.quantiles(seconds, n=20)[-1] * 1000, 2)
