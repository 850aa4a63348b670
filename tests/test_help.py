"""Help requests (帮办代办) are recorded on the kiosk at once, durably, for sync to deliver."""
import datetime as dt
from pathlib import Path

from kiosk.application import CHINA_TZ
from kiosk.help import HelpLog, HelpRequest


def request(screen: str = "form") -> HelpRequest:
    return HelpRequest.new(kiosk_id="XY-TEST-01", location="信阳市政务服务中心", screen=screen, service_code="T-001",
                           language="zh_CN", assisted=True, audio_only=False,
                           requested_at=dt.datetime(2026, 11, 25, 10, 30, tzinfo=CHINA_TZ))


def test_requests_are_kept_in_order_across_restarts(tmp_path: Path) -> None:
    path = tmp_path / "kiosk" / "help.jsonl"
    first, second = request("form"), request("review")
    assert HelpLog(path).request_help(first).ok
    assert HelpLog(path).request_help(second).ok
    assert HelpLog(path).pending() == [first, second]
    assert first.key != second.key


def test_an_unwritable_place_is_a_named_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    outcome = HelpLog(blocker / "help.jsonl").request_help(request())
    assert outcome.problem == "help.failed" and outcome.detail
