"""`kiosk24`: the command-line surface of ARCHITECTURE.md, as one table of commands.

A command's arguments and handler are imported only when that command runs, so `kiosk24 run` loads
neither the case store nor the device diagnostics, and `kiosk24 queue status` on a technician's
shell loads no Qt or OpenCV. The table lives here, above the layers, because the commands compose
them (the demo joins a case store, simulators and the window).
"""
from __future__ import annotations

import argparse
import dataclasses
import importlib
import logging
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from kiosk import config as kiosk_config

EXIT_CONFIG = 2
# Qt Virtual Keyboard as the input method, with its panel inside the kiosk window (ui/keyboard.py).
# Qt reads these when the QApplication is made, so they are set here, first.
QT_INPUT = {"QT_IM_MODULE": "qtvirtualkeyboard", "QT_VIRTUALKEYBOARD_DESKTOP_DISABLE": "1"}

WithConfig = Callable[[argparse.ArgumentParser], argparse.ArgumentParser]


class Command(NamedTuple):
    """One `kiosk24` command. `arguments` names ("module:function") what declares its arguments and sets
    `handler(args, config)` and `needs_config` on them; it is imported only for the command being run."""
    name: str
    help: str
    arguments: str


COMMANDS = (
    Command("run", "the kiosk app, fullscreen and locked down", "tooling.cli:run_arguments"),
    Command("demo", "case store + kiosk window + simulated devices on this machine", "tooling.cli:demo_arguments"),
    Command("screenshots", "render every screen in every mode to PNG, offscreen", "tooling.cli:screenshots_arguments"),
    Command("audit", "measure every screen in every mode for accessibility; non-zero on a shortfall",
            "tooling.cli:audit_arguments"),
    Command("simulate", "drive N citizen visits headless into the outbox", "tooling.cli:simulate_arguments"),
    Command("sync", "the sync worker without the UI", "sync.cli:sync_arguments"),
    Command("enrol", "register this kiosk's new key with the centre's one-time code", "sync.identity:arguments"),
    Command("queue", "inspect and manage the outbox", "sync.cli:queue_arguments"),
    Command("housekeeping", "purge past retention, rotate the logs, tidy the database, print a health report",
            "sync.cli:housekeeping_arguments"),
    Command("casestore", "the reference central case store", "sync.cli:casestore_arguments"),
    Command("devices", "technician diagnostics: list, status, read a card, print, decode", "devices.cli:arguments"),
    Command("storage", "the database backups taken before updates; restore one to roll back",
            "kiosk.backup_cli:arguments"),
    Command("technician", "technician mode: the maintenance PIN", "ui.technician.cli:arguments"),
    Command("verify", "check a printed document's PDF signature offline with the pinned centre certificate",
            "sync.document_pin:arguments"),
)


def with_config(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--config", type=Path, help=f"TOML file (default {kiosk_config.default_path()})")
    return parser


def run_arguments(parser: argparse.ArgumentParser, with_config: WithConfig) -> None:
    with_config(parser)
    parser.add_argument("--windowed", action="store_true", help="a normal window instead of fullscreen")
    parser.add_argument("--check", action="store_true", help="exit 0 once the attract screen has painted")
    parser.set_defaults(handler=cmd_run, needs_config=True)


def cmd_run(args: argparse.Namespace, config: kiosk_config.Config) -> int:
    from ui import runner
    if args.windowed:
        config = dataclasses.replace(config, fullscreen=False)
    return runner.run(config, check=args.check)


def demo_arguments(parser: argparse.ArgumentParser, with_config: WithConfig) -> None:
    with_config(parser)
    parser.add_argument("--data-dir", type=Path, help="where the demo keeps its state (default: a fresh temp dir)")
    parser.add_argument("--check", action="store_true", help="start everything, paint once, stop: a smoke test")
    parser.set_defaults(handler=cmd_demo, needs_config=True)


def cmd_demo(args: argparse.Namespace, config: kiosk_config.Config) -> int:
    from tooling import demo
    return demo.run(config, args.data_dir, check=args.check)


def screenshots_arguments(parser: argparse.ArgumentParser, with_config: WithConfig) -> None:
    parser.add_argument("outdir")
    parser.add_argument("--screen", default="*", metavar="GLOB", help="only the screens named so (e.g. '16-*')")
    parser.add_argument("--mode", action="append", default=[], metavar="M",
                        help="only this mode (normal, large, contrast-light, contrast-dark, assisted, audio-only, "
                             "english, english-assisted); repeat for more")
    parser.add_argument("--size", action="append", default=[], metavar="WxH", help="only this resolution; repeat")
    parser.set_defaults(handler=cmd_screenshots, needs_config=False)


def cmd_screenshots(args: argparse.Namespace, config: None) -> int:
    from tooling import screenshots
    try:
        sizes = [screenshots.parse_size(size) for size in args.size]
        written = screenshots.render_all(Path(args.outdir), screens=args.screen, modes=args.mode, sizes=sizes)
    except ValueError as exc:
        print(f"kiosk24 screenshots: {exc}", file=sys.stderr)
        return 2
    if not written:
        print(f"kiosk24 screenshots: no screen matches {args.screen!r}", file=sys.stderr)
        return 1
    print(f"wrote {len(written)} screenshots to {args.outdir}")
    return 0


def audit_arguments(parser: argparse.ArgumentParser, with_config: WithConfig) -> None:
    parser.add_argument("--density", type=float, default=0.0, metavar="PPI",
                        help="pixels per inch of the glass (default: a 21.5-inch panel at each resolution)")
    parser.add_argument("--json", action="store_true", help="one JSON line per screen, mode, language and resolution")
    parser.add_argument("--painted-every-size", action="store_true",
                        help="measure painted contrast at every resolution, not only the first (three times slower)")
    parser.add_argument("--size", action="append", default=[], metavar="WxH",
                        help="only this resolution; repeat (one run per resolution can go on each core)")
    parser.add_argument("--mode", action="append", default=[], metavar="M",
                        help="only this mode (normal, text-2, text-3, large, contrast-light, contrast-dark, assisted, "
                             "assisted-dark, audio-only), in both languages; repeat for more")
    parser.set_defaults(handler=cmd_audit, needs_config=False)


def cmd_audit(args: argparse.Namespace, config: None) -> int:
    from tooling import audit, screenshots
    from ui import app as qtapp
    try:
        sizes = [screenshots.parse_size(size) for size in args.size]
    except ValueError as exc:
        print(f"kiosk24 audit: {exc}", file=sys.stderr)
        return 2
    qtapp.qapp()
    return audit.run(args.density, args.json, args.painted_every_size, sizes, args.mode)


def simulate_arguments(parser: argparse.ArgumentParser, with_config: WithConfig) -> None:
    from tooling import simulate
    simulate.build_parser(with_config(parser)).set_defaults(handler=cmd_simulate, needs_config=True)


def cmd_simulate(args: argparse.Namespace, config: kiosk_config.Config) -> int:
    from kiosk.storage import open_database
    from sync.keyring import Keyring
    from sync.outbox import Outbox
    from tooling import simulate
    return simulate.run(args, config, Outbox(open_database(config.database_path), config.kiosk_id,
                                             Keyring.for_config(config.secrets_path, config.data_dir)))


def build_parser(commands: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The arguments only of `commands` (all when None). A command line naming a command parses with that
    command's parser alone (each parser is ~0.15 ms to make, ~2 ms for the list before `run` paints); one
    naming none, or one there is not, with every command listed with its help."""
    wanted = None if commands is None else set(commands)
    parser = argparse.ArgumentParser(prog="kiosk24", description="24-hour government self-service kiosk")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    sub = parser.add_subparsers(dest="command", required=True)
    known = {command.name for command in COMMANDS}
    for command in COMMANDS:
        if wanted and wanted <= known and command.name not in wanted:
            continue
        command_parser = sub.add_parser(command.name, help=command.help)
        if wanted is None or command.name in wanted:
            module, function = command.arguments.split(":")
            getattr(importlib.import_module(module), function)(command_parser, with_config)
    return parser


def _command_named(argv: list[str]) -> list[str]:
    """The command of a command line: its first word that is not an option (the only options before it,
    -v and -h, take no value)."""
    first = next((word for word in argv if not word.startswith("-")), None)
    return [first] if first is not None else []


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    for name, value in QT_INPUT.items():
        os.environ.setdefault(name, value)
    words = sys.argv[1:] if argv is None else argv
    args = build_parser(_command_named(words)).parse_args(words)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        config = kiosk_config.load(args.config, dict(os.environ) if environ is None else environ) \
            if args.needs_config else None
        return args.handler(args, config)
    except kiosk_config.ConfigError as exc:
        print(f"kiosk24: configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG


if __name__ == "__main__":
    sys.exit(main())
