"""Words a citizen reads in their own language: places and hours a technician configured."""
from __future__ import annotations

import datetime as dt

from kiosk.i18n import Translator
from kiosk.out_of_service import Closure
from kiosk.voice import closure_lines


def test_the_out_of_service_notice_gives_english_readers_the_english_place_and_hours() -> None:
    closure = Closure("浉河区政务服务中心（民权路1号） | Shihe District Government Service Centre, 1 Minquan Road",
                      "周一至周六 8:30-17:30 | Monday to Saturday 08:30–17:30", dt.datetime(2026, 11, 25, 22, 0))
    english = " ".join(closure_lines(closure, Translator("en")))
    assert "Shihe District Government Service Centre" in english and "Monday to Saturday 08:30–17:30" in english
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english)
    assert "开放时间：周一至周六 08:30–17:30" in closure_lines(closure, Translator("zh_CN"))
