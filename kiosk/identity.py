"""Who the citizen is, as a read-only value: filled from an ID card, an e-credential or a document."""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum

from kiosk import idnumber


class CardType(enum.Enum):
    """Card-type marker at byte 248 of the reader's text block."""

    RESIDENT = "resident"           # 居民身份证
    FOREIGN_PERMANENT = "foreign"   # 外国人永久居留身份证 (marker I, or Y for the 2023 card)
    HMT_RESIDENCE = "hmt"           # 港澳台居民居住证 (marker J)
    PASSPORT = "passport"           # 护照 and other ICAO 9303 travel documents, read from their MRZ


class Sex(enum.Enum):
    UNKNOWN = "0"
    MALE = "1"
    FEMALE = "2"
    UNSPECIFIED = "9"


@dataclasses.dataclass(frozen=True, repr=False)
class Identity:
    """One person's data as read from a credential. repr masks it so it never reaches a log."""

    name: str
    sex: Sex
    birth_date: dt.date
    id_number: str
    card_type: CardType = CardType.RESIDENT
    nation: str = ""            # nation code "01".."56", "97", "98"; nationality (ISO alpha-3) for foreigners
    address: str = ""
    authority: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None   # None: long-term (长期)
    photo: bytes = b""                # vendor WLT bytes; decoding needs the vendor library
    english_name: str = ""
    credential: str = ""              # how it was presented (kiosk.credentials.Credential value): typed is unverified
    # Proof for the centre that the credential was presented in this visit (docs/security.md, "Card proof"):
    # when the reader read the chip (kiosk clock) and a SHA-256 of the block it read, or the centre-signed
    # e-credential as scanned. Not part of who the person is, so equality ignores them.
    read_at: dt.datetime | None = dataclasses.field(default=None, compare=False)
    chip_sha256: str = dataclasses.field(default="", compare=False)
    ecredential: str = dataclasses.field(default="", compare=False)

    def __repr__(self) -> str:
        return f"Identity({self.card_type.value}, {idnumber.mask(self.id_number)})"

    def masked_name(self) -> str:
        """张** style: enough for a citizen to recognise themselves on screen or on a receipt."""
        return self.name[:1] + "*" * max(len(self.name) - 1, 1)

    def is_expired(self, today: dt.date) -> bool:
        return self.valid_to is not None and self.valid_to < today
