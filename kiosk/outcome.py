"""Results as values: ok with a value, or a named problem (an i18n key) to tell the citizen."""
from __future__ import annotations

import dataclasses
from typing import Any, Generic, TypeVar, cast

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

    def unwrap(self) -> T:
        """The value of a success, typed as T (a type checker cannot tell that ok means it is there)."""
        if self.problem is not None:
            raise ValueError(f"not a success: {self.problem} {self.detail}")
        return cast(T, self.value)

    def forward(self) -> Outcome[Any]:
        """This failure as the outcome of a caller whose success would carry another type."""
        assert self.problem is not None, "only a failure is forwarded"
        return Outcome(problem=self.problem, detail=self.detail)
