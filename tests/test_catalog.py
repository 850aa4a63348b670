"""The bundled demo catalog and the catalog parser's error contract (the holiday calendar: test_workdays)."""
from __future__ import annotations

import collections
import copy
import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kiosk import catalog
from kiosk.catalog import CatalogError, Domain, FieldType, Localized, ServiceKind

DATA = resources.files("kiosk").joinpath("data")
CATALOG_TEXT = DATA.joinpath("catalog.json").read_text(encoding="utf-8")


def raw_catalog() -> dict[str, Any]:
    """A fresh copy of the bundled catalog document, for tests that break it."""
    return json.loads(CATALOG_TEXT)


@pytest.fixture(scope="module")
def bundled() -> catalog.Catalog:
    return catalog.load()


def localized_texts(value: object, where: str = "") -> Iterator[tuple[str, Localized]]:
    """Every Localized inside a parsed value, with a path for the failure message."""
    if isinstance(value, Localized):
        yield where, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from localized_texts(getattr(value, f.name), f"{where}.{f.name}")
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from localized_texts(item, f"{where}[{index}]")


# ------------------------------------------------------------------------------------------------
# The bundled demo catalog


def test_bundled_catalog_loads_with_enough_services(bundled: catalog.Catalog) -> None:
    assert bundled.version == "2026.11-demo"
    assert len(bundled.services) >= 12


def test_every_domain_has_at_least_two_services(bundled: catalog.Catalog) -> None:
    counts = collections.Counter(s.domain for s in bundled.services)
    assert {d: counts[d] for d in Domain if counts[d] < 2} == {}


def test_the_three_kinds_are_all_offered(bundled: catalog.Catalog) -> None:
    assert {s.kind for s in bundled.services} == set(ServiceKind)


def test_codes_are_unique(bundled: catalog.Catalog) -> None:
    codes = collections.Counter(s.code for s in bundled.services)
    assert [c for c, n in codes.items() if n > 1] == []


_USC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _usc_is_valid(code: str) -> bool:
    """GB 32100 unified social credit code check character."""
    if len(code) != 18 or any(c not in _USC_CHARS for c in code):
        return False
    total = sum(_USC_CHARS.index(c) * w for c, w in zip(code[:17], _USC_WEIGHTS, strict=True))
    return _USC_CHARS[(31 - total % 31) % 31] == code[17]


def test_codes_have_the_shape_of_implementation_codes(bundled: catalog.Catalog) -> None:
    """Implementing body's unified social credit code, registered in Xinyang (4115xx), then the item part."""
    for s in bundled.services:
        assert len(s.code) == 31 and s.code[18:].isdigit(), s.code
        assert _usc_is_valid(s.code[:18]), s.code
        assert s.code[2:6] == "4115", s.code


def test_applications_and_filings_ask_for_a_mobile_number(bundled: catalog.Catalog) -> None:
    for s in bundled.services:
        if s.kind is not ServiceKind.QUERY_PRINT:
            mobiles = [f for f in s.fields if f.type is FieldType.MOBILE]
            assert [f.key for f in mobiles] == ["mobile"], s.code
            assert mobiles[0].required, s.code


def test_most_applications_and_filings_carry_the_id_number(bundled: catalog.Catalog) -> None:
    submitted = [s for s in bundled.services if s.kind is not ServiceKind.QUERY_PRINT]
    with_id = [s for s in submitted if any(f.key == "id_number" and f.type is FieldType.ID_NUMBER for f in s.fields)]
    assert len(with_id) * 2 > len(submitted)


def test_every_service_lists_materials(bundled: catalog.Catalog) -> None:
    assert [s.code for s in bundled.services if not s.materials] == []


def test_every_text_has_an_english_translation(bundled: catalog.Catalog) -> None:
    for s in bundled.services:
        assert s.name.zh and s.name.en, s.code
        missing = [where for where, text in localized_texts(s) if text.zh and not text.en]
        assert missing == [], s.code


def test_no_yen_sign_anywhere_in_the_file() -> None:
    """Prices use the full-width yuan sign (U+FFE5), never the Latin-1 yen sign (U+00A5)."""
    assert "\u00a5" not in CATALOG_TEXT


def test_fees_that_name_an_amount_use_the_yuan_sign(bundled: catalog.Catalog) -> None:
    for s in bundled.services:
        for text in (s.fee.zh, s.fee.en):
            assert not any(c.isdigit() for c in text) or "\uffe5" in text, (s.code, text)


def test_accept_missing_goes_with_materials_that_may_be_missing(bundled: catalog.Catalog) -> None:
    """容缺受理 names the materials that may follow (regulation art. 18), and only such items name any."""
    for s in bundled.services:
        assert s.accept_missing == any(m.may_be_missing for m in s.materials), s.code


def test_materials_that_may_be_missing_are_mandatory_ones(bundled: catalog.Catalog) -> None:
    for s in bundled.services:
        for m in s.materials:
            assert not m.may_be_missing or m.mandatory, (s.code, m.name.zh)


def test_material_counts_are_sane(bundled: catalog.Catalog) -> None:
    for s in bundled.services:
        for m in s.materials:
            assert 0 <= m.originals <= 5 and 0 <= m.copies <= 5, (s.code, m.name.zh)


def test_notify_commit_items_carry_the_commitment_and_exclude_public_security(bundled: catalog.Catalog) -> None:
    """Regulation art. 18: no 告知承诺 for public-security matters; a commitment is signed where it applies."""
    for s in bundled.services:
        if s.notify_commit:
            assert s.domain is not Domain.PUBLIC_SECURITY, s.code
            assert any("承诺" in m.name.zh for m in s.materials), s.code


def test_query_print_is_on_the_spot_and_time_limits_are_working_days(bundled: catalog.Catalog) -> None:
    for s in bundled.services:
        assert 0 <= s.time_limit_days <= 60, s.code
        if s.kind is ServiceKind.QUERY_PRINT:
            assert s.time_limit_days == 0, s.code


def test_form_fields_are_well_formed(bundled: catalog.Catalog) -> None:
    for s in bundled.services:
        keys = [f.key for f in s.fields]
        assert len(keys) == len(set(keys)), s.code
        for f in s.fields:
            if f.type is FieldType.CHOICE:
                assert len(f.choices) >= 2, (s.code, f.key)
                assert len({c.zh for c in f.choices}) == len(f.choices), (s.code, f.key)
            else:
                assert f.choices == (), (s.code, f.key)


def test_staffed_hours_are_a_weekday_window(bundled: catalog.Catalog) -> None:
    staffed = [s for s in bundled.services if not s.hours.always]
    assert staffed, "some services need staff in the back office"
    assert any(s.hours.always for s in bundled.services)
    for s in staffed:
        assert s.hours.weekdays_only and s.hours.opens and s.hours.closes, s.code
        assert s.hours.opens < s.hours.closes, s.code
        assert not s.hours.is_open(dt.datetime(2026, 11, 21, 10, 0))       # a Saturday
        assert s.hours.is_open(dt.datetime(2026, 11, 23, 10, 0))           # a Monday


def test_departments_are_local(bundled: catalog.Catalog) -> None:
    assert [s.code for s in bundled.services if "信阳" not in s.department.zh] == []


# ------------------------------------------------------------------------------------------------
# Malformed catalogs are refused with a CatalogError that names the item

REQUIRED_KEYS = ("name", "domain", "department", "kind", "legal_basis", "conditions", "materials",
                 "time_limit_days", "fee")


@pytest.mark.parametrize("key", REQUIRED_KEYS)
def test_a_missing_key_names_the_item_and_the_key(key: str) -> None:
    document = raw_catalog()
    victim = document["services"][3]
    del victim[key]
    with pytest.raises(CatalogError) as info:
        catalog.parse(document)
    assert victim["code"] in str(info.value)
    assert key in str(info.value)


def test_a_missing_code_names_the_item_by_position() -> None:
    document = raw_catalog()
    del document["services"][4]["code"]
    with pytest.raises(CatalogError, match="#4"):
        catalog.parse(document)


@pytest.mark.parametrize(("path", "value"), [
    (("domain",), "transport"),
    (("kind",), "permit"),
    (("time_limit_days",), "three"),
    (("hours", "opens"), "25:00"),
    (("fields", 0, "type"), "datetime"),
    (("materials", 0), "居民身份证"),
    (("name",), {"en": "no Chinese"}),
])
def test_a_bad_value_names_the_item(path: tuple[Any, ...], value: Any) -> None:
    document = raw_catalog()
    victim = next(s for s in document["services"] if s.get("hours"))
    target = victim
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    with pytest.raises(CatalogError) as info:
        catalog.parse(document)
    assert victim["code"] in str(info.value)


def test_duplicate_codes_are_refused_naming_the_code() -> None:
    document = raw_catalog()
    duplicate = copy.deepcopy(document["services"][5])
    document["services"].append(duplicate)
    with pytest.raises(CatalogError, match=duplicate["code"]):
        catalog.parse(document)


@pytest.mark.parametrize("text", ["", "{", '{"services": [}', "{}x"])
def test_invalid_json_is_a_catalog_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid JSON"):
        catalog.load(path)


def test_a_file_that_parses_loads_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(CATALOG_TEXT, encoding="utf-8")
    assert catalog.load(path) == catalog.load()


# Shapes of valid JSON that once escaped catalog.parse as AttributeError, TypeError or OverflowError
# (found by the property test below), kept as named regression cases.
def _service_not_an_object(d: dict[str, Any]) -> Any:
    d["services"][0] = "x"
    return d


def _hours_not_an_object(d: dict[str, Any]) -> Any:
    d["services"][0]["hours"] = 5
    return d


def _time_limit_infinite(d: dict[str, Any]) -> Any:
    d["services"][0]["time_limit_days"] = float("inf")        # what json.loads makes of 1e400 or Infinity
    return d


def _services_null(d: dict[str, Any]) -> Any:
    d["services"] = None
    return d


def _document_an_array(d: dict[str, Any]) -> Any:
    return [d]


KNOWN_ESCAPES = [
    pytest.param(_service_not_an_object, id="service-is-a-string:AttributeError"),
    pytest.param(_hours_not_an_object, id="hours-is-a-number:AttributeError"),
    pytest.param(_time_limit_infinite, id="time_limit_days-is-1e400:OverflowError"),
    pytest.param(_services_null, id="services-is-null:TypeError"),
    pytest.param(_document_an_array, id="document-is-an-array:AttributeError"),
]


@pytest.mark.parametrize("breaks", KNOWN_ESCAPES)
def test_known_malformed_shapes_are_catalog_errors(breaks: Any) -> None:
    with pytest.raises(CatalogError):
        catalog.parse(breaks(raw_catalog()))


# ------------------------------------------------------------------------------------------------
# Property: whatever is deleted or replaced, parse either works or raises CatalogError

_REAL = raw_catalog()
_json_scalars = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats()
                 | st.text(max_size=8) | st.sampled_from(["public_security", "application", "text", "08:30", "#0"]))
json_values = st.recursive(
    _json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def broken_catalogs(draw: st.DrawFn) -> Any:
    """The real catalog with one to three values deleted or replaced, anywhere in the tree."""
    document: Any = copy.deepcopy(_REAL)
    for _ in range(draw(st.integers(1, 3))):
        parent: Any = None
        key: Any = None
        node: Any = document
        while isinstance(node, (dict, list)) and node and draw(st.integers(0, 5)) > 0:
            keys = sorted(node) if isinstance(node, dict) else list(range(len(node)))
            parent, key = node, draw(st.sampled_from(keys))
            node = parent[key]
        if parent is None:
            document = draw(json_values)
        elif draw(st.booleans()):
            del parent[key]
        else:
            parent[key] = draw(json_values)
    return document


@settings(max_examples=300, deadline=None, database=None, report_multiple_bugs=False,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(broken_catalogs())
@example(_hours_not_an_object(raw_catalog()))
def test_parse_raises_only_catalog_error(document: Any) -> None:
    try:
        result = catalog.parse(document)
    except CatalogError:
        return
    assert isinstance(result, catalog.Catalog)


def test_a_bundled_question_is_named_with_its_service_in_its_own_script() -> None:
    """The colon follows the words before it: a service without an English name keeps the full-width colon
    in the English name, so no ": " ever follows a Chinese word."""
    asked = catalog.FormField(key="pickup", type=FieldType.CHOICE, label=Localized("领取方式", "Collection"),
                              section=Localized("退休", "Retirement"))
    untranslated = dataclasses.replace(asked, section=Localized("退休"))
    assert asked.named == Localized("退休：领取方式", "Retirement: Collection")
    assert untranslated.named.en == "退休：Collection"
    assert dataclasses.replace(asked, section=Localized("")).named == asked.label


def test_chinese_text_is_spaced_from_latin_letters_and_digits() -> None:
    """docs/strings.md's rule for the catalog's words too: the guide said 本人2019年1月1日以来 where the screens
    say 20 个工作日 (review i, minor 5). Kept in the file itself, so no start pays for a pass over its text."""
    texts = re.findall(r'"zh": "((?:[^"\\]|\\.)*)"', CATALOG_TEXT)
    unspaced = [t for t in texts if re.search(r"[\u4e00-\u9fff][A-Za-z0-9]|[A-Za-z0-9][\u4e00-\u9fff]", t)]
    assert len(texts) > 1000 and unspaced == []
