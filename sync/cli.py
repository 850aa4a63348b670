"""`kiosk24 sync`, `kiosk24 queue ...` and `kiosk24 casestore ...`: the outbox and the centre from a shell."""
from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Mapping
from typing import Any

from kiosk import config as kiosk_config
from kiosk.storage import damaged_copies
from sync.messages import MessageOutbox
from sync.outbox import Outbox

LoadConfig = Callable[[argparse.Namespace, Mapping[str, str]], kiosk_config.Config]


def _outbox(config: kiosk_config.Config) -> Outbox:
    from kiosk.storage import open_database
    return Outbox(open_database(config.database_path), config.kiosk_id)


def _messages(outbox: Outbox) -> MessageOutbox:
    return MessageOutbox(outbox.engine, outbox.kiosk_id, outbox.keyring)


def cmd_sync(args: argparse.Namespace, config: kiosk_config.Config) -> int:
    from sync.worker import worker_for
    outbox = _outbox(config)
    worker = worker_for(config, outbox)
    if not args.once:
        worker.run_forever()
        return 0
    worker.release_stale()
    delivered = worker.run_once(force=True)
    worker.tend(force=True)
    worker.client.close()
    status = outbox.status()
    messages = worker.messages.status() if worker.messages is not None else None
    print(json.dumps({"delivered": delivered, **status.as_dict(), "state": worker.state,
                      "messages": messages.as_dict() if messages else None}))
    return 0 if status.pending == 0 and (messages is None or messages.pending == 0) else 1


def _row(row: Any) -> dict[str, Any]:
    return {"idempotency_key": row.id, "kiosk_case_number": row.kiosk_case_number,
            "service_code": row.service_code, "state": row.state, "attempts": row.attempts,
            "central_case_number": row.central_case_number, "last_error": row.last_error,
            "created_at": row.created_at.isoformat()}


def cmd_queue(args: argparse.Namespace, config: kiosk_config.Config) -> int:
    outbox = _outbox(config)
    messages = _messages(outbox)
    if args.queue_command == "status":
        status = {**outbox.status().as_dict(), "messages": messages.status().as_dict()}
        print(json.dumps(status) if args.json else "\n".join(f"{k}: {v}" for k, v in status.items()))
        for damaged in damaged_copies(config.database_path):     # on stderr: --json output stays as specified
            print(f"warning: a damaged database was set aside as {damaged}; its readable rows were carried over",
                  file=sys.stderr)
    elif args.queue_command == "list" and args.messages:
        for message in messages.rows(args.state):
            item = message.as_dict()
            print(json.dumps(item, ensure_ascii=False) if args.json else
                  f"{item['created_at']}  {item['kind']:<9}  {item['state']:<9}  {item['last_error'] or ''}")
    elif args.queue_command == "list":
        for row in outbox.rows(args.state):
            item = _row(row)
            print(json.dumps(item, ensure_ascii=False) if args.json else
                  f"{item['kiosk_case_number']}  {item['state']:<9}  {item['service_code']}  {item['last_error'] or ''}")
    elif args.queue_command == "retry":
        print(f"{outbox.retry_dead()} dead letter(s) and {messages.retry_dead()} dead message(s) returned to the queue")
    elif args.queue_command == "purge":
        print(f"{outbox.purge_delivered()} delivered application(s) and {messages.purge_delivered()} message(s) purged")
    elif args.queue_command == "rotate-key":
        resealed, dropped = outbox.rotate_key((messages,))
        result = {"key_id": outbox.keyring.current_id, "resealed": resealed, "dropped_keys": dropped}
        print(json.dumps(result) if args.json else
              f"new key {result['key_id']}: {resealed} row(s) re-sealed, {len(dropped)} old key(s) dropped")
    return 0


def cmd_housekeeping(args: argparse.Namespace, config: kiosk_config.Config) -> int:
    from sync import housekeeping
    outbox = _outbox(config)
    done = housekeeping.run(config, outbox, _messages(outbox))
    if args.json:
        print(json.dumps(done.as_dict(), ensure_ascii=False))
    else:
        print(f"{done.purged_applications} application(s) and {done.purged_messages} message(s) purged; "
              f"{'vacuumed' if done.vacuumed else 'not vacuumed (much pending)'}; "
              f"database {done.database_bytes} bytes; {len(done.logs_removed)} old log(s) removed")
    return 0


def cmd_simulate(args: argparse.Namespace, config: kiosk_config.Config) -> int:
    from tooling import simulate
    return simulate.run(args, config, _outbox(config))


# casestore subcommand → the module of sync.casestore that runs it (imported only when used: the
# case store's FastAPI stack stays off the kiosk's start-up path)
CASESTORE_COMMANDS = {"serve": "serve", "enrol": "enrol", "status": "progress", "configure": "configure",
                      "technician-token": "technician_token", "follow-ups": "follow_ups", "operator": "operators",
                      "issue-credential": "issue_credential", "export": "export"}


def cmd_casestore(args: argparse.Namespace, config: kiosk_config.Config | None) -> int:
    module = importlib.import_module(f"sync.casestore.{CASESTORE_COMMANDS[args.casestore_command]}")
    return module.run(args)


def register(sub: Any, with_config: Callable[[argparse.ArgumentParser], argparse.ArgumentParser]) -> None:
    """Add the sync, queue and casestore commands; handlers take (args, config)."""
    sync = with_config(sub.add_parser("sync", help="the sync worker without the UI"))
    sync.add_argument("--once", action="store_true", help="try every pending application now, then exit")
    sync.set_defaults(handler=cmd_sync, needs_config=True)

    queue = sub.add_parser("queue", help="inspect and manage the outbox")
    q_sub = queue.add_subparsers(dest="queue_command", required=True)
    for name, text in (("status", "counts and the oldest pending age"), ("list", "one line per application"),
                       ("retry", "return dead letters to the queue"), ("purge", "delete delivered applications"),
                       ("rotate-key", "seal the queue with a new key and drop the old one")):
        q = with_config(q_sub.add_parser(name, help=text))
        q.add_argument("--json", action="store_true")
        if name == "list":
            q.add_argument("--state", choices=("pending", "sending", "delivered", "dead"))
            q.add_argument("--messages", action="store_true",
                           help="ratings, complaints, help calls and audit events instead of applications")
    queue.set_defaults(handler=cmd_queue, needs_config=True)

    housekeeping = with_config(sub.add_parser(
        "housekeeping", help="purge past retention, rotate the logs, tidy the database, print a health report"))
    housekeeping.add_argument("--json", action="store_true")
    housekeeping.set_defaults(handler=cmd_housekeeping, needs_config=True)

    from tooling import simulate
    simulate_parser = with_config(sub.add_parser("simulate", help="drive N citizen visits headless into the outbox"))
    simulate.build_parser(simulate_parser).set_defaults(handler=cmd_simulate, needs_config=True)

    from sync.casestore import configure, enrol, export, operators, progress, serve
    casestore = sub.add_parser("casestore", help="the reference central case store")
    cs_sub = casestore.add_subparsers(dest="casestore_command", required=True)
    serve.build_parser(cs_sub.add_parser("serve", help="serve the HTTP JSON API"))
    export.build_parser(cs_sub.add_parser("export", help="one line per stored application"))
    enrol.build_parser(cs_sub.add_parser("enrol", help="register a kiosk and print its credential, once"))
    progress.build_parser(cs_sub.add_parser("status", help="record a step in a case's life"))
    configure.build_parser(cs_sub.add_parser("configure", help="push settings to a kiosk with its next heartbeat"))
    from sync.casestore import technician_token
    technician_token.build_parser(cs_sub.add_parser("technician-token", help="a technician's QR token for one kiosk"))
    operators.build_parser(cs_sub.add_parser("operator", help="a credential for the fleet view, printed once"))
    from sync.casestore import follow_ups
    follow_ups.build_parser(cs_sub.add_parser("follow-ups", help="bad ratings and cant_get_done reports to call back"))
    from sync.casestore import issue_credential
    issue_credential.build_parser(cs_sub.add_parser("issue-credential",
                                                    help="sign a citizen's e-credential QR code (电子身份凭证)"))
    casestore.set_defaults(handler=cmd_casestore, needs_config=False)


