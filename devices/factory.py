"""Chooses each device's implementation from configuration, in one place.

Drivers import their heavy libraries (python-escpos, pyserial) only when first used, so building
them here costs nothing on the path to the first frame.
"""
from __future__ import annotations

from typing import Callable

from devices.health import Health
from devices.idcard.reader import CardPoller, IdCardReader
from devices.printer.driver import ReceiptPrinter, connection_for
from devices.printer.profile import PROFILES
from kiosk.config import Config, ConfigError
from kiosk.identity import Identity


def receipt_printer(config: Config) -> ReceiptPrinter | None:
    """None when the kiosk has no printer: the receipt is then shown on screen only."""
    if not config.printer:
        return None
    if config.printer_profile not in PROFILES:
        raise ConfigError(f"printer_profile: {config.printer_profile!r} is not one of {', '.join(PROFILES)}")
    try:
        connection = connection_for(config.printer)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    return ReceiptPrinter(connection, PROFILES[config.printer_profile])


def card_poller(config: Config, on_identity: Callable[[Identity], None], on_problem: Callable[[str], None],
                on_health: Callable[[Health], None], interval: float = 0.25) -> CardPoller | None:
    """None when no reader is configured: citizens then identify another way."""
    if not config.idcard_port:
        return None
    return CardPoller(IdCardReader(config.idcard_port), on_identity, on_problem, on_health, interval=interval)
