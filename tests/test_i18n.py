"""Both languages hold the same keys with the same placeholders: no citizen meets a raw key."""
import re
from pathlib import Path

from kiosk.i18n import Translator, placeholders, table

ROOT = Path(__file__).resolve().parents[1]


def test_languages_have_the_same_keys_and_placeholders() -> None:
    zh, en = table("zh_CN"), table("en")
    assert zh.keys() == en.keys()
    for key in zh:
        assert placeholders(zh[key]) == placeholders(en[key]), key


def test_every_key_used_in_code_exists() -> None:
    known = table("zh_CN")
    used: set[str] = set()
    for path in list((ROOT / "ui").rglob("*.py")) + list((ROOT / "kiosk").rglob("*.py")):
        used |= set(re.findall(r'\.t\("([a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert used, "the scan found no keys: the pattern is wrong"
    assert sorted(used - known.keys()) == []


def test_format_and_fallback() -> None:
    assert Translator("en").t("idle.warning", seconds=7).startswith("Are you still there? In 7 seconds")
    assert "7" in Translator("zh_CN").t("idle.warning", seconds=7)


def test_every_problem_a_device_can_report_has_a_text() -> None:
    """Drivers name problems by key; a citizen must never see the key itself."""
    known = table("zh_CN")
    pattern = r'"((?:idcard|printer|scanner|mrz|doccam)\.[a-z_]+)"'
    named: set[str] = set()
    for path in (ROOT / "devices").rglob("*.py"):
        named |= set(re.findall(pattern, path.read_text(encoding="utf-8")))
    assert len(named) >= 15, "the scan found too few keys: the pattern is wrong"
    assert sorted(named - known.keys()) == []
