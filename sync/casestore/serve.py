"""Run the case store: `python -m sync.casestore.serve [--db URL] [--host H] [--port P] [--catalog FILE]`.

Once the socket listens it logs "case store listening on http://HOST:PORT" to stderr, so a parent
process can wait for that line; --port 0 picks a free port and the line names it.
"""
from __future__ import annotations

import argparse
import copy
import logging
import signal
import socket
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from sync.casestore.db import DEFAULT_DB_URL

LOGGER = "sync.casestore"  # named, not __name__: under `python -m` that would be __main__
log = logging.getLogger(f"{LOGGER}.serve")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8624
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


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
    return parser


def _serve(args: argparse.Namespace) -> None:
    """Imported here, not at the top: `kiosk24` builds this command's parser on every start."""
    import uvicorn

    from sync.casestore.app import create_app

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                host = self.config.host
                port = self.servers[0].sockets[0].getsockname()[1]
                address = f"[{host}]" if ":" in host else host
                log.info("case store listening on http://%s:%d", address, port)

    app = create_app(args.db, args.catalog, silent_beats=args.silent_beats)
    Server(uvicorn.Config(app, host=args.host, port=args.port, log_config=_log_config())).run()


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
