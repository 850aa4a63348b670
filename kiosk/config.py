"""The kiosk's one configuration object: a TOML file, then KIOSK24_* environment overrides.

Built once at start-up and passed down; no other module reads the environment. Unknown keys are
errors, because a misspelt key on a kiosk in a station would otherwise be silently ignored.
"""
from __future__ import annotations

import base64
import binascii
import dataclasses
import ipaddress
import os
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiosk import accessibility, local_services

ENV_PREFIX = "KIOSK24_"
# Set by systemd for a Type=notify service with a watchdog; read here so no other module reads the environment.
SYSTEMD_VARIABLES = {"NOTIFY_SOCKET": "notify_socket", "WATCHDOG_USEC": "watchdog_usec",
                     "CREDENTIALS_DIRECTORY": "secrets_dir"}     # LoadCredential=: the kiosk's keys, read-only
LANGUAGES = ("zh_CN", "en")
READER_PLACES = ("below", "below-left", "below-right", "left", "right")


class ConfigError(ValueError):
    """The configuration cannot be used; the message says which key and why."""


def _xdg_home(variable: str, default: str) -> Path:
    """An XDG base directory (the kiosk runs on Debian): the variable when it holds an absolute path, else the
    default under the home folder, as platformdirs has it on Linux. Not platformdirs itself: its import
    (tempfile and shutil with it) cost ~5 ms before the first paint (bench.startup)."""
    value = os.environ.get(variable, "")
    return Path(value) if os.path.isabs(value) else Path.home() / default


# Without a generated __eq__, __hash__ and __repr__: nothing compares, hashes or prints a whole configuration, and
# over its ~60 fields they were ~7 M instructions (a 170th) of every start's way to the first paint.
@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class Config:
    data_dir: Path = _xdg_home("XDG_DATA_HOME", ".local/share") / "kiosk24"
    centre_url: str = "http://127.0.0.1:8624"
    kiosk_id: str = "XY-DEMO-01"
    location: str = "信阳市政务服务中心 24小时自助服务区"
    language: str = "zh_CN"
    idle_timeout_s: int = 120        # no touch for this long: warn, then wipe
    idle_warning_s: int = 20         # the warning's countdown, part of idle_timeout_s
    catalog_path: str = ""           # empty: the bundled catalog
    idcard_port: str = ""            # serial device of the ID-card reader; empty: none
    printer: str = ""                # tcp://host:9100, serial:///dev/ttyS0?baud=19200, usb://04b8:0202, file:///dev/lp0
    printer_profile: str = "80mm"
    # the A4 laser printer (issue 16): a CUPS queue name ("kiosk-a4"), or "QUEUE@SERVER" for a cupsd other than
    # the local one (SERVER: host, host:port or the path of its socket); empty: no A4 printer here
    a4_printer: str = ""
    # code scanner: "camera:0", "camera:///dev/video0", "hid:usb-Newland*-event-kbd",
    # "serial:///dev/ttyACM0?baud=9600&suffix=cr"; any may add &strip_prefix=..&strip_suffix=..; empty: none
    scanner: str = ""
    scanner_duplicate_window_s: float = 2.0
    # the centre's Ed25519 public keys (base64, comma-separated) that sign e-credentials (电子身份凭证);
    # empty: the kiosk takes none. `kiosk24 casestore issue-credential` prints the key it signs with.
    ecredential_public_keys: str = ""
    # document camera (高拍仪): "camera:0", "camera:///dev/video0", "files:/a.png,/b.jpg" (images as frames),
    # "simulator" (a photographed form, for the demo); empty: none, materials are then supplied at a window
    doccam: str = ""
    # 人证核验 (issue 17): the camera facing the citizen, as doccam: "camera:0", "camera:///dev/video2",
    # "files:/a.jpg,/b.jpg" (images as frames), "simulator" (the packaged genuine photos); empty: none
    face_camera: str = ""
    # the ID-card reader vendor's WLT photo decoder (a .so exporting unpack); empty: chip photos cannot be
    # compared, and the face check says so (the simulator's cards carry JPEG and need none)
    wlt_library: str = ""
    # each try first asks for a head turn (our challenge on a plain camera; loads 100 MB more). Off only where
    # the camera is known to refuse a photo itself: off, a photo held up to a plain camera passes
    face_liveness: bool = True
    sync_interval_s: float = 5.0     # how often the worker looks for due work when idle
    sync_retry_base_s: float = 2.0   # first retry after a failed delivery; doubles up to the cap
    sync_retry_cap_s: float = 300.0
    fullscreen: bool = True
    display: str = ""                # the screen the kiosk keeps to (its Qt name, e.g. HDMI-A-1); "": the primary
    screen_width: int = 1920
    screen_height: int = 1080
    # accessibility (issue 7): the glass's density, the assisted mode, voice guidance, the tactile keypad
    screen_ppi: float = 0.0             # pixels per inch; 0: a 21.5-inch panel at the window's resolution
    accessibility_default: bool = False  # every visit starts in 长辈/无障碍模式 (a kiosk in a care home, say)
    assisted_idle_timeout_s: int = 300  # more time in that mode
    assisted_idle_warning_s: int = 60
    speech_engine: str = "espeak-ng"    # "espeak-ng" (offline) or "none"
    speech_rate_wpm: int = 150          # espeak-ng words per minute at the normal rate
    audio_device: str = ""              # part of the name of the audio output to use (a headphone jack); "": default
    keypad_keys: str = accessibility.DEFAULT_KEYS   # action=QtKey|QtKey,… for previous/next/select/back/help/…
    notify_socket: str = ""          # systemd's NOTIFY_SOCKET: where READY=1 and WATCHDOG=1 go
    watchdog_usec: int = 0           # systemd's WATCHDOG_USEC: ping at half this interval
    # sync and the centre (issue 5)
    # link security (issue 13, docs/security.md). The kiosk's private key (kiosk.key, made by `kiosk24 enrol`)
    # and the outbox key (outbox.key) live in secrets_dir, apart from data_dir, so a copy of the data
    # directory alone opens nothing; "": data_dir's sibling "<data_dir>-secrets" (demo), in production
    # /etc/kiosk24/secrets (root-made, the kiosk's user only) or systemd's $CREDENTIALS_DIRECTORY.
    secrets_dir: str = ""
    centre_ca_file: str = ""         # the CA (PEM) that signed the centre's certificate; "": the system's CAs
    # the centre's Ed25519 public key (base64url) signing the catalog, pushed settings, tokens and every
    # answer; "": the one enrolment pinned (secrets_dir/centre.pub)
    centre_public_key: str = ""
    # the centre's document-signing certificate (PEM file) that `kiosk24 verify` checks printed documents
    # with; "": secrets_dir/centre-documents.pem, fetched once from the centre in an answer signed by its key
    centre_document_certificate: str = ""
    # before keys (kiosks enrolled with an HMAC credential): used once to register the kiosk's key, then unused.
    # The demo and tests may give the kiosk's private key here as PEM.
    credential: str = dataclasses.field(default="", repr=False)
    credential_file: str = ""        # a file holding the credential, readable by the kiosk's user only
    retention_hours: float = 72.0    # delivered applications stay for reprints this long, then are purged
    heartbeat_interval_s: float = 30.0
    pull_interval_s: float = 300.0   # how often the catalog and case status changes are fetched
    technician_timeout_s: int = 300  # technician mode (issue 8): untouched this long, it leaves by itself
    # technician operations (issue 8)
    services: str = ""               # codes this kiosk offers, comma-separated; empty: the whole catalog
    service_hours: str = ""          # CODE=HH:MM-HH:MM[/weekdays],...; "*" for all: when this kiosk offers them
    # the hall citizens are sent to instead of this kiosk (out of service, help, a reader down): the code of one
    # of the catalog's halls, whose name, address and hours the guides and the appointments name too
    alternative_hall: str = ""
    # where the ID-card reader is on this kiosk's body, drawn with an arrow on the start screen (a citizen looks
    # at the glass, not at the body): below, below-left, below-right, left or right of the screen
    reader_place: str = "below"
    shutdown_command: str = "systemctl poweroff"
    housekeeping_hour: int = 3       # local hour of the app's nightly housekeeping; -1: only by the command
    media_roots: str = "/media,/run/media"    # removable media are mounted two levels below these (user/label)
    log_keep: int = 14               # rotated log files kept
    config_file: str = ""            # set by load(): the file read, where technicians' edits are written

    @property
    def database_path(self) -> Path:
        return self.data_dir / "kiosk.db"

    @property
    def secrets_path(self) -> Path:
        return Path(self.secrets_dir) if self.secrets_dir else self.data_dir.with_name(f"{self.data_dir.name}-secrets")

    @property
    def receipts_dir(self) -> Path:
        return self.data_dir / "receipts"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    def validate(self) -> Config:
        if self.language not in LANGUAGES:
            raise ConfigError(f"language: {self.language!r} is not one of {', '.join(LANGUAGES)}")
        if not self.kiosk_id.strip():
            raise ConfigError("kiosk_id: must not be empty")
        _check_centre(self.centre_url, self.centre_ca_file, self.centre_public_key)
        if self.secrets_dir and Path(self.secrets_dir).resolve() == Path(self.data_dir).resolve():
            raise ConfigError("secrets_dir: must not be data_dir, or a copy of the data directory opens its data")
        if self.idle_timeout_s <= self.idle_warning_s or self.idle_warning_s < 5:
            raise ConfigError("idle_timeout_s must exceed idle_warning_s, and idle_warning_s be at least 5")
        if self.screen_ppi and not 40 <= self.screen_ppi <= 400:
            raise ConfigError(f"screen_ppi: {self.screen_ppi} is not 0 (ask the display) or between 40 and 400")
        if self.assisted_idle_timeout_s <= self.assisted_idle_warning_s or self.assisted_idle_warning_s < 5:
            raise ConfigError("assisted_idle_timeout_s must exceed assisted_idle_warning_s, which must be at least 5")
        if not 30 <= self.technician_timeout_s <= 3600:
            raise ConfigError(f"technician_timeout_s: {self.technician_timeout_s} is not between 30 and 3600")
        if self.reader_place not in READER_PLACES:
            raise ConfigError(f"reader_place: {self.reader_place!r} is not one of {', '.join(READER_PLACES)}")
        if self.speech_engine not in ("espeak-ng", "none"):
            raise ConfigError(f"speech_engine: {self.speech_engine!r} is not espeak-ng or none")
        if not 80 <= self.speech_rate_wpm <= 450:
            raise ConfigError(f"speech_rate_wpm: {self.speech_rate_wpm} is not between 80 and 450")
        if self.ecredential_public_keys:
            from kiosk import ecredential  # cryptography: only for a kiosk that checks e-credentials
            try:
                ecredential.parse_public_keys(self.ecredential_public_keys)
            except ValueError as exc:
                raise ConfigError(f"ecredential_public_keys: {exc}") from None
        try:
            accessibility.parse_keys(self.keypad_keys)
        except ValueError as exc:
            raise ConfigError(f"keypad_keys: {exc}") from None
        try:
            local_services.parse_hours(self.service_hours)
        except ValueError as exc:
            raise ConfigError(f"service_hours: {exc}") from None
        if not -1 <= self.housekeeping_hour <= 23:
            raise ConfigError(f"housekeeping_hour: {self.housekeeping_hour} is not an hour 0-23 (or -1: never)")
        if not self.shutdown_command.strip():
            raise ConfigError("shutdown_command: must not be empty")
        if self.log_keep < 1:
            raise ConfigError(f"log_keep: {self.log_keep} is not at least 1")
        for name, low, high in (("sync_interval_s", 0.01, 3600), ("heartbeat_interval_s", 0.5, 3600),
                                ("pull_interval_s", 1, 86400)):    # 0 would hammer the centre, which refuses it
            if not low <= getattr(self, name) <= high:
                raise ConfigError(f"{name}: {getattr(self, name)} is not between {low} and {high}")
        return self


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_centre(url: str, ca_file: str, public_key: str) -> None:
    """Citizens' data leaves the kiosk only over TLS: http:// is for a centre on this machine (the demo)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"centre_url: {url!r} is not an http(s) URL")
    if parts.scheme == "http" and not loopback(parts.hostname):
        raise ConfigError(f"centre_url: {url!r} would carry citizens' data in clear; use https:// "
                          "(http:// is allowed to this machine only)")
    if ca_file and not Path(ca_file).is_file():
        raise ConfigError(f"centre_ca_file: {ca_file} is not a file")
    if public_key:
        try:
            raw = base64.urlsafe_b64decode(public_key.strip().replace("+", "-").replace("/", "_") + "==")
        except (ValueError, binascii.Error):
            raw = b""
        if len(raw) != 32:
            raise ConfigError("centre_public_key: not an Ed25519 public key (32 bytes in base64url)")


# settings a kiosk's config may still hold from before, and what replaced them (load names them)
REPLACED = frozenset({"alternative_place", "alternative_hours"})


def default_path() -> Path:
    return _xdg_home("XDG_CONFIG_HOME", ".config") / "kiosk24" / "kiosk24.toml"


def _convert(name: str, kind: Any, raw: Any) -> Any:
    kind = {"Path": Path, "str": str, "int": int, "float": float, "bool": bool}[str(kind)]
    if kind is bool and isinstance(raw, str):
        if raw.lower() not in ("1", "0", "true", "false", "yes", "no"):
            raise ConfigError(f"{name}: {raw!r} is not a boolean")
        return raw.lower() in ("1", "true", "yes")
    try:
        return kind(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name}: {raw!r} is not a valid {kind.__name__}") from exc


def parse_setting(name: str, raw: str) -> Any:
    """A setting typed as text (the technician's page) as its kind; the error names the setting."""
    fields = {f.name: f.type for f in dataclasses.fields(Config)}
    if name not in fields:
        raise ConfigError(f"unknown setting(s): {name}")
    return _convert(name, fields[name], raw)


def load(path: Path | None = None, environ: Mapping[str, str] | None = None, **overrides: Any) -> Config:
    """Read the file (missing default file is fine, a missing named file is not), apply env, validate."""
    values: dict[str, Any] = {}
    source = ""
    if path is not None or default_path().exists():
        file = path or default_path()
        source = str(file)
        # here: a parser for the file alone, not for every start (~1.7 ms of imports before the first paint)
        import tomllib

        try:
            values.update(tomllib.loads(Path(file).read_text(encoding="utf-8")))
        except FileNotFoundError as exc:
            raise ConfigError(f"config file {file} does not exist") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {file}: {exc}") from exc
    fields = {f.name: f.type for f in dataclasses.fields(Config)}
    for key, raw in (environ or {}).items():
        if key.startswith(ENV_PREFIX):
            values[key[len(ENV_PREFIX):].lower()] = raw
        elif key in SYSTEMD_VARIABLES:      # the file and KIOSK24_* win
            values.setdefault(SYSTEMD_VARIABLES[key], raw)
    values.update(overrides)
    if source:
        values["config_file"] = source
    replaced = sorted(set(values) & REPLACED)
    if replaced:
        raise ConfigError(f"{', '.join(replaced)}: replaced by alternative_hall, the code of one of the catalog's "
                          "halls (its name, address and hours are written once there, as guides and appointments say)")
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(unknown)}")
    return Config(**{k: _convert(k, fields[k], v) for k, v in values.items()}).validate()
