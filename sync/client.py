"""The kiosk's HTTP client for the central case store: one keep-alive session, signed requests, results as values."""
from __future__ import annotations

import dataclasses
import email.utils
import enum
import logging
import time
from pathlib import Path
from typing import Any

import requests

from kiosk.config import Config
from sync.signing import Signer

log = logging.getLogger(__name__)

API = "/api/v1"
STALE = "stale timestamp"


class Delivery(enum.Enum):
    DELIVERED = "delivered"     # stored at the centre (new or a repeat): done
    TRANSIENT = "transient"     # try again later: network, timeouts, 5xx, 408, 429, not (yet) enrolled
    PERMANENT = "permanent"     # the centre refuses this application: a dead letter


@dataclasses.dataclass(frozen=True)
class PushResult:
    kind: Delivery
    case_number: str = ""       # the central case number, for an application
    error: str = ""
    unauthorised: bool = False  # 401: the kiosk's credential is missing or wrong, not this application


def signer_for(config: Config) -> Signer:
    """The credential from the configuration: credential_file wins, as it keeps the secret out of the environment."""
    credential = config.credential
    if config.credential_file:
        credential = Path(config.credential_file).read_text(encoding="utf-8").strip()
    if not credential:
        log.error("no credential configured (credential or credential_file): the centre will refuse this kiosk")
    return Signer(config.kiosk_id, credential)


def _date(reply: requests.Response) -> float | None:
    """The centre's clock from its Date header, if it sent a readable one."""
    try:
        return email.utils.parsedate_to_datetime(reply.headers["Date"]).timestamp()
    except (KeyError, TypeError, ValueError):
        return None


def _refusal(reply: requests.Response) -> str:
    """Why the centre refused, for logs and the dead letter: a validation error names each field and what is
    wrong with it, without the "input" the centre echoes back (a citizen's ID number or mobile)."""
    try:
        detail = reply.json()["detail"]
        if isinstance(detail, list):
            return "; ".join(f"{'.'.join(map(str, d['loc']))}: {d['msg']}" for d in detail)[:500]
    except (ValueError, KeyError, TypeError):
        pass
    return reply.text[:500]


class _Signed(requests.auth.AuthBase):
    def __init__(self, signer: Signer) -> None:
        self.signer = signer

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        request.headers.update(self.signer.headers(request.method or "GET", request.path_url,
                                                   body.encode() if isinstance(body, str) else body))
        return request


class CentreClient:
    def __init__(self, base_url: str, signer: Signer, timeout_s: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.signer = signer
        self.timeout_s = timeout_s
        self.http = requests.Session()
        self.http.auth = _Signed(signer)

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One signed request; if the centre finds our clock off, correct by its Date header and retry once."""
        reply = self.http.request(method, f"{self.base_url}{API}{path}", timeout=self.timeout_s, **kwargs)
        if reply.status_code == 401 and STALE in reply.text and (centre_time := _date(reply)) is not None:
            self.signer.offset_s = centre_time - time.time()
            log.warning("kiosk clock differs from the centre's by %.0f s; signing with the centre's time",
                        self.signer.offset_s)
            reply = self.http.request(method, f"{self.base_url}{API}{path}", timeout=self.timeout_s, **kwargs)
        return reply

    def push(self, payload: dict) -> PushResult:
        result, answer = self._store("/applications", payload, "case_number")
        return dataclasses.replace(result, case_number=str(answer["case_number"])) if answer else result

    def send_message(self, path: str, body: dict) -> PushResult:
        """Deliver a queued message (rating, complaint ...) to its collection, e.g. "/ratings"."""
        return self._store(path, body, "at")[0]

    def _store(self, path: str, body: dict, proof: str) -> tuple[PushResult, dict | None]:
        """POST something the centre stores once per key, and the centre's answer when it stored it. Only
        an answer holding `proof` counts as the centre's: anything else (a portal's 200) is asked again later."""
        try:
            reply = self.request("POST", path, json=body)
        except requests.RequestException as exc:      # refused, reset, timeout, TLS
            return PushResult(Delivery.TRANSIENT, error=type(exc).__name__), None
        if reply.status_code in (200, 201):
            try:
                answer = reply.json()
            except ValueError:
                answer = None
            if isinstance(answer, dict) and proof in answer:
                return PushResult(Delivery.DELIVERED), answer
            return PushResult(Delivery.TRANSIENT, error=f"HTTP {reply.status_code} without {proof}"), None
        if reply.status_code == 401:
            return PushResult(Delivery.TRANSIENT, error=f"HTTP 401: {reply.text[:200]}", unauthorised=True), None
        if reply.status_code >= 500 or reply.status_code in (408, 425, 429):
            return PushResult(Delivery.TRANSIENT, error=f"HTTP {reply.status_code}"), None
        return PushResult(Delivery.PERMANENT, error=f"HTTP {reply.status_code}: {_refusal(reply)}"), None

    def find(self, idempotency_key: str) -> dict | None:
        """The centre's record of one of our applications, or None if it never arrived."""
        reply = self.request("GET", "/applications", params={"idempotency_key": idempotency_key})
        if reply.status_code == 404:
            return None
        reply.raise_for_status()
        return reply.json()

    def catalog(self, etag: str | None) -> tuple[bytes, str] | None:
        """The catalog and its ETag, or None when our copy (etag) is current: usually a small 304."""
        reply = self.http.get(f"{self.base_url}{API}/catalog", timeout=self.timeout_s,
                              headers={"If-None-Match": etag} if etag else {})
        if reply.status_code == 304:
            return None
        reply.raise_for_status()
        return reply.content, reply.headers["ETag"]

    def status_changes(self, after: int) -> dict:
        """{"changes": [...], "last_id": n}: what happened to our cases since cursor `after`."""
        reply = self.request("GET", "/status-changes", params={"after": after})
        reply.raise_for_status()
        return reply.json()

    def heartbeat(self, report: dict) -> dict:
        """Send the report; the centre's answer carries settings an operator pushed to this kiosk."""
        reply = self.request("POST", "/heartbeats", json=report)
        reply.raise_for_status()
        try:
            answer = reply.json()
        except ValueError:
            return {}
        return answer if isinstance(answer, dict) else {}

    def progress(self, case_number: str, token: str) -> dict | None:
        """A citizen's progress query with the number and token from their receipt; None if not found."""
        reply = self.http.get(f"{self.base_url}{API}/progress/{requests.utils.quote(case_number, safe='')}",
                              params={"token": token}, timeout=self.timeout_s)
        if reply.status_code == 404:
            return None
        reply.raise_for_status()
        return reply.json()

    def reachable(self) -> bool:
        try:
            return self.http.get(f"{self.base_url}{API}/health", timeout=self.timeout_s).ok
        except requests.RequestException:
            return False

    def close(self) -> None:
        self.http.close()
