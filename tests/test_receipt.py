"""The acceptance receipt's contents, printed through the real renderer and read back from its ESC/POS bytes."""
from __future__ import annotations

import dataclasses

import pytest

from devices.printer import decoder
from devices.printer.escpos_render import MARGIN_COLUMNS, columns, render
from devices.printer.profile import PROFILE_58MM, PROFILE_80MM, PrinterProfile
from kiosk import catalog, punctuation, receipt
from kiosk.catalog import Service
from kiosk.i18n import Translator
from tests.fixtures.core import make_application

CASE = "XY-TEST-01-20261125-0001"
CRIMINAL_RECORD = "无犯罪记录证明开具"


@pytest.fixture(scope="module")
def certificate() -> Service:
    """The bundled catalog's 无犯罪记录证明: it asks how the citizen receives the result (领取方式)."""
    return next(s for s in catalog.load().services if s.name.zh == CRIMINAL_RECORD)


def printed(paper: receipt.Receipt, profile: PrinterProfile) -> list[str]:
    """The lines as the printer receives them, read back from the bytes, margins stripped."""
    [page] = decoder.pages(render(paper, profile))
    return [line.strip() for line in decoder.text_lines(page)]


def chosen(service: Service, choice: int) -> dict[str, str]:
    delivery = next(f for f in service.fields if f.key == receipt.DELIVERY_FIELD)
    return {receipt.DELIVERY_FIELD: delivery.choices[choice].zh}


@pytest.mark.parametrize("profile", [PROFILE_80MM, PROFILE_58MM], ids=lambda p: p.name)
def test_the_chosen_way_to_receive_the_result_is_printed(certificate: Service, profile: PrinterProfile) -> None:
    app = dataclasses.replace(make_application(code=certificate.code), form=chosen(certificate, 1))
    lines = printed(receipt.compose(app, certificate, CASE, Translator("zh_CN")), profile)
    assert "".join(lines).count("领取方式：到受理派出所领取纸质证明") == 1


def test_the_english_receipt_names_the_choice_in_english(certificate: Service) -> None:
    app = dataclasses.replace(make_application(code=certificate.code), form=chosen(certificate, 0))
    text = receipt.compose(app, certificate, CASE, Translator("en")).text()
    assert "How to receive it: Electronic certificate (download link by text message)" in text
    assert "电子证明" not in text


def test_no_delivery_line_for_a_service_that_does_not_ask(certificate: Service) -> None:
    plain = dataclasses.replace(certificate, fields=tuple(f for f in certificate.fields
                                                          if f.key != receipt.DELIVERY_FIELD))
    text = receipt.compose(make_application(code=certificate.code), plain, CASE, Translator("zh_CN")).text()
    assert "领取方式" not in text


def test_a_reprint_carries_the_departments_case_number_once_known(certificate: Service) -> None:
    app = make_application(code=certificate.code)
    tr = Translator("zh_CN")
    first = printed(receipt.compose(app, certificate, CASE, tr), PROFILE_80MM)
    reprint = printed(receipt.compose(app, certificate, CASE, tr, central_case_number="XYGA-2026-000123"),
                      PROFILE_80MM)
    assert not any("部门受理号" in line for line in first)
    assert reprint.count("部门受理号：XYGA-2026-000123") == 1
    assert sum(CASE in line for line in reprint) == 1


def test_chinese_fields_take_the_full_width_colon_and_english_ones_the_ascii_colon() -> None:
    assert punctuation.pair("受理编号", "X-1") == "受理编号：X-1"
    assert punctuation.pair("Case number", "X-1") == "Case number: X-1"


def test_every_printed_line_keeps_the_margin(certificate: Service) -> None:
    app = dataclasses.replace(make_application(code=certificate.code), form=chosen(certificate, 0))
    for profile in (PROFILE_80MM, PROFILE_58MM):
        [page] = decoder.pages(render(receipt.compose(app, certificate, CASE, Translator("zh_CN"), location="信阳市政务"
                                                      "服务中心一楼东侧 24 小时自助服务区"), profile))
        lines = [b for b in page if isinstance(b, decoder.TextLine) and b.text.strip()]
        body = [b.text for b in lines if b.align == "left"]
        assert body and all(t.startswith(" " * MARGIN_COLUMNS) for t in body)
        assert all(columns(t) <= profile.columns - MARGIN_COLUMNS for t in body)


def test_case_numbers_are_grouped_for_reading_with_their_dashes_kept() -> None:
    assert receipt.readable("XY-TEST-01-20261125-0001") == "XY-TEST-01-2026 1125-0001"
    assert receipt.readable("AB12-0007") == "AB12-0007"
    assert receipt.readable("XY-20261125-0007").replace(" ", "") == "XY-20261125-0007"


def test_the_kiosks_place_is_printed_in_the_receipts_language(certificate: Service) -> None:
    app = make_application(code=certificate.code)
    place = "信阳市政务服务中心 24 小时自助服务区 | Xinyang Government Service Centre, 24-hour area"
    english = receipt.compose(app, certificate, CASE, Translator("en"), location=place).text()
    chinese = receipt.compose(app, certificate, CASE, Translator("zh_CN"), location=place).text()
    assert "Kiosk location: Xinyang Government Service Centre, 24-hour area" in english and "信阳" not in english
    assert "终端位置：信阳市政务服务中心 24 小时自助服务区" in chinese and "Xinyang" not in chinese

