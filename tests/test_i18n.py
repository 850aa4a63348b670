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
    assert Translator("en").t("idle.warning", seconds=7).endswith("returns to the start in 7 seconds")
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


# -- house style (docs/strings.md) ----------------------------------------------------------------
# Placeholders that stand for digits (or Latin letters and digits, a case number): spaced like them.
NUMERIC = {"age", "attempts", "beats", "bytes", "case_number", "closes", "copies", "count", "date", "day", "days",
           "ends", "hours", "index", "kiosk_id", "left", "max_length", "maximum", "minimum", "minutes", "month", "n",
           "now", "number", "opens", "originals", "page", "pages", "per_page", "percent", "reference", "seconds",
           "since", "size", "starts", "step", "time", "total", "until", "valid_to", "year"}
HAN = r"[\u4e00-\u9fff]"
EN_CHINESE_ON_PURPOSE = {"app.language_switch", "fleet.other_language"}    # the way back to Chinese, in Chinese


def test_chinese_and_latin_letters_or_digits_are_spaced_one_way() -> None:
    """clreq: a consistent space between Chinese and Latin letters or digits; Kiosk24 writes one
    (24 小时, 第 {page} 页, U 盘)."""
    crowded = []
    for key, text in table("zh_CN").items():
        shown = re.sub(r"\{(\w+)\}", lambda m: "0" if m.group(1) in NUMERIC else "某", text)
        if re.search(rf"{HAN}[A-Za-z0-9]|[A-Za-z0-9]{HAN}", shown):
            crowded.append(key)
    assert crowded == []


def test_chinese_takes_full_width_punctuation() -> None:
    """A half-width colon, comma, semicolon, question or exclamation mark or bracket after Chinese."""
    narrow = [key for key, text in table("zh_CN").items() if re.search(rf"{HAN}[:,;?!()]|[()]{HAN}", text)
              and not re.fullmatch(rf"{HAN}+(,{HAN}+)+", text)]       # a list the code splits at commas
    assert narrow == []


def test_no_space_beside_full_width_punctuation() -> None:
    """The full-width mark carries its own space: '（{since} 起）', never '（ 08:30 ）' or '日） 办结'."""
    spaced = [key for key, text in table("zh_CN").items()
              if re.search(r"[，。：；！？（）“”、] | [，。：；！？（）“”、]", text)]
    assert spaced == []


def test_english_screens_show_no_chinese_and_no_placeholder_words() -> None:
    """English written for English readers; no "示例" (sample) left where real words belong."""
    english = [key for key, text in table("en").items() if re.search(HAN, text) and key not in EN_CHINESE_ON_PURPOSE]
    assert english == []
    assert [key for language in ("zh_CN", "en") for key, text in table(language).items() if "示例" in text] == []


def test_a_table_kept_between_starts_is_the_table_parsed_and_is_read_back_only_while_its_files_are_unchanged(
        tmp_path: Path) -> None:
    """The first paint reads a language's table as kept in the data dir at the last start (i18n.keep_parsed_in):
    the same keys and words as parsed from the TOML, and never a table kept from other files, nor a damaged one
    (it is written without a sync, so a power cut may leave it empty or torn: it is then parsed and kept anew)."""
    import json

    from kiosk import i18n

    parsed = dict(table("zh_CN"))
    kept = tmp_path / "cache" / "strings-zh_CN.json"
    i18n.keep_parsed_in(tmp_path / "cache")
    try:
        table.cache_clear()
        assert table("zh_CN") == parsed and kept.exists()          # parsed, then kept
        document = json.loads(kept.read_text(encoding="utf-8"))
        document["strings"]["header.help"] = "kept from other files"
        kept.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        table.cache_clear()
        assert table("zh_CN")["header.help"] == "kept from other files"      # read back while the files match
        document["files"][0][1] += 1                              # as if zh_CN.toml had changed since
        kept.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        table.cache_clear()
        assert table("zh_CN") == parsed                           # parsed again, and kept anew
        assert json.loads(kept.read_text(encoding="utf-8"))["strings"] == parsed
        whole = kept.read_bytes()
        for torn in (b"{not json", b"", b"\0" * 4096, whole[:len(whole) // 2]):  # kept unsynced: a power cut's leavings
            kept.write_bytes(torn)
            table.cache_clear()
            assert table("zh_CN") == parsed and kept.read_bytes() == whole
    finally:
        i18n.keep_parsed_in(None)
        table.cache_clear()
