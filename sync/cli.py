"""`kiosk24 sync`, `queue ...`, `housekeeping` and `casestore ...`: the outbox and the centre from a shell.
Listed in tooling/cli.py's table of commands, which imports this module only for these commands."""
from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable
from typing import Any

from kiosk import config as kiosk_config
from kiosk.storage import damaged_copies
from sync.messages import MessageOutbox
from sync.outbox import Outbox

WithConfig = Callable[[argparse.ArgumentParser], argparse.ArgumentParser]


def _outbox(config: kiosk_config.Config) -> Outbox:
    from kiosk.storage import open_database
    from sync.keyring import Keyring
    return Outbox(open_database(config.database_path), config.kiosk_id,
                  Keyring.for_config(config.secrets_path, config.data_dir))


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
                  f"{item['kiosk_case_number']}  {item['state']:<9}  {item['service_code']}  "
                  f"{item['last_error'] or ''}")
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


# casestore subcommand → (module of sync.casestore that declares and runs it, help); a module is
# imported only when `kiosk24 casestore` runs, so the FastAPI stack stays off every other command's path
CASESTORE_COMMANDS = {
    "serve": ("serve", "serve the HTTP JSON API"),
    "export": ("export", "one line per stored application"),
    "enrol": ("enrol", "a one-time enrolment code for a kiosk, and the centre key it pins"),
    "status": ("progress", "record a step in a case's life"),
    "configure": ("configure", "push settings to a kiosk with its next heartbeat"),
    "technician-token": ("technician_token", "a technician's QR token for one kiosk"),
    "operator": ("operators", "a credential for the fleet view, printed once"),
    "follow-ups": ("follow_ups", "bad ratings and cant_get_done reports to call back"),
    "issue-credential": ("issue_credential", "sign a citizen's e-credential QR code (电子身份凭证)"),
    "revoke-document": ("revoke_document", "withdraw an issued certified document by its verification code"),
}


def _casestore_handler(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace, None], int]:
    return lambda args, config: run(args)


def sync_arguments(parser: argparse.ArgumentParser, with_config: WithConfig) -> None:
    with_config(parser).add_argument("--once", action="store_true", help="try every pending application now, then exit")
    parser.set_defaults(handler=cmd_sync, needs_config=True)


def queue_arguments(parser: argparse.ArgumentParser, with_config: WithConfig) -> None:
    q_sub = parser.add_subparsers(dest="queue_command", required=True)
    for name, text in (("status", "counts and the oldest pending age"), ("list", "one line per application"),
                       ("retry", "return dead letters to the queue"), ("purge", "delete delivered applications"),
                       ("rotate-key", "seal the queue with a new key and drop the old one")):
        q = with_config(q_sub.add_parser(name, help=text))
        q.add_argument("--json", action="store_true")
        if name == "list":
            q.add_argument("--state", choices=("pending", "sending", "delivered", "dead"))
            q.add_argument("--messages", action="store_true",
                           help="ratings, complaints, help calls and audit events instead of applications")
    parser.set_defaults(handler=cmd_queue, needs_config=True)


def housekeeping_arguments(parser: argparse.ArgumentParser, with_config: WithConfig) -> None:
    with_config(parser).add_argument("--json", action="store_true")
    parser.set_defaults(handler=cmd_housekeeping, needs_config=True)


def casestore_arguments(parser: argparse.ArgumentParser, with_config: WithConfig) -> None:
    cs_sub = parser.add_subparsers(dest="casestore_command", required=True)
    for name, (module_name, text) in CASESTORE_COMMANDS.items():
        module = importlib.import_module(f"sync.casestore.{module_name}")
        module.build_parser(cs_sub.add_parser(name, help=text)).set_defaults(
            handler=_casestore_handler(module.run), needs_config=False)
