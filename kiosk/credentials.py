"""The credentials a citizen can identify with at the kiosk, and which of them the IDENTIFY screen offers.

Each service lists what it accepts (catalog field "credentials"); each credential is read by one
device, so a faulty or absent device removes its credentials from the screen instead of leaving the
citizen waiting in front of a dead reader (graceful degradation).
"""
from __future__ import annotations

import dataclasses
import enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.identity import Identity


class Credential(enum.Enum):
    RESIDENT = "resident"           # 居民身份证, on the ID-card reader
    FOREIGN = "foreign"             # 外国人永久居留身份证, on the ID-card reader
    HMT = "hmt"                     # 港澳台居民居住证, on the ID-card reader
    PASSPORT = "passport"           # 护照, its MRZ read by the document reader
    E_CREDENTIAL = "e_credential"   # 电子身份凭证, a QR code the centre signed, on the code scanner
    TYPED = "typed"                 # a principal's name and ID number typed by their agent: never a catalog choice


# Most services take every card the reader reads and the centre's e-credential; passports only where listed.
DEFAULT_ACCEPTED = (Credential.RESIDENT, Credential.FOREIGN, Credential.HMT, Credential.E_CREDENTIAL)

# The device that reads each credential, by its devices.health name.
DEVICE = {Credential.RESIDENT: "idcard", Credential.FOREIGN: "idcard", Credential.HMT: "idcard",
          Credential.PASSPORT: "scanner", Credential.E_CREDENTIAL: "scanner"}


def of_card(identity: Identity) -> Credential:
    """The credential a document read by a device is."""
    # here: the catalog (and the attract screen with it) needs the credentials, not kiosk.identity
    from kiosk.identity import CardType

    by_card = {CardType.RESIDENT: Credential.RESIDENT, CardType.FOREIGN_PERMANENT: Credential.FOREIGN,
               CardType.HMT_RESIDENCE: Credential.HMT, CardType.PASSPORT: Credential.PASSPORT}
    return by_card[identity.card_type]


@dataclasses.dataclass(frozen=True)
class Way:
    """One way to identify on the screen: the i18n key that says how, and whether its device works."""

    key: str                  # identify.way.<key> and desc.identify.<key>
    credentials: tuple[Credential, ...]
    available: bool


# The screen groups the reader's three cards into one way: the citizen just places their card.
_WAYS = (("card", (Credential.RESIDENT, Credential.FOREIGN, Credential.HMT)),
         ("passport", (Credential.PASSPORT,)),
         ("e_credential", (Credential.E_CREDENTIAL,)))


def ways(accepted: tuple[Credential, ...], unavailable_devices: set[str]) -> list[Way]:
    """The ways a service accepts, each marked unavailable when its device is absent or faulty."""
    offered = []
    for key, credentials in _WAYS:
        taken = tuple(c for c in credentials if c in accepted)
        if taken:
            offered.append(Way(key, taken, DEVICE[taken[0]] not in unavailable_devices))
    return offered
