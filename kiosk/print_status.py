"""Where a paper the citizen asked for stands (the guide, a complaint's slip, a document's slip on the
receipt printer): one enum and the problem key that goes with NOT_PRINTED, for the screen and the voice."""
from __future__ import annotations

import dataclasses
import enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.outcome import Outcome


class Printing(enum.Enum):
    """Where a paper stands."""

    PRINTING = "printing"
    PRINTED = "printed"
    NOT_PRINTED = "not_printed"


@dataclasses.dataclass(frozen=True)
class PrintStatus:
    """A paper's stage, and with NOT_PRINTED (only) the problem key saying why, for the screen and the voice."""

    stage: Printing
    problem: str | None = None

    def __post_init__(self) -> None:
        if (self.stage is Printing.NOT_PRINTED) != (self.problem is not None):
            raise ValueError(f"{self.stage.name} takes a problem key exactly when the paper did not come out")

    @classmethod
    def after(cls, outcome: Outcome[None]) -> PrintStatus:
        """The status a finished print job leaves: printed, or not and why."""
        if outcome.ok:
            return cls(Printing.PRINTED)
        return cls(Printing.NOT_PRINTED, outcome.problem or "printer.no_status")
