"""`kiosk24`: the command-line surface of ARCHITECTURE.md. Each command imports only what it needs,
so `kiosk24 queue status` on a technician's shell does not load Qt or OpenCV."""
from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from kiosk import config as kiosk_config

EXIT_CONFIG = 2
# Qt Virtual Keyboard as the input method, with its panel inside the kiosk window (ui/keyboard.py).
# Qt reads these when the QApplication is made, so they are set here, first.
QT_INPUT = {"QT_IM_MODULE": "qtvirtualkeyboard", "QT_VIRTUALKEYBOARD_DESKTOP_DISABLE": "1"}


def cmd_run(args: argparse.Namespace, config: kiosk_config.Config) -> int:
    from ui import runner
    if args.windowed:
        config = dataclasses.replace(config, fullscreen=False)
    return runner.run(config, check=args.check)


def cmd_demo(args: argparse.Namespace, config: kiosk_config.Config) -> int:
    from tooling import demo
    return demo.run(config, args.data_dir, check=args.check)


def cmd_screenshots(args: argparse.Namespace, config: None) -> int:
    from tooling import screenshots
    written = screenshots.render_all(Path(args.outdir))
    print(f"wrote {len(written)} screenshots to {args.outdir}")
    return 0


def cmd_audit(args: argparse.Namespace, config: None) -> int:
    from tooling import audit
    from ui import app as qtapp
    qtapp.qapp()
    return audit.run(args.density, args.json)


def with_config(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--config", type=Path, help=f"TOML file (default {kiosk_config.default_path()})")
    return parser


def build_parser() -> argparse.ArgumentParser:
    from devices import cli as devices_cli
    from kiosk import backup_cli
    from sync import cli as sync_cli
    from ui.technician import cli as technician_cli

    parser = argparse.ArgumentParser(prog="kiosk24", description="24-hour government self-service kiosk")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    sub = parser.add_subparsers(dest="command", required=True)

    run = with_config(sub.add_parser("run", help="the kiosk app, fullscreen and locked down"))
    run.add_argument("--windowed", action="store_true", help="a normal window instead of fullscreen")
    run.add_argument("--check", action="store_true", help="exit 0 once the attract screen has painted")
    run.set_defaults(handler=cmd_run, needs_config=True)

    demo = with_config(sub.add_parser("demo", help="case store + kiosk window + simulated devices on this machine"))
    demo.add_argument("--data-dir", type=Path, help="where the demo keeps its state (default: a fresh temp dir)")
    demo.add_argument("--check", action="store_true", help="start everything, paint once, stop: a smoke test")
    demo.set_defaults(handler=cmd_demo, needs_config=True)

    shots = sub.add_parser("screenshots", help="render every screen in every mode to PNG, offscreen")
    shots.add_argument("outdir")
    shots.set_defaults(handler=cmd_screenshots, needs_config=False)

    audit = sub.add_parser("audit", help="measure every screen in every mode for accessibility; non-zero on a shortfall")
    audit.add_argument("--density", type=float, default=0.0, metavar="PPI",
                       help="pixels per inch of the glass (default: a 21.5-inch panel at each resolution)")
    audit.add_argument("--json", action="store_true", help="one JSON line per screen, mode, language and resolution")
    audit.set_defaults(handler=cmd_audit, needs_config=False)

    sync_cli.register(sub, with_config)
    devices_cli.register(sub, with_config)
    backup_cli.register(sub, with_config)
    technician_cli.register(sub, with_config)
    return parser


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    for name, value in QT_INPUT.items():
        os.environ.setdefault(name, value)
    args = build_parser().parse_args(argv)
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
