"""Run the case store: `python -m sync.casestore.serve [--db URL] [--host H] [--port P] [--catalog FILE]
[--tls-cert FILE --tls-key FILE] [--signing-key FILE] [--forwarded-allow-ips IPS] [--workers N]`.

Once the socket listens it logs "case store listening on https://HOST:PORT" (http:// without TLS) to
stderr, so a parent process can wait for that line; --port 0 picks a free port and the line names it.

Kiosks reach the store over TLS: either this process holds the certificate (--tls-cert, --tls-key) or
a TLS-terminating proxy in front of it does (then listen on 127.0.0.1 or a private address only, and
name the proxy in --forwarded-allow-ips so the log shows the kiosks' addresses). Nothing else trusts
forwarded headers: kiosks are known by their signatures, not their addresses, and the signed path
must reach the store as the kiosk sent it (docs/security.md).

--workers N runs N server processes on the one port (uvicorn's supervisor restarts any that dies, SIGHUP
replaces them one by one); they share nothing but the database. Each builds its app with worker_app(),
from the options in KIOSK24_CASESTORE_OPTIONS, which is also how an operator's own `uvicorn --factory
sync.casestore.serve:worker_app` or gunicorn is configured (docs/operator.md).
"""
from __future__ import annotations

import argparse
import copy
import logging
import os
import shlex
import signal
import socket
import sys
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from sync.casestore.db import DEFAULT_DB_URL

if TYPE_CHECKING:           # `kiosk24` builds this command's parser on every start, on kiosks without starlette
    from starlette.types import ASGIApp

LOGGER = "sync.casestore"  # named, not __name__: under `python -m` that would be __main__
log = logging.getLogger(f"{LOGGER}.serve")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8624
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# Connections and time a client may hold (sync/casestore/limits.py bounds bodies): more connections than
# this are answered 503 at once; an idle keep-alive connection is closed after a few seconds.
LIMIT_CONCURRENCY = 256
KEEP_ALIVE_S = 5
MAX_HEADER_BYTES = 16 * 1024
MAX_WORKERS = 64
OPTIONS_VARIABLE = "KIOSK24_CASESTORE_OPTIONS"


class _Stopped(Exception):
    """A stop signal arrived; uvicorn hands it back to our handler after its graceful shutdown."""


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    """The serve options, added to parser if given (the kiosk24 CLI passes its subcommand parser)."""
    if parser is None:
        parser = argparse.ArgumentParser(prog="python -m sync.casestore.serve", description=__doc__)
    parser.add_argument(
        "--db", metavar="URL", default=DEFAULT_DB_URL, help=f"SQLAlchemy database URL (default {DEFAULT_DB_URL})"
    )
    parser.add_argument(
        "--host", metavar="HOST", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})"
    )
    parser.add_argument(
        "--port", metavar="PORT", type=int, default=DEFAULT_PORT, help=f"TCP port, 0 for any (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--catalog", metavar="FILE", type=Path, help="service catalog JSON (default: the kiosk's bundled one)"
    )
    parser.add_argument(
        "--silent-beats", metavar="N", type=float, default=3.0,
        help="the fleet view marks a kiosk silent after N of its heartbeat intervals without one (default 3)"
    )
    parser.add_argument("--tls-cert", metavar="FILE", type=Path, help="the server's certificate chain (PEM)")
    parser.add_argument("--tls-key", metavar="FILE", type=Path, help="its private key (PEM)")
    parser.add_argument("--signing-key", metavar="FILE", type=Path,
                        help="the centre's Ed25519 signing key, which kiosks pin "
                             "(default: centre-signing.key beside a SQLite database; created 0600 if missing)")
    parser.add_argument("--document-key", metavar="FILE", type=Path,
                        help="the centre's document-signing key (ECDSA), its certificate beside it as .pem, which "
                             "kiosks pin (default: centre-documents.key beside the signing key; made if missing)")
    parser.add_argument("--public-url", metavar="URL", default="",
                        help="the address citizens reach this store at, for the documents' verification QR "
                             "(default: the address the kiosk asked)")
    parser.add_argument("--ecredential-public-keys", metavar="KEYS", default="",
                        help="comma-separated public keys of the centre's e-credentials (as kiosks have them), "
                             "so a scanned e-credential proves the visit to /queries and /benefits")
    parser.add_argument("--forwarded-allow-ips", metavar="IPS", default="",
                        help="comma-separated addresses of a TLS-terminating proxy whose X-Forwarded-For/-Proto "
                             "are believed (default: none)")
    parser.add_argument("--workers", metavar="N", type=int, default=1,
                        help="server processes sharing the port and the database, about one per core (default 1)")
    return parser


def check(args: argparse.Namespace) -> str:
    """What is wrong with the TLS, signing-key or e-credential options, or ""."""
    if (args.tls_cert is None) != (args.tls_key is None):
        return "--tls-cert and --tls-key go together"
    if not 1 <= args.workers <= MAX_WORKERS:
        return f"--workers takes 1 to {MAX_WORKERS}"
    for path in (args.tls_cert, args.tls_key):
        if path is not None and not path.is_file():
            return f"{path}: no such file"
    from kiosk.ecredential import parse_public_keys
    from sync.casestore.enrol import signing_key_path
    try:
        signing_key_path(args.db, args.signing_key)
        parse_public_keys(args.ecredential_public_keys)
    except ValueError as exc:
        return str(exc)
    return ""


def _document_key_path(args: argparse.Namespace) -> Path:
    from sync.casestore.enrol import document_key_path, signing_key_path
    return Path(args.document_key or document_key_path(signing_key_path(args.db, args.signing_key)))


def application(args: argparse.Namespace) -> ASGIApp:
    """The case store app the options describe: the API, enrolment, certified documents, every answer signed."""
    from sync.casestore.app import create_app
    from sync.casestore.documents import ISSUER
    from sync.casestore.enrol import centre_key
    from sync.casestore.link import secure
    from sync.document_signature import DocumentKey
    document_key = DocumentKey.load_or_create(_document_key_path(args), ISSUER)
    return secure(create_app(args.db, args.catalog, silent_beats=args.silent_beats,
                             ecredential_keys=args.ecredential_public_keys, document_key=document_key,
                             public_url=args.public_url), centre_key(args.db, args.signing_key))


def worker_app() -> ASGIApp:
    """One worker's app, from the serve options in KIOSK24_CASESTORE_OPTIONS (only --db, --catalog,
    --silent-beats, --signing-key, --ecredential-public-keys, --document-key and --public-url matter here:
    the rest is the server's)."""
    args = build_parser().parse_args(shlex.split(os.environ.get(OPTIONS_VARIABLE, "")))
    problem = check(args)
    if problem:
        raise SystemExit(f"kiosk24: {problem}")
    return application(args)


def _app_options(args: argparse.Namespace) -> str:
    """The options worker_app() needs, with the keys' paths resolved: workers need not share a cwd."""
    from sync.casestore.enrol import signing_key_path
    options = ["--db", args.db, "--silent-beats", str(args.silent_beats),
               "--signing-key", str(signing_key_path(args.db, args.signing_key).resolve()),
               "--ecredential-public-keys", args.ecredential_public_keys,
               "--document-key", str(_document_key_path(args).resolve()), "--public-url", args.public_url]
    if args.catalog is not None:
        options += ["--catalog", str(args.catalog.resolve())]
    return shlex.join(options)


def _prepare(args: argparse.Namespace) -> None:
    """What workers would otherwise race for: the tables and the centre's two keys, made once here."""
    from sync.casestore.db import create_tables, make_engine
    from sync.casestore.documents import ISSUER
    from sync.casestore.enrol import centre_key
    from sync.document_signature import DocumentKey
    centre_key(args.db, args.signing_key)
    DocumentKey.load_or_create(_document_key_path(args), ISSUER)
    engine = make_engine(args.db)
    try:
        create_tables(engine)
    finally:
        engine.dispose()


def _serve(args: argparse.Namespace) -> None:
    """Imported here, not at the top: `kiosk24` builds this command's parser on every start."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    scheme = "https" if args.tls_cert else "http"

    def listening(host: str, port: int) -> None:
        address = f"[{host}]" if ":" in host else host
        log.info("case store listening on %s://%s:%d", scheme, address, port)

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                listening(self.config.host, self.servers[0].sockets[0].getsockname()[1])

    tls: dict[str, Any] = {}
    if args.tls_cert:
        tls = {"ssl_certfile": str(args.tls_cert), "ssl_keyfile": str(args.tls_key)}
    options: dict[str, Any] = dict(
        host=args.host, port=args.port, log_config=_log_config(), date_header=False,
        limit_concurrency=LIMIT_CONCURRENCY, timeout_keep_alive=KEEP_ALIVE_S,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES, proxy_headers=bool(args.forwarded_allow_ips),
        forwarded_allow_ips=args.forwarded_allow_ips or None, **tls)
    if args.workers == 1:
        Server(uvicorn.Config(application(args), **options)).run()
        return
    _prepare(args)
    os.environ[OPTIONS_VARIABLE] = _app_options(args)       # inherited by the workers uvicorn spawns
    config = uvicorn.Config("sync.casestore.serve:worker_app", factory=True,
                            workers=args.workers, **options)
    listener = config.bind_socket()
    try:
        listening(args.host, listener.getsockname()[1])
        Multiprocess(config, sockets=[listener]).run()
    finally:
        listener.close()


def _log_config() -> dict[str, Any]:
    """uvicorn's logging plus our logger on stderr: one configuration for the whole process."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"][LOGGER] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def _raise_stopped(signum: int, _frame: FrameType | None) -> None:
    raise _Stopped(signum)


def run(args: argparse.Namespace) -> int:
    """Serve until SIGINT or SIGTERM, then shut down gracefully and return 0."""
    # uvicorn catches the signal while serving and re-raises it after shutting down; our handler
    # turns that into a normal return instead of a KeyboardInterrupt or a death by SIGTERM.
    problem = check(args)
    if problem:
        print(f"kiosk24: {problem}", file=sys.stderr)
        return 2
    previous = {sig: signal.signal(sig, _raise_stopped) for sig in STOP_SIGNALS}
    try:
        _serve(args)
    except _Stopped as stopped:
        log.info("case store stopped by %s", signal.Signals(stopped.args[0]).name)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def main(argv: list[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
