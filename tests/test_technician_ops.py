"""Technician operations without a screen: settings written atomically, the out-of-service switch,
housekeeping, the USB export, the health report and the power commands, on real files and SQLite."""
from __future__ import annotations

import datetime as dt
import json
import os
import tarfile
from pathlib import Path

import pytest

from kiosk import catalog, config_edit, logfile, power
from kiosk import config as kiosk_config
from kiosk.out_of_service import ServiceSwitch
from kiosk.session import Event, InvalidTransition, Session, State
from kiosk.storage import open_database
from sync import health_report, housekeeping, usb_export
from sync.outbox import DELIVERED, PENDING, Outbox, utcnow
from tests.fixtures.core import make_application


def configured(tmp_path: Path, text: str = "") -> kiosk_config.Config:
    file = tmp_path / "kiosk24.toml"
    file.write_text(f'# installed by the vendor\nkiosk_id = "XY-BANK-07"  # on the sticker\n{text}', encoding="utf-8")
    return kiosk_config.load(file, {}, data_dir=tmp_path / "data")


def test_edited_settings_reach_the_file_with_its_comments_and_load_at_the_next_start(tmp_path: Path) -> None:
    config = configured(tmp_path)
    shown = config_edit.shown(config)
    assert "credential" not in shown and shown["kiosk_id"] == "XY-BANK-07"
    changed = config_edit.save(config, {**shown, "location": "平桥区 邮政储蓄银行 24小时自助区",
                                        "idle_timeout_s": "150", "accessibility_default": "true"})
    assert changed == ["accessibility_default", "idle_timeout_s", "location"]
    text = (tmp_path / "kiosk24.toml").read_text(encoding="utf-8")
    assert "# installed by the vendor" in text and "# on the sticker" in text
    assert "data_dir" not in text                  # what was not edited is not frozen into the file
    again = kiosk_config.load(tmp_path / "kiosk24.toml", {})
    assert (again.idle_timeout_s, again.accessibility_default, again.location) == (
        150, True, "平桥区 邮政储蓄银行 24小时自助区")
    assert config_edit.save(config, {"idle_timeout_s": "120"}) == ["idle_timeout_s"]     # put back: written too
    assert kiosk_config.load(tmp_path / "kiosk24.toml", {}).idle_timeout_s == 120
    assert config_edit.save(config, {"idle_timeout_s": "120"}) == []


@pytest.mark.parametrize("name, text, named", [
    ("idle_timeout_s", "ten", "idle_timeout_s"),
    ("idle_timeout_s", "10", "idle_timeout_s"),               # not more than the warning
    ("centre_url", "cases.example", "centre_url"),
    ("language", "fr", "language"),
    ("housekeeping_hour", "25", "housekeeping_hour"),
])
def test_a_bad_setting_is_named_and_the_file_stays_as_it_was(tmp_path: Path, name: str, text: str,
                                                              named: str) -> None:
    config = configured(tmp_path)
    before = (tmp_path / "kiosk24.toml").read_bytes()
    with pytest.raises(kiosk_config.ConfigError, match=named):
        config_edit.save(config, {name: text})
    assert (tmp_path / "kiosk24.toml").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk24.toml"]          # no temp file left behind


def test_out_of_service_survives_a_restart_and_stops_visits(tmp_path: Path, session: Session) -> None:
    switch = ServiceSwitch(tmp_path, catalog.load().hall("SHQ"))
    assert switch.current() is None
    switch.close(dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC))
    after_restart = ServiceSwitch(tmp_path, catalog.load().hall("SHQ")).current()
    assert after_restart is not None and after_restart.hall == catalog.load().hall("SHQ")
    session.set_closure(after_restart)
    assert not session.can(Event.START)
    with pytest.raises(InvalidTransition):
        session.fire(Event.START)
    session.wipe()                                  # the end of a visit does not reopen the kiosk
    assert session.closure is after_restart and session.state is State.ATTRACT
    switch.reopen()
    assert ServiceSwitch(tmp_path).current() is None


def test_a_damaged_switch_file_keeps_the_kiosk_closed(tmp_path: Path) -> None:
    (tmp_path / "out_of_service.json").write_text("{not json", encoding="utf-8")
    assert ServiceSwitch(tmp_path, catalog.load().hall("SHQ")).current() is not None


def deliver(outbox: Outbox, key: str, ago: dt.timedelta) -> None:
    outbox.settle([(key, {"state": DELIVERED, "central_case_number": f"C-{key[-4:]}", "delivered_at": utcnow() - ago})])


def test_housekeeping_purges_exactly_what_is_past_retention(tmp_path: Path) -> None:
    config = kiosk_config.load(None, {}, data_dir=tmp_path, retention_hours=72, log_keep=2)
    outbox = Outbox(open_database(config.database_path), config.kiosk_id)
    applications = [make_application() for _ in range(4)]
    for application in applications:
        assert outbox.submit(application).ok
    keys = [a.idempotency_key for a in applications]
    deliver(outbox, keys[0], dt.timedelta(hours=73))     # past retention: goes
    deliver(outbox, keys[1], dt.timedelta(hours=71))     # still kept for reprints
    outbox.settle([(keys[2], {"created_at": utcnow() - dt.timedelta(days=30)})])   # old but never delivered
    config.log_dir.mkdir()
    for number in range(3):
        (config.log_dir / logfile.NAME).write_text(f"night {number}\n", encoding="utf-8")
        done = housekeeping.run(config, outbox)
        if number == 0:
            assert done.purged_applications == 1 and done.vacuumed
    assert [r.id for r in outbox.rows()] == sorted(keys[1:])
    assert {r.id: r.state for r in outbox.rows()}[keys[2]] == PENDING
    assert [p.name for p in logfile.files(config.log_dir)] == ["kiosk24.log.1", "kiosk24.log.2"]
    assert (config.log_dir / "kiosk24.log.2").read_text(encoding="utf-8") == "night 1\n"
    assert done.report["applications"]["pending"] == 2 and done.report["kiosk_id"] == config.kiosk_id
    json.dumps(done.as_dict())                               # the command prints it as JSON


def test_housekeeping_is_due_once_at_its_hour() -> None:
    night = dt.datetime(2026, 11, 25, 3, 10)
    assert housekeeping.is_due(night, 3, None)
    assert not housekeeping.is_due(night, 3, night.date())
    assert not housekeeping.is_due(night.replace(hour=4), 3, None)
    assert not housekeeping.is_due(night, -1, None)


def test_the_health_report_names_dead_letters_and_never_the_credential(tmp_path: Path, outbox: Outbox) -> None:
    secret = tmp_path / "credential"
    secret.write_text("s3cret-value\n", encoding="utf-8")
    config = kiosk_config.load(None, {}, data_dir=tmp_path, credential_file=str(secret))
    application = make_application()
    outbox.submit(application)
    outbox.dead(application.idempotency_key, "HTTP 422: unknown service T-001")
    report = health_report.report(config, outbox)
    [dead] = report.dead_letters
    assert (dead.kind, dead.reason) == ("T-001", "HTTP 422: unknown service T-001")
    assert report.credential_present and "s3cret" not in json.dumps(report.as_dict())
    assert report.applications.dead == 1 and report.state == ""
    secret.write_text("", encoding="utf-8")
    assert not health_report.credential_present(config)


def test_removable_media_are_found_two_levels_down(tmp_path: Path) -> None:
    (tmp_path / "media" / "kiosk" / "TECH-USB").mkdir(parents=True)
    (tmp_path / "run" / "kiosk" / "背包盘").mkdir(parents=True)
    (tmp_path / "media" / "stray.txt").write_text("x")
    roots = f"{tmp_path / 'media'}, {tmp_path / 'run'}, {tmp_path / 'absent'}"
    assert usb_export.media(roots) == [tmp_path / "media" / "kiosk" / "TECH-USB", tmp_path / "run" / "kiosk" / "背包盘"]


def test_logs_go_to_the_stick_as_one_dated_archive(tmp_path: Path) -> None:
    logs, stick = tmp_path / "logs", tmp_path / "media" / "kiosk" / "TECH-USB"
    stick.mkdir(parents=True)
    logs.mkdir()
    (logs / logfile.NAME).write_text("INFO queued application 0190 as XY-1\n", encoding="utf-8")
    (logs / f"{logfile.NAME}.1").write_text("INFO yesterday\n", encoding="utf-8")
    now = dt.datetime(2026, 11, 25, 16, 5, 0)
    outcome = usb_export.export(stick, logs, "XY-BANK-07", {"applications": {"pending": 3}, "kiosk_id": "XY-BANK-07"},
                                now)
    assert outcome.ok
    assert outcome.value.path == stick / "kiosk24-XY-BANK-07-20261125-160500.tar.gz"
    assert outcome.value.bytes_written == outcome.value.path.stat().st_size > 0
    with tarfile.open(outcome.value.path) as archive:
        assert sorted(archive.getnames()) == ["health.json", "logs/kiosk24.log", "logs/kiosk24.log.1", "queue.json"]
        assert json.load(archive.extractfile("queue.json"))["applications"] == {"pending": 3}
    assert not (stick / usb_export.PARTIAL).exists()


def test_a_full_stick_is_said_plainly_and_leaves_nothing_half_written(tmp_path: Path) -> None:
    stick = tmp_path / "TECH-USB"
    stick.mkdir()
    os.symlink("/dev/full", stick / usb_export.PARTIAL)      # the kernel's own "no space left on device"
    outcome = usb_export.export(stick, tmp_path / "logs", "XY-1", {"x": "y" * 100_000}, dt.datetime(2026, 11, 25))
    assert outcome.problem == usb_export.FULL and "No space" in outcome.detail
    assert list(stick.iterdir()) == []


def test_a_removed_stick_is_said_plainly(tmp_path: Path) -> None:
    outcome = usb_export.export(tmp_path / "gone", tmp_path / "logs", "XY-1", {}, dt.datetime(2026, 11, 25))
    assert outcome.problem == usb_export.REMOVED


def test_shutdown_runs_the_configured_command_and_reports_a_refusal(tmp_path: Path) -> None:
    marker = tmp_path / "powered-off"
    assert power.shut_down(f"touch {marker}").ok and marker.exists()
    refused = power.shut_down("sh -c 'echo Access denied >&2; exit 1'")
    assert refused.problem == "technician_ops.power.shutdown_failed" and "Access denied" in refused.detail
    assert power.shut_down("/nonexistent/poweroff").problem == "technician_ops.power.shutdown_failed"


def test_the_unit_restarts_the_app_after_a_restart_exit() -> None:
    unit = (Path(__file__).parents[1] / "packaging" / "kiosk24.service").read_text(encoding="utf-8")
    assert "Restart=always" in unit or f"RestartForceExitStatus={power.RESTART_EXIT_CODE}" in unit


def test_the_housekeeping_command_prints_what_it_did(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tooling.cli import main

    file = tmp_path / "kiosk24.toml"
    file.write_text(f'data_dir = "{tmp_path / "data"}"\nretention_hours = 1\n', encoding="utf-8")
    config = kiosk_config.load(file, {})
    outbox = Outbox(open_database(config.database_path), config.kiosk_id)
    old, kept = make_application(), make_application()
    for application in (old, kept):
        outbox.submit(application)
    deliver(outbox, old.idempotency_key, dt.timedelta(hours=2))
    assert main(["housekeeping", "--json", "--config", str(file)], environ={}) == 0
    done = json.loads(capsys.readouterr().out)
    assert (done["purged_applications"], done["vacuumed"]) == (1, True)
    assert done["report"]["applications"]["pending"] == 1
    assert [r.id for r in outbox.rows()] == [kept.idempotency_key]


def test_a_kiosk_offers_the_services_and_hours_its_config_names(small_catalog) -> None:
    from kiosk import local_services

    offered = local_services.restrict(small_catalog, "T-001, GONE-9", "T-001=07:00-22:00/weekdays")
    [service] = offered.services
    assert (service.code, service.hours.opens.hour, service.hours.closes.hour, service.hours.weekdays_only) == (
        "T-001", 7, 22, True)
    everywhere = local_services.restrict(small_catalog, "", "*=-")
    assert [s.hours.always for s in everywhere.services] == [True, True]
    assert local_services.restrict(small_catalog, "", "") == small_catalog
    for bad in ("T-001=22:00-07:00", "T-001=8点", "07:00-22:00"):
        with pytest.raises(kiosk_config.ConfigError, match="service_hours"):
            kiosk_config.load(None, {}, service_hours=bad)


@pytest.mark.parametrize("language, heard", [
    ("zh_CN", "请您前往浉河区政务服务中心（信阳市浉河区四一路 8 号）办理。"),
    ("en", "Please go to Shihe District Government Service Centre, 8 Siyi Road, Shihe District.")])
def test_the_notice_is_spoken_as_it_is_shown(session: Session, language: str, heard: str) -> None:
    from kiosk import voice
    from kiosk.closure import Closure

    session.set_language(language)
    session.set_closure(Closure(catalog.load().hall("SHQ"), dt.datetime(2026, 11, 25, tzinfo=dt.UTC)))
    said = voice.announcement(session, session.translator)
    assert heard in said and "08:30–12:00" in said      # the house style of hours (kiosk/hours)
    assert "12345" in said                              # a hotline that answers at night, when the hall does not
    assert said == " ".join(voice.closure_lines(session.closure, session.translator, session.clock(),
                                                session.calendar))
