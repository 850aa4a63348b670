"""The kiosk's HTTP client for the central case store: one keep-alive session, signed requests, results as values.

TLS is verified against centre_ca_file (or the system's CAs). What changes the kiosk (the catalog, pushed
settings, the centre's time) is taken only from an answer signed by the pinned centre key; anything
else raises Unverified, which the worker reports as an alert.
"""
from __future__ import annotations

import dataclasses
import email.utils
import enum
import logging
import time
from collections.abc import Callable
from typing import Any

import requests

from kiosk.config import Config
from sync import identity, signing
from sync.signing import Signer

log = logging.getLogger(__name__)

API = "/api/v1"
Json = dict[str, Any]
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


class Unverified(requests.RequestException):
    """An answer that should change the kiosk is not signed by the pinned centre key: refused."""


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


def _object(reply: requests.Response) -> Json:
    """The answer's JSON object; ValueError for anything else (not the centre's answer)."""
    answer = reply.json()
    if not isinstance(answer, dict):
        raise ValueError(f"expected a JSON object, got {type(answer).__name__}")
    return answer


class _Signed(requests.auth.AuthBase):
    def __init__(self, signer: Signer) -> None:
        self.signer = signer

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        request.headers.update(self.signer.headers(request.method or "GET", request.path_url,
                                                   body.encode() if isinstance(body, str) else body))
        return request


class _Session(requests.Session):
    """A session whose own CA file holds: requests otherwise lets REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE in the
    environment replace it, and the kiosk would trust whatever that bundle trusts."""

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("verify", self.verify)
        return super().request(method, url, *args, **kwargs)


class CentreClient:
    """centre_key gives the pinned centre key's text when asked (enrolment may pin it while we run);
    on_centre_time hears the centre's time from each verified answer; upgrade moves an HMAC-enrolled
    kiosk to its own key before its first request."""

    def __init__(self, base_url: str, signer: Signer, timeout_s: float = 10.0, ca_file: str = "",
                 centre_key: Callable[[], str] = lambda: "",
                 on_centre_time: Callable[[float], None] | None = None,
                 upgrade: Callable[[Signer, requests.Session], None] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.signer = signer
        self.timeout_s = timeout_s
        self.centre_key = centre_key
        self.on_centre_time = on_centre_time
        self.upgrade = upgrade
        self.http = _Session()
        self.http.verify = ca_file or True
        self.http.auth = _Signed(signer)

    def verified(self, reply: requests.Response) -> bool:
        """Whether the pinned centre key signed this answer to this request (its nonce, path, status, Date, body)."""
        key_text = self.centre_key()
        if not key_text:
            log.error("no centre_public_key pinned: the centre's catalog, settings and time are refused")
            return False
        sent = reply.request
        message = signing.answer_message(str(sent.headers.get(signing.NONCE_HEADER, "")), sent.method or "",
                                         sent.path_url, reply.status_code, reply.headers.get("Date", ""),
                                         reply.content)
        try:
            good = signing.verifies(signing.public_key(key_text),
                                    reply.headers.get(signing.CENTRE_SIGNATURE_HEADER, ""), message)
        except signing.BadKey:
            good = False
        if good and self.on_centre_time is not None and (centre_time := _date(reply)) is not None:
            self.on_centre_time(centre_time)
        return good

    def _verified(self, reply: requests.Response, what: str) -> requests.Response:
        if not self.verified(reply):
            log.error("%s refused: the answer is not signed by the centre's key (a proxy or impostor on the path?)",
                      what)
            raise Unverified(f"{what}: answer not signed by the centre", response=reply)
        return reply

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One signed request; if the centre finds our clock off, correct by its Date header and retry once."""
        if self.upgrade is not None and self.signer.key is None:
            self.upgrade(self.signer, self.http)
        reply = self.http.request(method, f"{self.base_url}{API}{path}", timeout=self.timeout_s, **kwargs)
        if reply.status_code == 401 and STALE in reply.text and (centre_time := _date(reply)) is not None:
            self.signer.offset_s = centre_time - time.time()
            log.warning("kiosk clock differs from the centre's by %.0f s; signing with the centre's time",
                        self.signer.offset_s)
            reply = self.http.request(method, f"{self.base_url}{API}{path}", timeout=self.timeout_s, **kwargs)
        return reply

    def push(self, payload: Json) -> PushResult:
        result, answer = self._store("/applications", payload, "case_number")
        return dataclasses.replace(result, case_number=str(answer["case_number"])) if answer else result

    def send_message(self, path: str, body: Json) -> PushResult:
        """Deliver a queued message (rating, complaint ...) to its collection, e.g. "/ratings"."""
        return self._store(path, body, "at")[0]

    def _store(self, path: str, body: Json, proof: str) -> tuple[PushResult, Json | None]:
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

    def find(self, idempotency_key: str) -> Json | None:
        """The centre's record of one of our applications, or None if it never arrived."""
        reply = self.request("GET", "/applications", params={"idempotency_key": idempotency_key})
        if reply.status_code == 404:
            return None
        reply.raise_for_status()
        return _object(reply)

    def catalog(self, etag: str | None) -> tuple[bytes, str] | None:
        """The catalog and its ETag, or None when our copy (etag) is current: usually a small 304."""
        reply = self._verified(self.request("GET", "/catalog", headers={"If-None-Match": etag} if etag else {}),
                               "catalog")
        if reply.status_code == 304:
            return None
        reply.raise_for_status()
        return reply.content, reply.headers["ETag"]

    def document_certificate(self) -> bytes:
        """The centre's document-signing certificate (PEM), taken only from an answer its pinned key signed."""
        reply = self._verified(self.request("GET", "/document-certificate"), "document certificate")
        reply.raise_for_status()
        return str(_object(reply)["certificate"]).encode("ascii")

    def status_changes(self, after: int) -> Json:
        """{"changes": [...], "last_id": n}: what happened to our cases since cursor `after`."""
        reply = self.request("GET", "/status-changes", params={"after": after})
        reply.raise_for_status()
        return _object(reply)

    def heartbeat(self, report: Json) -> Json:
        """Send the report; the centre's answer carries settings an operator pushed to this kiosk."""
        reply = self.request("POST", "/heartbeats", json=report)
        reply.raise_for_status()
        self._verified(reply, "heartbeat answer (pushed settings)")
        try:
            answer = reply.json()
        except ValueError:
            return {}
        return answer if isinstance(answer, dict) else {}

    def progress(self, case_number: str, token: str) -> Json | None:
        """A citizen's progress query with the number and token from their receipt; None if not found.
        The token goes in the body: a receipt's token belongs in no URL (access logs keep URLs)."""
        reply = self.http.post(f"{self.base_url}{API}/progress", json={"case_number": case_number, "token": token},
                               timeout=self.timeout_s)
        if reply.status_code == 404:
            return None
        reply.raise_for_status()
        return _object(reply)

    def reachable(self) -> bool:
        try:
            return self.http.get(f"{self.base_url}{API}/health", timeout=self.timeout_s).ok
        except requests.RequestException:
            return False

    def close(self) -> None:
        self.http.close()


def client_for(config: Config, timeout_s: float = 10.0,
               on_centre_time: Callable[[float], None] | None = None) -> CentreClient:
    """The client as configured: the kiosk's key (or its credential, upgraded on first contact), the CA,
    the pinned centre key."""
    return CentreClient(config.centre_url, identity.signer_for(config), timeout_s, config.centre_ca_file,
                        centre_key=lambda: identity.centre_key_text(config), on_centre_time=on_centre_time,
                        upgrade=lambda signer, http: identity.upgrade(config, signer, http))
