"""The case store's HTTP JSON API, assembled: kiosks push applications and messages here, beat their
hearts, ask for online services and pull the catalog; operators watch the fleet page.

Each part lives in the module named for it; this one only builds the application over one database.
The handlers are plain functions run in the server's thread pool; the database does the locking.
"""
from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from importlib import metadata
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from kiosk import ecredential
from sync.casestore import (
    applications,
    appointments,
    auth,
    benefits,
    card_proof,
    catalog_file,
    citizen_progress,
    documents,
    fleet,
    heartbeats,
    help_desk,
    limits,
    messages,
    records,
)
from sync.casestore.answers import Health
from sync.casestore.db import Application, create_tables, make_engine
from sync.document_signature import DocumentKey


async def _refused_input(_request: Request, exc: Exception) -> JSONResponse:
    """A 422 names each field and what is wrong with it, never the value sent: that may be a citizen's."""
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                                    for e in exc.errors()]}, status_code=422)


def create_app(db_url: str, catalog_path: Path | None = None, silent_beats: float = fleet.SILENT_BEATS,
               ecredential_keys: str = "", document_key: DocumentKey | None = None, public_url: str = "") -> FastAPI:
    """The case store over the database at db_url; tables are created if missing.

    silent_beats: heartbeat intervals without a heartbeat after which the fleet view marks a kiosk silent.
    ecredential_keys: the public keys of the centre's e-credentials, as kiosks are configured with them
    (ecredential_public_keys); without them an e-credential is no proof for /queries and /benefits.
    document_key: signs certified documents (sync/casestore/documents.py); without it none are issued.
    public_url: where citizens reach this store (the documents' QR); default: the address kiosks used.
    """
    engine = make_engine(db_url)
    create_tables(engine)
    sessions = sessionmaker(engine, expire_on_commit=False)
    verifier = auth.Verifier(sessions)
    calling_kiosk = Depends(auth.dependency(verifier))
    proofs = card_proof.CardProofs(sessions, ecredential.parse_public_keys(ecredential_keys))

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="Kiosk24 case store",
        version=metadata.version("kiosk24"),
        description="Central case store for Kiosk24 government self-service kiosks (政务服务24小时自助终端).",
        lifespan=lifespan,
    )
    app.state.sessions = sessions       # for link.secure's routes: one connection pool per process
    app.add_middleware(limits.Limits, verifier=verifier)
    app.add_exception_handler(RequestValidationError, _refused_input)
    app.include_router(applications.router(sessions, calling_kiosk))
    app.include_router(heartbeats.router(sessions, calling_kiosk))
    app.include_router(citizen_progress.router(sessions, calling_kiosk))
    app.include_router(catalog_file.router(catalog_path))
    app.include_router(records.router(sessions, calling_kiosk, proofs))
    app.include_router(benefits.router(sessions, calling_kiosk, proofs))
    app.include_router(appointments.router(sessions, calling_kiosk))
    app.include_router(messages.router(sessions, calling_kiosk))
    app.include_router(help_desk.router(sessions, calling_kiosk))
    if document_key is not None:
        app.include_router(documents.router(sessions, calling_kiosk, proofs,
                                            documents.Issuer(sessions, document_key, public_url)))

    @app.get("/api/v1/health")
    def health() -> Health:
        """Liveness that also proves the database answers."""
        with sessions() as session:
            count = session.scalar(select(func.count()).select_from(Application)) or 0
        return Health(status="ok", applications=count)

    fleet.register(app, sessions, silent_beats)
    help_desk.register(app, sessions)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = limits.documented(FastAPI.openapi(app))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
