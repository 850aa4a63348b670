"""The outbox's key file and AES-GCM sealing: a kiosk.db copied off a kiosk does not give away citizens' data.

On a kiosk the file lives in secrets_dir (`for_config`), apart from the data directory, so a copy of
kiosk.db, or of the whole data directory, opens nothing; a key file an older version left beside
kiosk.db is moved there at start-up. Tests and tools without a configuration keep it beside kiosk.db.
It is readable by the kiosk's user only, one key per line ("id base64"), newest last; the newest
seals, every listed key opens. Rotation appends a key, re-seals the queue and
then drops keys no row uses. Processes that share the data directory notice a rewritten file by its
stat, so none keeps sealing with a key that rotation has dropped.
"""
from __future__ import annotations

import base64
import binascii
import logging
import os
import secrets
import stat
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk import atomic

log = logging.getLogger(__name__)

KEY_FILE = "outbox.key"
MAGIC = b"K24S1"            # format of a sealed value: MAGIC | key id (8 bytes) | nonce (12) | ciphertext+tag
_ID_BYTES, _NONCE_BYTES = 8, 12


class KeyringError(Exception):
    """The key file is unusable, or a value cannot be opened with any key it holds."""


class Keyring:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.keys: dict[bytes, bytes] = {}
        self._stamp: tuple[int, int, int] | None = None
        self.refresh()

    @classmethod
    def load_or_create(cls, path: Path) -> Keyring:
        """The keyring at path; on a kiosk's first start, a new file with one fresh key."""
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                atomic.write(path, cls._line(secrets.token_bytes(_ID_BYTES), AESGCM.generate_key(256)), replace=False)
                log.info("created the outbox key file %s", path)
            except FileExistsError:
                pass                        # another kiosk24 process on this data directory was first
        return cls(path)

    @classmethod
    def for_config(cls, secrets_dir: Path, data_dir: Path) -> Keyring:
        """The kiosk's keyring in secrets_dir. Keys an older version kept beside kiosk.db move there first
        (merged ahead of any already there, whose newest stays the one that seals), then leave data_dir."""
        path, old = secrets_dir / KEY_FILE, data_dir / KEY_FILE
        secrets_dir.mkdir(parents=True, exist_ok=True, mode=0o700)      # the kiosk's user only, from the first start
        if old.exists() and old.resolve() != path.resolve():
            try:
                moved = cls(old).keys
            except KeyringError:
                if old.exists():
                    raise
                moved = {}                  # another process of this kiosk moved it just now
            kept = cls(path).keys if path.exists() else {}
            merged = {**{k: v for k, v in moved.items() if k not in kept}, **kept}
            if merged:
                atomic.write(path, "".join(cls._line(k, v) for k, v in merged.items()))
            old.unlink(missing_ok=True)
            log.warning("moved the outbox key from %s to %s: the data directory no longer holds it", old, path)
        return cls.load_or_create(path)

    @property
    def current(self) -> bytes:
        return next(reversed(self.keys))

    @property
    def current_id(self) -> str:
        return self.current.hex()

    def refresh(self) -> None:
        """Reread the file if another process (a rotation) replaced it since we read it."""
        try:
            info = self.path.stat()
        except OSError as exc:
            raise KeyringError(f"key file {self.path}: {exc.strerror}") from exc
        stamp = (info.st_ino, info.st_mtime_ns, info.st_size)
        if stamp == self._stamp:
            return
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            log.warning("key file %s was readable by others; restricting it to its owner", self.path)
            os.chmod(self.path, 0o600)
        try:
            self.keys = self._parse(self.path.read_bytes().decode("ascii"))
        except UnicodeDecodeError as exc:
            raise KeyringError(f"key file {self.path} is not text") from exc
        self._stamp = stamp

    def _parse(self, text: str) -> dict[bytes, bytes]:
        keys = {}
        for number, line in enumerate(text.splitlines(), 1):
            try:
                hex_id, encoded = line.split()
                key_id, key = bytes.fromhex(hex_id), base64.b64decode(encoded, validate=True)
            except (ValueError, binascii.Error) as exc:
                raise KeyringError(f"key file {self.path}, line {number}: not 'id base64-key'") from exc
            if len(key_id) != _ID_BYTES or len(key) != 32:
                raise KeyringError(f"key file {self.path}, line {number}: wrong key or id length")
            keys[key_id] = key
        if not keys:
            raise KeyringError(f"key file {self.path} holds no key")
        return keys

    @staticmethod
    def _line(key_id: bytes, key: bytes) -> str:
        return f"{key_id.hex()} {base64.b64encode(key).decode('ascii')}\n"

    def seal(self, data: bytes, context: str) -> bytes:
        """Encrypt with the newest key; context (the row and column) is authenticated, so values cannot be swapped."""
        self.refresh()
        nonce = secrets.token_bytes(_NONCE_BYTES)
        key_id = self.current
        return MAGIC + key_id + nonce + AESGCM(self.keys[key_id]).encrypt(nonce, data, context.encode())

    def open(self, sealed: bytes, context: str) -> bytes:
        if not sealed.startswith(MAGIC):
            raise KeyringError("not a sealed value")
        key_id = sealed[len(MAGIC):len(MAGIC) + _ID_BYTES]
        if key_id not in self.keys:
            self.refresh()
        if key_id not in self.keys:
            raise KeyringError(f"sealed with key {key_id.hex()}, which {self.path} does not hold")
        nonce_at = len(MAGIC) + _ID_BYTES
        nonce, body = sealed[nonce_at:nonce_at + _NONCE_BYTES], sealed[nonce_at + _NONCE_BYTES:]
        try:
            return AESGCM(self.keys[key_id]).decrypt(nonce, body, context.encode())
        except InvalidTag as exc:
            raise KeyringError(f"sealed value for {context} is damaged or belongs elsewhere") from exc

    def add_key(self) -> None:
        """Rotation, step one: a new newest key, the old ones kept so everything still opens."""
        self.refresh()
        self.keys[secrets.token_bytes(_ID_BYTES)] = AESGCM.generate_key(256)
        self._save()

    def keep_only(self, used: set[str]) -> list[str]:
        """Rotation, last step: drop keys that seal nothing any more; returns the dropped ids."""
        self.refresh()
        dropped = [k.hex() for k in self.keys if k != self.current and k.hex() not in used]
        if dropped:
            self.keys = {k: v for k, v in self.keys.items() if k == self.current or k.hex() in used}
            self._save()
        return dropped

    def _save(self) -> None:
        atomic.write(self.path, "".join(self._line(k, v) for k, v in self.keys.items()))
        self._stamp = None
        self.refresh()
