"""PDF signatures on the centre's certified documents: made at the centre, checked anywhere.

The centre signs each document as PAdES (an ETSI.CAdES.detached CMS signature inside the PDF, PAdES
B-B) with its document-signing key, an ECDSA P-256 key with a self-signed X.509 certificate. Not the
Ed25519 key that signs the centre's answers: PDF readers in use (Adobe, Foxit, pdf.js, pyHanko) check
RSA and ECDSA signatures, few check EdDSA. Kiosks and anyone who verifies pin that certificate, as
kiosks pin the centre's answer key.

A document is genuine when its one signature is intact, made by the pinned certificate, and covers
the whole file: a changed byte breaks the digest, and anything appended after signing (an
incremental update that changes what is shown) leaves the signature covering less than the file.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import enum
import hashlib
import io
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk import atomic

CERTIFICATE_YEARS = 10
SIGNATURE_FIELD = "CentreSeal"
MAX_PDF_BYTES = 8 * 1024 * 1024


class Verdict(enum.Enum):
    VALID = "valid"
    TAMPERED = "tampered"                  # changed after signing, or not a PDF that can be read
    UNKNOWN_SIGNER = "unknown signer"      # intact, but not signed by the pinned certificate
    UNSIGNED = "unsigned"                  # no signature at all


@contextlib.contextmanager
def _pyhanko() -> Iterator[None]:
    """pyHanko imports cryptography's DSA, which warns at import; the warning is about DSA, unused here."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="DSA is deprecated")
        yield


def new_certificate(key: ec.EllipticCurvePrivateKey, issuer: str, now: dt.datetime) -> x509.Certificate:
    """A self-signed document-signing certificate naming the issuing centre."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{issuer} document signing"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, issuer)])
    usage = x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=False,
                          encipher_only=False, decipher_only=False)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365 * CERTIFICATE_YEARS))
            .add_extension(usage, critical=True)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(key, hashes.SHA256()))


class DocumentKey:
    """The centre's document-signing key and certificate (PEM files, the key 0600), made on first use."""

    def __init__(self, key_pem: bytes, certificate_pem: bytes) -> None:
        self.key_pem = key_pem
        self.certificate_pem = certificate_pem

    @classmethod
    def load_or_create(cls, key_path: Path, issuer: str) -> DocumentKey:
        """The key at key_path with its certificate beside it (same name, .pem); both made if missing.

        Workers starting at once (`serve --workers N`) may all find no files: each file is written whole
        and linked into place only if none is there (kiosk.atomic), so one key wins and every worker loads
        it; each then makes a certificate from that key and one of those wins, so whichever certificate is
        in place is the winning key's. A certificate left from another key is refused, never used."""
        if not key_path.exists():
            pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            with contextlib.suppress(FileExistsError):      # another server process made it first
                atomic.write(key_path, pem, replace=False)
        key_pem = key_path.read_bytes()
        key = serialization.load_pem_private_key(key_pem, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError(f"{key_path}: not an ECDSA key")
        cert_path = certificate_path(key_path)
        if not cert_path.exists():
            cert = new_certificate(key, issuer, dt.datetime.now(dt.UTC))
            with contextlib.suppress(FileExistsError):      # another process made one from the same key first
                atomic.write(cert_path, cert.public_bytes(serialization.Encoding.PEM), replace=False)
        certificate_pem = cert_path.read_bytes()
        if x509.load_pem_x509_certificate(certificate_pem).public_key() != key.public_key():
            raise ValueError(f"{cert_path}: the certificate is not {key_path.name}'s; move it away to make a new one")
        return cls(key_pem, certificate_pem)

    def sign(self, pdf: bytes, reason: str, location: str) -> bytes:
        """The PDF with the centre's PAdES signature appended as an incremental update."""
        with _pyhanko():
            from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
            from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
            from pyhanko.sign import fields, signers
            from pyhanko_certvalidator.registry import SimpleCertificateStore
        certificate = next(iter(load_certs_from_pemder_data(self.certificate_pem)))
        signer = signers.SimpleSigner(signing_cert=certificate,
                                      cert_registry=SimpleCertificateStore.from_certs([certificate]),  # type: ignore[no-untyped-call]
                                      signing_key=load_private_key_from_pemder_data(self.key_pem, None))
        meta = signers.PdfSignatureMetadata(field_name=SIGNATURE_FIELD, md_algorithm="sha256",
                                            subfilter=fields.SigSeedSubFilter.PADES, reason=reason,
                                            location=location)
        out = io.BytesIO()
        signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False), meta, signer=signer, output=out)
        return out.getvalue()


def certificate_path(key_path: Path) -> Path:
    return key_path.with_suffix(".pem")


def fingerprint(certificate_pem: bytes) -> str:
    """SHA-256 of the certificate's DER, hex: what an operator compares when pinning it by hand."""
    der = x509.load_pem_x509_certificate(certificate_pem).public_bytes(serialization.Encoding.DER)
    return hashlib.sha256(der).hexdigest()


def verify(pdf: bytes, pinned_certificate_pem: bytes) -> Verdict:
    """Whether pdf is a genuine document of the centre whose certificate is pinned; offline, no network."""
    with _pyhanko():
        from pyhanko.pdf_utils.misc import PdfError
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko.sign.validation.errors import SignatureValidationError
        from pyhanko.sign.validation.status import SignatureCoverageLevel
        from pyhanko_certvalidator import ValidationContext
    pinned = x509.load_pem_x509_certificate(pinned_certificate_pem).public_bytes(serialization.Encoding.DER)
    if len(pdf) > MAX_PDF_BYTES:
        return Verdict.TAMPERED
    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
        if not signatures:
            return Verdict.UNSIGNED
        if len(signatures) > 1:
            return Verdict.TAMPERED         # the centre signs once; a second signature is someone else's change
        embedded = signatures[0]
        if embedded.signer_cert.dump() != pinned:
            return Verdict.UNKNOWN_SIGNER
        trust: Any = ValidationContext(trust_roots=[embedded.signer_cert], allow_fetching=False)
        status = validate_pdf_signature(embedded, trust)
    except (PdfError, SignatureValidationError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return Verdict.TAMPERED             # unreadable structure: a change broke the file
    if status.intact and status.valid and status.coverage is SignatureCoverageLevel.ENTIRE_FILE:
        return Verdict.VALID
    return Verdict.TAMPERED
