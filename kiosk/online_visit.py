"""What one visit holds of the centre's online answers (kiosk/online.py): a field of every session's visit,
the first frame's too, apart from the answers' own types, whose module (nine dataclasses, ~5 ms) the first
frame does not need."""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.online import Benefit, Booking, CertifiedDocument, DocumentCheck, Progress, Record, Slot
    from kiosk.print_status import PrintStatus


@dataclasses.dataclass(frozen=True)
class Visit:
    """What one visit was told by the centre and typed for it; Session.update_online replaces it with a
    changed copy, and the end of the visit with a new one."""

    centre_online: bool | None = None      # on a guide: None while the kiosk checks
    a4_ready: bool | None = None           # on a document's guide: whether the A4 printer can print now
    a4_problem: str | None = None          # ... and if not, why (kiosk.a4_printing): the visit then takes a slip
    waiting: bool = False                  # a question is with the centre: one tap asks once
    record: Record | None = None
    document_key: str = ""                 # kept for the visit: asking again gets the same document ...
    document_asked: tuple[str, ...] = ()   # ... when asked for the same service and answers
    document: CertifiedDocument | None = None
    document_prints: int = 0               # times this visit printed its document: the first is the original
    check_code: str = ""                   # a verification code typed or scanned to check a document
    document_check: DocumentCheck | None = None
    printing: bool = False
    print_problem: str | None = None
    printed: bool = False
    slip: PrintStatus | None = None        # a document's slip on the receipt printer, once asked for
    case_number: str = ""                  # typed for a progress query
    id_tail: str = ""
    progress: Progress | None = None
    benefits: tuple[Benefit, ...] | None = None
    slots: tuple[Slot, ...] | None = None
    slot_id: str = ""
    booking_key: str = ""                  # kept until the slot changes: a retry books once
    mobile: str = ""
    booking: Booking | None = None

    @property
    def slot(self) -> Slot | None:
        return next((s for s in self.slots or () if s.slot_id == self.slot_id), None)
