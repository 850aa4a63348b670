"""The service catalog kiosks pull: the operator's file, checked with the kiosk's own parser, with an ETag."""
from __future__ import annotations

import hashlib
import json
import logging
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Response, status

from kiosk import catalog as catalog_model

log = logging.getLogger(__name__)


class CatalogUnavailable(Exception):
    """The catalog file is missing or would be rejected by the kiosks."""


class CatalogFile:
    """The catalog document for kiosks, re-read per request so an operator can replace the file.

    The bytes are served unchanged so the ETag names exactly what the kiosk caches; they are
    checked with the kiosk's own parser first, because a catalog the kiosks reject must not spread.
    """

    def __init__(self, path: Path | None) -> None:
        self._source: Traversable | Path = path or resources.files("kiosk").joinpath("data/catalog.json")
        self._checked_etag = ""

    def read(self) -> tuple[bytes, str]:
        try:
            data = self._source.read_bytes()
        except OSError as exc:
            raise CatalogUnavailable(f"catalog file cannot be read: {exc.strerror}") from exc
        etag = f'"{hashlib.sha256(data).hexdigest()}"'
        if etag != self._checked_etag:
            self._check(data)
            self._checked_etag = etag
        return data, etag

    @staticmethod
    def _check(data: bytes) -> None:
        try:
            document = json.loads(data)
            if not isinstance(document, dict):
                raise catalog_model.CatalogError("catalog is not a JSON object")
            catalog_model.parse(document)
        except ValueError as exc:  # JSON, encoding and CatalogError are all ValueErrors
            raise CatalogUnavailable(f"catalog rejected: {exc}") from exc


def etag_matches(if_none_match: str, etag: str) -> bool:
    """If-None-Match compares weakly (RFC 9110 13.1.2): a W/ prefix does not matter, * matches all."""
    candidates = [candidate.strip() for candidate in if_none_match.split(",")]
    return "*" in candidates or any(candidate.removeprefix("W/") == etag for candidate in candidates)


def router(catalog_path: Path | None) -> APIRouter:
    """GET /api/v1/catalog, open to any caller: the catalog holds nothing secret."""
    api = APIRouter(prefix="/api/v1")
    catalog = CatalogFile(catalog_path)

    @api.get(
        "/catalog",
        response_class=Response,
        responses={
            200: {"content": {"application/json": {}}, "description": "The service catalog, with a strong ETag."},
            304: {"description": "The kiosk's copy (If-None-Match) is current."},
            503: {"description": "The catalog file is missing or invalid."},
        },
    )
    def get_catalog(if_none_match: Annotated[str | None, Header(max_length=4096)] = None) -> Response:
        """The service catalog; kiosks revalidate with If-None-Match and usually get 304."""
        try:
            data, etag = catalog.read()
        except CatalogUnavailable as exc:
            log.warning("%s", exc)
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc)) from exc
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if if_none_match is not None and etag_matches(if_none_match, etag):
            return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
        return Response(content=data, media_type="application/json", headers=headers)

    return api
