"""The catalog as last pulled from the centre, kept under data_dir so the next start serves it.

Written only after the kiosk's own parser accepted it, each file replaced in one step, the document
before its ETag: a crash leaves either the old pair or a new document with an old ETag, which the
next pull simply fetches again.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

from kiosk import atomic, catalog

log = logging.getLogger(__name__)


class CatalogCache:
    def __init__(self, directory: Path) -> None:
        self.document = directory / "catalog.json"
        self.etag_file = directory / "catalog.etag"

    def etag(self) -> str | None:
        try:
            return self.etag_file.read_text(encoding="ascii").strip() or None
        except (OSError, UnicodeDecodeError):
            return None

    def store(self, data: bytes, etag: str) -> None:
        """Keep a catalog the centre sent; raises catalog.CatalogError (a ValueError) if the kiosk cannot use it."""
        catalog.parse(json.loads(data))
        self.document.parent.mkdir(parents=True, exist_ok=True)
        atomic.write(self.document, data)
        atomic.write(self.etag_file, etag.encode("ascii"))
        log.info("stored a new catalog from the centre (%s)", etag)

    def load(self) -> catalog.Catalog | None:
        """The cached catalog, or None when there is none or it is unreadable (then the bundled one serves)."""
        try:
            return catalog.parse(json.loads(self.document.read_bytes()))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.error("cached catalog %s is unusable, using the bundled one: %s", self.document, exc)
            return None


def current_catalog(catalog_path: str, data_dir: Path) -> catalog.Catalog:
    """The catalog a kiosk serves: a configured file, else the one last pulled from the centre, else the bundled one."""
    if catalog_path:
        return catalog.load(Path(catalog_path))
    return CatalogCache(data_dir).load() or catalog.load()
