"""Results as values: ok with a value, or a named problem (an i18n key) to tell the citizen."""
from __future__ import annotations

import dataclasses
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T | None = None
    problem: str | None = None     # i18n key; None means success
    detail: str = ""               # technical detail for technicians' logs, never shown to citizens

    @property
    def ok(self) -> bool:
        return self.problem is None

    @classmethod
    def success(cls, value: T) -> Outcome[T]:
        return cls(value=value)

    @classmethod
    def failure(cls, problem: str, detail: str = "") -> Outcome[T]:
        return cls(problem=problem, detail=detail)
