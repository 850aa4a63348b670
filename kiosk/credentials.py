"""The credentials a citizen can identify with at the kiosk, and which of them the IDENTIFY screen offers.

Each service lists what it accepts (catalog field "credentials"); each credential is read by one
device, so a faulty or absent device removes its credentials from the screen instead of leaving the
citizen waiting in front of a dead reader (graceful degradation).
"""
from __future__ import annotations

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
