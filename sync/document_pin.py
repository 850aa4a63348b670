"""`kiosk24 verify FILE.pdf`: is a printed document's PDF the centre's, unchanged? Checked offline against
the pinned document certificate (sync/document_signature.py).

The certificate is the configured `centre_document_certificate`, else secrets_dir/centre-documents.pem.
When neither exists yet, it is fetched once from the centre in an answer the pinned centre key signed
(so a proxy cannot slip in its own) and kept there; from then on no network is needed.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

import requests

from kiosk.config import Config
from sync.client import Unverified, client_for
from sync.document_signature import MAX_PDF_BYTES, Verdict, fingerprint, verify

CERTIFICATE_FILE = "centre-documents.pem"
EXIT = {Verdict.VALID: 0, Verdict.TAMPERED: 1, Verdict.UNKNOWN_SIGNER: 1, Verdict.UNSIGNED: 1}
NO_CERTIFICATE = 3


def certificate_path(config: Config) -> Path:
    if config.centre_document_certificate:
        return Path(config.centre_document_certificate)
    return config.secrets_path / CERTIFICATE_FILE


def pinned(config: Config) -> bytes | None:
    try:
        return certificate_path(config).read_bytes()
    except FileNotFoundError:
        return None


def pin_from_centre(config: Config) -> bytes:
    """Fetch the certificate in a centre-signed answer and keep it (0600) where pinned() looks."""
    client = client_for(config, timeout_s=5.0)
    try:
        pem = client.document_certificate()
    finally:
        client.close()
    fingerprint(pem)                  # ValueError unless it is a certificate
    path = certificate_path(config)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return pem


def arguments(parser: argparse.ArgumentParser,
              with_config: Callable[[argparse.ArgumentParser], argparse.ArgumentParser]) -> None:
    with_config(parser).add_argument("pdf", metavar="FILE.pdf", type=Path, help="the document's PDF")
    parser.add_argument("--certificate", metavar="PEM", type=Path,
                        help="check against this certificate instead of the pinned one")
    parser.set_defaults(handler=run, needs_config=True)


def run(args: argparse.Namespace, config: Config) -> int:
    """Prints valid, tampered, unknown signer or unsigned; exit 0 only for valid."""
    try:
        with args.pdf.open("rb") as source:
            pdf = source.read(MAX_PDF_BYTES + 1)
    except OSError as exc:
        print(f"kiosk24 verify: {args.pdf}: {exc.strerror}", file=sys.stderr)
        return 2
    certificate = args.certificate.read_bytes() if args.certificate else pinned(config)
    if certificate is None:
        try:
            certificate = pin_from_centre(config)
        except (requests.RequestException, Unverified, ValueError, KeyError, OSError) as exc:
            print(f"kiosk24 verify: no document certificate pinned at {certificate_path(config)}, and the centre "
                  f"did not give one ({type(exc).__name__}): set centre_document_certificate", file=sys.stderr)
            return NO_CERTIFICATE
        print(f"pinned the centre's document certificate (SHA-256 {fingerprint(certificate)})", file=sys.stderr)
    verdict = verify(pdf, certificate)
    print(verdict.value)
    return EXIT[verdict]
