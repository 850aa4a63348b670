"""The settings a technician edits on the kiosk: shown as text, checked as the kiosk would load them,
written to the config TOML in one atomic step. They take effect at the next start, as every setting does.

tomlkit keeps the file's comments and order: it is the installer's notes as much as the kiosk's.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import tomlkit

from kiosk import atomic
from kiosk.config import Config, ConfigError, default_path, load, parse_setting

# What a technician may change on site; devices, paths and the credential stay with the installer.
EDITABLE = ("kiosk_id", "location", "centre_url", "services", "service_hours", "language", "accessibility_default",
            "idle_timeout_s", "idle_warning_s", "assisted_idle_timeout_s", "assisted_idle_warning_s",
            "alternative_hall", "retention_hours", "housekeeping_hour")


def as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _document(path: Path) -> tomlkit.TOMLDocument:
    return tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()


def shown(config: Config) -> dict[str, str]:
    """Each editable setting as the next start will read it: the file's value where it has one (saved
    here earlier, perhaps not applied yet), else the value the kiosk runs with."""
    saved = _document(target(config)).unwrap()
    return {name: as_text(saved[name] if name in saved else getattr(config, name)) for name in EDITABLE}


def target(config: Config) -> Path:
    return Path(config.config_file) if config.config_file else default_path()


def save(config: Config, edits: dict[str, str]) -> list[str]:
    """Write the settings whose text changed; returns their names. Raises ConfigError naming the setting.

    Only changed settings go to the file, so a value that came from the environment is not frozen
    into it. The new file is loaded exactly as at start-up before it replaces the old one.
    """
    before = shown(config)
    changed = {name: text.strip() for name, text in edits.items() if text.strip() != before.get(name)}
    for name in changed:
        if name not in EDITABLE:
            raise ConfigError(f"{name}: not a setting the technician page may change")
    if not changed:
        return []
    path = target(config)
    document = _document(path)
    for name, text in changed.items():
        document[name] = parse_setting(name, text)
    # The values this process runs with (the environment's too), changed ones replaced: the same checks.
    running = {f.name: getattr(config, f.name) for f in dataclasses.fields(Config)}
    Config(**{**running, **{n: parse_setting(n, t) for n, t in changed.items()}}).validate()
    atomic.write(path, tomlkit.dumps(document), check=lambda temp: load(temp, {}))
    return sorted(changed)
