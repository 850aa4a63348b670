"""The kiosk's identity towards the centre: its own Ed25519 key, the centre key it pins, and the two
ways of getting both, kept in secrets_dir (apart from data_dir) and readable by the kiosk's user only.

- `kiosk24 enrol CODE`: a new kiosk makes its key and registers the public half with the one-time code
  the operator read out (`kiosk24 casestore enrol`); the centre answers with its public key and a
  proof made with the code, which the kiosk checks before pinning that key.
- A kiosk enrolled before keys existed holds an HMAC credential: on its first contact it makes its
  key and registers it in one request signed with the credential (`upgrade`); the centre deletes the
  credential, proves its key with it, and from then on the kiosk signs with its key only.
"""
from __future__ import annotations

import argparse
import hmac
import json
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk import atomic
from kiosk.config import Config
from kiosk.technician import CENTRE_TIME_FILE, CentreTime, TokenGate
from sync import signing

log = logging.getLogger(__name__)

KEY_FILE = "kiosk.key"
CENTRE_KEY_FILE = "centre.pub"
API = "/api/v1"
TIMEOUT_S = 10.0


class EnrolmentError(requests.RequestException):
    """The centre refused the enrolment, or what it answered cannot be trusted; the message says which. A
    request error, so a failed move to a key is retried like any failed request, never a crash."""


def write_secret(path: Path, text: str, replace: bool = True) -> None:
    """A secret in its own directory, which only the kiosk's user may list (see atomic.write)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic.write(path, text, replace=replace)


def key_path(config: Config) -> Path:
    return config.secrets_path / KEY_FILE


def load_key(path: Path) -> Ed25519PrivateKey | None:
    try:
        return signing.private_key(path.read_text(encoding="ascii"))
    except FileNotFoundError:
        return None


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The key at path, made there first if need be; two processes starting at once end with one key."""
    key = load_key(path)
    if key is not None:
        return key
    try:
        write_secret(path, signing.private_pem(Ed25519PrivateKey.generate()), replace=False)
        log.info("made this kiosk's key %s", path)
    except FileExistsError:
        pass
    key = load_key(path)
    assert key is not None
    return key


def legacy_credential(config: Config) -> str:
    """credential_file wins over credential, as it keeps the secret out of the environment."""
    if config.credential_file:
        try:
            return Path(config.credential_file).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return ""           # a kiosk enrolled with a code has none
    return config.credential


def signer_for(config: Config) -> signing.Signer:
    """The kiosk's key if it has one; else the credential configured (a PEM key in the demo and tests,
    or an HMAC credential still to be upgraded)."""
    key = load_key(key_path(config))
    if key is not None:
        return signing.Signer(config.kiosk_id, key=key)
    credential = legacy_credential(config)
    if not credential:
        log.error("this kiosk has no key (kiosk24 enrol CODE) and no credential: the centre will refuse it")
    return signing.Signer(config.kiosk_id, credential)


def centre_key_text(config: Config) -> str:
    """The pinned centre key: the configured one, else the one enrolment stored."""
    if config.centre_public_key:
        return config.centre_public_key.strip()
    try:
        return (config.secrets_path / CENTRE_KEY_FILE).read_text(encoding="ascii").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        return ""


def token_gate(config: Config) -> TokenGate:
    """Technicians' QR tokens as this kiosk takes them: the pinned centre key, the centre's time."""
    return TokenGate(config.data_dir, config.kiosk_id, lambda: centre_key_text(config),
                     CentreTime(config.data_dir / CENTRE_TIME_FILE))


def _pin(config: Config, answer: object, secret: str) -> None:
    """Check the centre's proof of its key with the secret the kiosk used, and keep the key."""
    if not isinstance(answer, dict) or not isinstance(answer.get("centre_public_key"), str):
        raise EnrolmentError("the centre's answer holds no key")
    centre = answer["centre_public_key"]
    expected = signing.key_proof(secret, config.kiosk_id, centre)
    if not hmac.compare_digest(expected, str(answer.get("proof", ""))):
        raise EnrolmentError("the centre's key comes without a valid proof: not the centre, or a changed answer")
    if config.centre_public_key and config.centre_public_key.strip() != centre:
        raise EnrolmentError("the centre answered with a key other than centre_public_key")
    signing.public_key(centre)
    write_secret(config.secrets_path / CENTRE_KEY_FILE, centre + "\n")


def _verify(config: Config) -> bool | str:
    return config.centre_ca_file or True


def enrol(config: Config, code: str) -> str:
    """Make a new key, register it with the code, pin the centre's key; the centre's key, for the log."""
    key = Ed25519PrivateKey.generate()
    body = {"kiosk_id": config.kiosk_id, "code": code, "public_key": signing.public_text(key.public_key())}
    try:
        reply = requests.post(f"{config.centre_url.rstrip('/')}{API}/enrolments", json=body, timeout=TIMEOUT_S,
                              verify=_verify(config))
    except requests.RequestException as exc:
        raise EnrolmentError(f"the centre cannot be reached: {type(exc).__name__}") from exc
    if reply.status_code != 200:
        raise EnrolmentError(f"the centre refused the enrolment: HTTP {reply.status_code} {reply.text[:200]}")
    _pin(config, reply.json(), code)
    write_secret(key_path(config), signing.private_pem(key))
    return centre_key_text(config)


_upgrading = threading.Lock()


def upgrade(config: Config, signer: signing.Signer, http: requests.Session) -> None:
    """Before a request of a kiosk without a key: take the key `kiosk24 enrol` made meanwhile, or move an
    HMAC-enrolled kiosk to its own key: one request signed with the credential. Afterwards
    the signer holds the key, also when another process of this kiosk moved first (the centre then
    answers 401 or 409 and the key file is already there)."""
    with _upgrading:
        if signer.key is not None:
            return
        if not signer.credential:           # not enrolled when we started: perhaps `kiosk24 enrol` ran since
            signer.key = load_key(key_path(config))
            return
        existed = key_path(config).exists()
        key = load_or_create_key(key_path(config))
        body = json.dumps({"public_key": signing.public_text(key.public_key())}).encode()
        path = f"{API}/kiosk-keys"
        headers = {**signer.headers("POST", path, body), "Content-Type": "application/json"}
        reply = http.post(f"{config.centre_url.rstrip('/')}{path}", data=body, headers=headers, timeout=TIMEOUT_S)
        if reply.status_code == 200:
            _pin(config, reply.json(), signer.credential)
            log.warning("this kiosk now signs with its own key %s; its old credential is deleted at the centre "
                        "and can be removed from the configuration", key_path(config))
        elif reply.status_code in (401, 409) and (existed or centre_key_text(config)):
            log.info("this kiosk's key was registered already")
        else:
            raise EnrolmentError(f"the centre refused the kiosk's key: HTTP {reply.status_code}")
        signer.key, signer.credential = key, ""


def arguments(parser: argparse.ArgumentParser, with_config: Callable[[argparse.ArgumentParser],
                                                                     argparse.ArgumentParser]) -> None:
    with_config(parser).add_argument("code", metavar="CODE", help="the one-time code from `kiosk24 casestore enrol`")
    parser.set_defaults(handler=run, needs_config=True)


def run(args: argparse.Namespace, config: Config) -> int:
    """`kiosk24 enrol CODE`."""
    try:
        centre = enrol(config, args.code.strip())
    except (EnrolmentError, ValueError) as exc:
        print(f"kiosk24: enrolment failed: {exc}", file=sys.stderr)
        return 1
    print(f"enrolled {config.kiosk_id}: key {key_path(config)}, centre key {centre} pinned")
    return 0
