"""`kiosk24`: the command-line surface of ARCHITECTURE.md. Each command imports only what it needs,
so `kiosk24 queue status` on a technician's shell does not load Qt or OpenCV."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from kiosk import config as kiosk_config

EXIT_OK, EXIT_FAIL, EXIT_CONFIG = 0, 1, 2


def _load_config(args: argparse.Namespace, environ: dict[str, str], **overrides: object) -> kiosk_config.Config:
    return kiosk_config.load(getattr(args, "config", None), environ, **overrides)


def cmd_run(args: argparse.Namespace, environ: dict[str, str]) -> int:
    from ui import runner
    overrides = {"fullscreen": False} if args.windowed else {}
    return runner.run(_load_config(args, environ, **overrides), check=args.check)


def cmd_demo(args: argparse.Namespace, environ: dict[str, str]) -> int:
    from ui import demo
    return demo.run(args.data_dir, environ, check=args.check)


def cmd_screenshots(args: argparse.Namespace, environ: dict[str, str]) -> int:
    from ui import screenshots
    written = screenshots.render_all(Path(args.outdir))
    print(f"wrote {len(written)} screenshots to {args.outdir}")
    return EXIT_OK


def cmd_casestore(args: argparse.Namespace, environ: dict[str, str]) -> int:
    if args.casestore_command == "serve":
        from sync.casestore import serve
        return serve.run(args)
    from sync.casestore import export
    for line in export.run_export(args.db):
        print(json.dumps(line, ensure_ascii=False))
    return EXIT_OK


def _outbox(args: argparse.Namespace, environ: dict[str, str]):
    from kiosk.storage import open_database
    from sync.outbox import Outbox
    config = _load_config(args, environ)
    return config, Outbox(open_database(config.database_path), config.kiosk_id)


def cmd_sync(args: argparse.Namespace, environ: dict[str, str]) -> int:
    from sync.client import CentreClient
    from sync.worker import Backoff, SyncWorker
    config, outbox = _outbox(args, environ)
    worker = SyncWorker(outbox, CentreClient(config.centre_url), interval_s=config.sync_interval_s,
                        backoff=Backoff(config.sync_retry_base_s, config.sync_retry_cap_s))
    if args.once:
        outbox.release_stale()
        delivered = worker.run_once(force=True)
        status = outbox.status()
        print(json.dumps({"delivered": delivered, **status.as_dict()}))
        return EXIT_OK if status.pending == 0 else EXIT_FAIL
    worker.run_forever()
    return EXIT_OK


def cmd_queue(args: argparse.Namespace, environ: dict[str, str]) -> int:
    _, outbox = _outbox(args, environ)
    if args.queue_command == "status":
        status = outbox.status().as_dict()
        print(json.dumps(status) if args.json else "\n".join(f"{k}: {v}" for k, v in status.items()))
    elif args.queue_command == "list":
        for row in outbox.rows(args.state):
            item = {"idempotency_key": row.id, "kiosk_case_number": row.kiosk_case_number,
                    "service_code": row.service_code, "state": row.state, "attempts": row.attempts,
                    "central_case_number": row.central_case_number, "last_error": row.last_error,
                    "created_at": row.created_at.isoformat()}
            print(json.dumps(item, ensure_ascii=False) if args.json else
                  f"{row.kiosk_case_number}  {row.state:<9}  {row.service_code}  {row.last_error or ''}")
    elif args.queue_command == "retry":
        print(f"{outbox.retry_dead()} dead letter(s) returned to the queue")
    elif args.queue_command == "purge":
        print(f"{outbox.purge_delivered()} delivered application(s) purged")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk24", description="24-hour government self-service kiosk")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_config(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--config", type=Path, help=f"TOML file (default {kiosk_config.default_path()})")
        return p

    run = with_config(sub.add_parser("run", help="the kiosk app, fullscreen and locked down"))
    run.add_argument("--windowed", action="store_true", help="a normal window instead of fullscreen")
    run.add_argument("--check", action="store_true", help="exit 0 once the attract screen has painted")
    run.set_defaults(handler=cmd_run)

    demo = sub.add_parser("demo", help="case store + kiosk window + simulated devices on this machine")
    demo.add_argument("--data-dir", type=Path, help="where the demo keeps its state (default: a fresh temp dir)")
    demo.add_argument("--check", action="store_true", help="start everything, paint once, stop: a smoke test")
    demo.set_defaults(handler=cmd_demo)

    shots = sub.add_parser("screenshots", help="render every screen in every mode to PNG, offscreen")
    shots.add_argument("outdir")
    shots.set_defaults(handler=cmd_screenshots)

    casestore = sub.add_parser("casestore", help="the reference central case store")
    cs_sub = casestore.add_subparsers(dest="casestore_command", required=True)
    from sync.casestore import serve
    serve.build_parser(cs_sub.add_parser("serve", help="serve the HTTP JSON API"))
    export = cs_sub.add_parser("export", help="one JSON line per stored application")
    export.add_argument("--db", default=serve.DEFAULT_DB_URL)
    export.add_argument("--json", action="store_true", help="JSON lines (the only format)")
    casestore.set_defaults(handler=cmd_casestore)

    sync = with_config(sub.add_parser("sync", help="the sync worker without the UI"))
    sync.add_argument("--once", action="store_true", help="try every pending application now, then exit")
    sync.set_defaults(handler=cmd_sync)

    queue = sub.add_parser("queue", help="inspect and manage the outbox")
    q_sub = queue.add_subparsers(dest="queue_command", required=True)
    for name, text in (("status", "counts and the oldest pending age"), ("list", "one line per application"),
                       ("retry", "return dead letters to the queue"), ("purge", "delete delivered applications")):
        q = with_config(q_sub.add_parser(name, help=text))
        q.add_argument("--json", action="store_true")
        if name == "list":
            q.add_argument("--state", choices=("pending", "sending", "delivered", "dead"))
    queue.set_defaults(handler=cmd_queue)
    return parser


def main(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> int:
    import os
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return args.handler(args, dict(os.environ) if environ is None else environ)
    except kiosk_config.ConfigError as exc:
        print(f"kiosk24: configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG


if __name__ == "__main__":
    sys.exit(main())
