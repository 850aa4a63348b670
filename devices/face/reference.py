"""The reference face: the photo as the credential gave it, decoded to an image.

A resident ID card's chip stores its photo in WLT, a format only the reader vendor's library decodes.
That library is loaded through ctypes from the configured path (`wlt_library`), and called as the
vendors' Linux SDKs export it: `int unpack(char *wlt, char *bmp, int save_file)` fills a 102x126
24-bit BMP (38,862 bytes) and returns 1. Photos already in JPEG or PNG (the ID-card simulator's
cards, the centre's e-credential photos) are decoded directly.
"""
from __future__ import annotations

import ctypes
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devices.doccam import decode_image
from kiosk.face import NO_DECODER, NO_REFERENCE
from kiosk.outcome import Outcome

if TYPE_CHECKING:
    import numpy as np

WLT_SIZE = 1024
BMP_SIZE = 38862                # 54-byte header + 126 rows of 102 BGR pixels padded to 308 bytes
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
_MAX_PHOTO = 256 * 1024         # an e-credential photo larger than this is not a portrait


class WltLibrary:
    """The vendor's WLT decoder. Its calls are serialised: vendors' decoders keep static buffers."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._unpack: Any = None             # the library's unpack(), once loaded

    def _load(self) -> Outcome[Any]:
        if self._unpack is None:
            if not Path(self.path).is_file():
                return Outcome.failure(NO_DECODER, f"wlt_library {self.path!r}: no such file")
            try:
                unpack = ctypes.CDLL(self.path).unpack
            except (OSError, AttributeError) as exc:
                return Outcome.failure(NO_DECODER, f"wlt_library {self.path!r}: {exc}")
            unpack.argtypes = (ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int)
            unpack.restype = ctypes.c_int
            self._unpack = unpack
        return Outcome.success(self._unpack)

    def decode(self, wlt: bytes) -> Outcome[bytes]:
        """The BMP the library makes of a WLT photo."""
        loaded = self._load()
        if not loaded.ok:
            return loaded.forward()
        source, bmp = ctypes.create_string_buffer(wlt, WLT_SIZE), ctypes.create_string_buffer(BMP_SIZE)
        with self._lock:
            status = loaded.unwrap()(source, bmp, 0)
        if status != 1:
            return Outcome.failure(NO_REFERENCE, f"wlt_library unpack returned {status}")
        return Outcome.success(bmp.raw)


class ReferenceDecoder:
    """Credential photo bytes to a BGR image; wlt None when no vendor library is configured."""

    def __init__(self, wlt: WltLibrary | None = None) -> None:
        self.wlt = wlt

    def decode(self, photo: bytes) -> Outcome[np.ndarray]:
        if not photo.strip(b"\0") or len(photo) > _MAX_PHOTO:
            return Outcome.failure(NO_REFERENCE, f"no usable photo ({len(photo)} bytes)")
        if photo.startswith(_IMAGE_MAGIC):
            image = decode_image(photo, "credential photo")
            return image if image.ok else Outcome.failure(NO_REFERENCE, image.detail)
        if len(photo) != WLT_SIZE:
            return Outcome.failure(NO_REFERENCE, f"neither JPEG, PNG nor a {WLT_SIZE}-byte WLT ({len(photo)} bytes)")
        if self.wlt is None:
            return Outcome.failure(NO_DECODER, "a chip photo (WLT) and no wlt_library configured to decode it")
        bmp = self.wlt.decode(photo)
        if not bmp.ok:
            return bmp.forward()
        image = decode_image(bmp.unwrap(), "decoded WLT")
        return image if image.ok else Outcome.failure(NO_REFERENCE, image.detail)
