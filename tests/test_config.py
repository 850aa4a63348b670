from pathlib import Path

import pytest

from kiosk import config


def test_file_then_environment(tmp_path: Path) -> None:
    path = tmp_path / "kiosk24.toml"
    path.write_text('kiosk_id = "XY-BANK-07"\nidle_timeout_s = 90\nlanguage = "en"\n', encoding="utf-8")
    loaded = config.load(path, {"KIOSK24_IDLE_TIMEOUT_S": "200", "KIOSK24_DATA_DIR": str(tmp_path / "d"),
                                "OTHER": "ignored"})
    assert loaded.kiosk_id == "XY-BANK-07"
    assert loaded.language == "en"
    assert loaded.idle_timeout_s == 200
    assert loaded.database_path == tmp_path / "d" / "kiosk.db"


@pytest.mark.parametrize("env, message", [
    ({"KIOSK24_LANGUAGE": "fr"}, "language"),
    ({"KIOSK24_IDLE_TIMEOUT_S": "ten"}, "idle_timeout_s"),
    ({"KIOSK24_IDLE_TIMEOUT_S": "10"}, "idle_timeout_s"),
    ({"KIOSK24_CENTRE_URL": "ftp://x"}, "centre_url"),
    ({"KIOSK24_FULLSCREEN": "maybe"}, "fullscreen"),
    ({"KIOSK24_KIOSK_IDD": "typo"}, "kiosk_idd"),
    ({"KIOSK24_READER_PLACE": "under"}, "reader_place"),
])
def test_bad_values_name_the_key(tmp_path: Path, env: dict, message: str) -> None:
    with pytest.raises(config.ConfigError, match=message):
        config.load(None, env)


def test_missing_named_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(config.ConfigError, match="does not exist"):
        config.load(tmp_path / "missing.toml", {})


def test_malformed_toml_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("kiosk_id = \n", encoding="utf-8")
    with pytest.raises(config.ConfigError, match=r"bad\.toml"):
        config.load(path, {})


@pytest.mark.parametrize("name, value", [("heartbeat_interval_s", "0"), ("sync_interval_s", "0"),
                                         ("pull_interval_s", "-1"), ("heartbeat_interval_s", "86400")])
def test_intervals_that_would_hammer_or_starve_the_centre_are_refused(name: str, value: str) -> None:
    with pytest.raises(config.ConfigError, match=name):
        config.load(None, {f"KIOSK24_{name.upper()}": value})
