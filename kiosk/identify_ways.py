"""The ways to identify that the IDENTIFY screen offers: a service's credentials grouped by how they are presented,
each marked unavailable when its device does not work. Apart from kiosk.credentials, which the catalog (and the
attract screen with it) needs: making Way costs ~1 ms, after the first paint."""
from __future__ import annotations

import dataclasses

from kiosk.credentials import DEVICE, Credential


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
