"""The interfaces the core needs from the outside; bootstrap wires real or test implementations."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:     # only named in signatures: importing the interfaces loads none of the domain
    from kiosk.application import Application
    from kiosk.face import Match
    from kiosk.help import Answer, HelpRequest
    from kiosk.identity import Identity
    from kiosk.online import Benefit, Booking, CertifiedDocument, DocumentCheck, Progress, Record, Slot
    from kiosk.outcome import Outcome
    from kiosk.receipt import Receipt


class ApplicationStore(Protocol):
    def submit(self, application: Application) -> Outcome[str]:
        """Store durably in one transaction; the value is the kiosk case number."""

    def submit_many(self, applications: list[Application]) -> Outcome[list[str]]:
        """Store several (a bundle's, one per department) in one transaction: all or none."""


class ReceiptPrinter(Protocol):
    def print_receipt(self, receipt: Receipt) -> Outcome[None]:
        """Print and report whether a receipt really came out."""


@dataclass(frozen=True)
class A4Status:
    """What the A4 printer can do now; reasons are IPP printer-state-reasons ('media-empty', 'media-jam', 'toner-low', 'offline' ...)."""  # noqa: E501
    ready: bool
    reasons: tuple[str, ...] = ()


class A4Printer(Protocol):
    def status(self) -> A4Status: ...
    def print_pdf(self, pdf: bytes, title: str) -> int:
        """Queue the PDF and return its page count; raises A4PrintError (with .reason) when it cannot."""


class A4PrintError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DocumentCamera(Protocol):
    def capture(self) -> Outcome[tuple[bytes, str]]:
        """Photograph the page under the camera: (encoded image, MIME type), or what to tell the citizen."""


class HelpDesk(Protocol):
    def request_help(self, request: HelpRequest) -> Outcome[Answer]:
        """Record the call for staff durably on the kiosk and tell the centre now if it answers:
        NOTIFIED when the centre confirmed receipt, OFFLINE when only the kiosk keeps it (sync delivers it)."""

    def answered(self, key: str) -> Outcome[bool]:
        """Whether an operator has acknowledged the call with this key (a failure: the centre cannot say)."""


class MessageQueue(Protocol):
    """Everything else a kiosk tells the centre besides applications: ratings (好差评), complaints,
    help calls, appointment requests, technicians' audit events. Queued durably on the kiosk and
    delivered by sync exactly once, like applications, so a dead network loses none of them."""

    def send(self, kind: str, key: str, body: dict[str, object]) -> Outcome[None]:
        """Store in one transaction; kind names the centre's collection ("rating", "complaint", "help",
        "audit", ...), key (a UUIDv7 from application.new_key) is the idempotency key there."""


class CentreLink(Protocol):
    """The centre while a citizen waits (query-and-print, progress, 免申即享, appointments): online
    only, with short timeouts; every failure is a problem key such as "centre.unreachable"."""

    def reachable(self) -> bool:
        """Whether the centre answers now (a quick look, for the guide to say so before identifying)."""

    def query(self, service_code: str, identity: Identity, form: dict[str, str]) -> Outcome[Record]:
        """The query_print service's record for the identified citizen."""

    def document(self, service_code: str, identity: Identity, form: dict[str, str],
                 key: str) -> Outcome[CertifiedDocument]:
        """The centre's signed A4 document (证明) of an a4_document service; the same for the same key."""

    def check_document(self, code: str) -> Outcome[DocumentCheck]:
        """What a verification code scanned from a printed document says of it."""

    def progress(self, case_number: str, token: str = "", id_tail: str = "") -> Outcome[Progress]:
        """A case's progress by the receipt's number and either its QR token or the ID number's last six."""

    def benefits(self, identity: Identity) -> Outcome[tuple[Benefit, ...]]:
        """Benefits the citizen gets without applying; an empty tuple when none applies."""

    def slots(self, service_code: str) -> Outcome[tuple[Slot, ...]]:
        """Appointment slots at the halls over the next working days, with places left."""

    def book(self, key: str, slot_id: str, service_code: str, identity: Identity, mobile: str) -> Outcome[Booking]:
        """Book a place once per key (a UUIDv7 from application.new_key)."""


class FaceVerifier(Protocol):
    """人证核验: the kiosk's camera and a face matcher. The live frame stays in the implementation;
    only the measured distance and the frame's hash come out."""

    @property
    def asks_turn(self) -> bool:
        """Whether a try first asks the citizen to turn their head (liveness on a plain camera)."""

    def compare(self, reference: bytes) -> Outcome[Match]:
        """Capture a frame and compare its one face with the face in reference (the credential's photo as
        read: chip WLT, or JPEG/PNG); a problem key from kiosk.face otherwise."""


class LivenessCheck(Protocol):
    """Whether a live person, not a photo or a screen, is before the camera: a vendor's binocular or
    infrared camera decides in hardware; our own challenge asks for a head turn on a plain camera."""

    def is_live(self) -> Outcome[bool]:
        """True for a live person; a problem key (kiosk.face.NO_CAMERA, NO_FACE) when it cannot tell."""
