"""`kiosk24 casestore issue-credential`: the centre signs an electronic identity credential (电子身份凭证).

The centre keeps an Ed25519 private key (created on first use, readable by its owner only); kiosks are
configured with its public key (`ecredential_public_keys`), which this command prints, and verify
codes offline. In production the government service platform issues these to citizens' phones; the
command is the centre's reference implementation, for demos, tests and acceptance checks.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, load_pem_private_key

from kiosk import atomic, ecredential, idnumber
from kiosk.identity import CardType, Identity, Sex

DEFAULT_MINUTES = 10     # a code on a phone is refreshed often: a screenshot passed on is soon worthless


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The signing key at path; a new one there (mode 0600) when the file does not exist yet.

    Workers starting at once may all find no file: only the first one's key is put in place, and the
    others then load that one, whole, never a half-written file."""
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        try:
            atomic.write(path, key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()), replace=False)
            return key
        except FileExistsError:
            pass
    loaded = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ValueError(f"{path}: not an Ed25519 private key")
    return loaded


def holder(name: str, number: str) -> Identity:
    """A resident's identity from their name and ID number (sex and birth date as the number encodes them)."""
    problem = idnumber.problem(number)
    if problem:
        raise ValueError(f"--id-number: not a valid resident ID number ({problem})")
    number = idnumber.normalise(number)
    return Identity(name=name, id_number=number, card_type=CardType.RESIDENT,
                    sex=Sex.MALE if int(number[16]) % 2 else Sex.FEMALE,
                    birth_date=dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])))


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    if parser is None:
        parser = argparse.ArgumentParser(prog="python -m sync.casestore.issue_credential", description=__doc__)
    parser.add_argument("--key", type=Path, required=True, help="the centre's signing key (PEM; created if missing)")
    parser.add_argument("--public-key", action="store_true",
                        help="print only the public key kiosks are configured with")
    parser.add_argument("--name", help="the holder's name")
    parser.add_argument("--id-number", help="the holder's resident ID number")
    parser.add_argument("--minutes", type=int, default=DEFAULT_MINUTES,
                        help=f"how long the code is valid (default {DEFAULT_MINUTES})")
    parser.add_argument("--qr", type=Path, help="also write the code as a PNG here")
    return parser


def run(args: argparse.Namespace) -> int:
    try:
        key = load_or_create_key(args.key)
        public = ecredential.public_key_text(key.public_key())
        if args.public_key:
            print(public)
            return 0
        if not args.name or not args.name.strip() or not args.id_number:
            raise ValueError("--name and --id-number are needed to issue a credential")
        if not 1 <= args.minutes <= 24 * 60:
            raise ValueError("--minutes: between 1 and 1440")
        now = dt.datetime.now(dt.UTC)
        payload = ecredential.issue(key, holder(args.name.strip(), args.id_number), now,
                                    dt.timedelta(minutes=args.minutes))
    except (ValueError, OSError) as exc:
        print(f"kiosk24: {exc}", file=sys.stderr)
        return 2
    if args.qr:
        import qrcode
        qrcode.make(payload).save(args.qr)
    print(json.dumps({"payload": payload, "public_key": public,
                      "key_id": ecredential.key_id(key.public_key()),
                      "expires_at": (now + dt.timedelta(minutes=args.minutes)).isoformat(timespec="seconds")},
                     ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
