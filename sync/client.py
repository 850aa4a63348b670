"""The kiosk's HTTP client for the central case store: one keep-alive session, results as values."""
from __future__ import annotations

import dataclasses
import enum

import requests

API = "/api/v1"


class Delivery(enum.Enum):
    DELIVERED = "delivered"     # stored at the centre (new or a repeat): done
    TRANSIENT = "transient"     # try again later: network, timeouts, 5xx, 408, 429
    PERMANENT = "permanent"     # the centre refuses this application: a dead letter


@dataclasses.dataclass(frozen=True)
class PushResult:
    kind: Delivery
    case_number: str = ""
    error: str = ""


class CentreClient:
    def __init__(self, base_url: str, timeout_s: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.http = requests.Session()

    def push(self, payload: dict) -> PushResult:
        try:
            reply = self.http.post(f"{self.base_url}{API}/applications", json=payload, timeout=self.timeout_s)
        except requests.RequestException as exc:      # refused, reset, timeout, TLS
            return PushResult(Delivery.TRANSIENT, error=type(exc).__name__)
        if reply.status_code in (200, 201):
            return PushResult(Delivery.DELIVERED, case_number=reply.json()["case_number"])
        if reply.status_code >= 500 or reply.status_code in (408, 425, 429):
            return PushResult(Delivery.TRANSIENT, error=f"HTTP {reply.status_code}")
        return PushResult(Delivery.PERMANENT, error=f"HTTP {reply.status_code}: {reply.text[:500]}")

    def reachable(self) -> bool:
        try:
            return self.http.get(f"{self.base_url}{API}/health", timeout=self.timeout_s).ok
        except requests.RequestException:
            return False

    def close(self) -> None:
        self.http.close()
