"""The technician's operations pages in the real kiosk window: the real outbox on its SQLite file, the
real sync worker and case store, a USB "stick" in a temp folder, the switch kept across a restart."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import tarfile
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QWidget

from kiosk import catalog, logfile, power
from kiosk import config as kiosk_config
from kiosk.session import State
from kiosk.technician import AUDIT_FILE
from sync import usb_export
from sync.casestore.db import Heartbeat, make_engine
from sync.outbox import DEAD, DELIVERED, utcnow
from sync.worker import DISK_FULL
from tests.fixtures.core import make_application
from tests.fixtures.kiosk import KioskUnderTest, newest
from ui.nightly import Nightly

pytestmark = pytest.mark.gui


def open_page(app: KioskUnderTest, key: str, **config: object) -> QWidget:
    """Technician mode on `key`; config replaces settings as if the kiosk had been set up with them."""
    technician = app.kiosk.technician
    if config:
        technician.config = dataclasses.replace(technician.config, **config)
        technician.ops.config = technician.config
    technician.open_shell("tester")
    technician.shell.show_page(key)
    return technician.shell


def text(widget: QWidget) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())


def audited(app: KioskUnderTest) -> list[str]:
    path = app.kiosk.config.data_dir / AUDIT_FILE
    return [json.loads(line)["action"] for line in path.read_text().splitlines()] if path.exists() else []


def test_outbox_page_syncs_now_names_dead_letters_and_retries_them(kiosk_app: KioskUnderTest) -> None:
    app, kiosk = kiosk_app, kiosk_app.kiosk
    kiosk.worker.stop()                         # nothing moves but what the page asks for
    ours = dataclasses.replace(make_application(), kiosk_id=kiosk.config.kiosk_id)
    foreign = make_application()                # names another kiosk: the real centre refuses it (403)
    for application in (ours, foreign):
        assert kiosk.outbox.submit(application).ok
    shell = open_page(app, "outbox")
    app.qtbot.waitUntil(lambda: "待发送：2 件" in text(shell))
    app.tap("Primary", role="sync_now")
    app.qtbot.waitUntil(lambda: "本次送达 1 件" in text(shell) and "无法送达：1 件" in text(shell), timeout=10_000)
    assert "HTTP 403" in text(shell) and "a kiosk submits only its own applications" in text(shell)
    assert app.centre_records(ours.idempotency_key)
    assert "已送达（保留备查）：1 件" in text(shell)
    app.tap("", role="retry_dead")
    app.qtbot.waitUntil(lambda: "已有 1 件重新放回队列" in text(shell) and "无法送达：0 件" in text(shell))
    assert [r.state for r in kiosk.outbox.rows() if r.id == foreign.idempotency_key] != [DEAD]
    app.qtbot.waitUntil(lambda: {"outbox.sync_now", "outbox.retry_dead"} <= set(audited(app)))


def test_outbox_page_says_a_full_disk_and_a_clock_jump_plainly(kiosk_app: KioskUnderTest) -> None:
    app, worker = kiosk_app, kiosk_app.kiosk.worker
    worker.stop()
    worker._set_state(DISK_FULL, "database or disk is full")    # what its loop records on SQLITE_FULL
    worker._clock = (time.time() - 3600, time.monotonic())     # its last look: an hour ago by the wall clock only
    worker.watch_clock()
    shell = open_page(app, "outbox")
    app.qtbot.waitUntil(lambda: "磁盘已满：请清理空间" in text(shell) and "本机时钟曾跳变" in text(shell))
    assert "+3600 s" in text(shell)
    assert [w.property("sync_state") for w in shell.findChildren(QLabel) if w.property("sync_state")] == [DISK_FULL]


def test_network_page_shows_the_centre_the_last_heartbeat_and_never_the_credential(kiosk_app: KioskUnderTest) -> None:
    app, worker = kiosk_app, kiosk_app.kiosk.worker
    app.qtbot.waitUntil(lambda: "heartbeat" in worker.contacts, timeout=10_000)
    shell = open_page(app, "network")
    app.qtbot.waitUntil(lambda: "中心：可以连接" in text(shell))
    shown = text(shell)
    assert "最近一次心跳：尚无" not in shown and "本机凭证：已配置" in shown
    assert app.kiosk.config.credential not in shown
    app.kiosk.technician.leave()
    shell = open_page(app, "network", centre_url="http://127.0.0.1:9", credential="")
    app.qtbot.waitUntil(lambda: "中心：无法连接" in text(shell))
    assert "本机凭证：未配置" in text(shell)


def test_settings_page_names_a_bad_setting_and_writes_a_good_one(kiosk_app: KioskUnderTest, tmp_path: Path) -> None:
    app = kiosk_app
    file = tmp_path / "kiosk24.toml"
    file.write_text('# the installer\'s note\nkiosk_id = "XY-DEMO-01"\n', encoding="utf-8")
    shell = open_page(app, "settings", config_file=str(file))
    timeout = newest(shell, QLineEdit, "setting_idle_timeout_s")
    assert timeout.text() == "120"
    timeout.clear()
    app.qtbot.keyClicks(timeout, "abc")
    app.tap("Primary", role="save_settings")
    app.qtbot.waitUntil(lambda: "设置有误，未保存" in text(shell))
    assert "idle_timeout_s" in text(shell) and "idle_timeout_s" not in file.read_text(encoding="utf-8")
    timeout.clear()
    app.qtbot.keyClicks(timeout, "180")
    place = newest(shell, QLineEdit, "setting_location")
    place.clear()
    place.setFocus()
    pinyin = QInputMethodEvent()                # Chinese arrives as the input method's committed text
    pinyin.setCommitString("浉河区政务服务中心")
    QApplication.sendEvent(place, pinyin)
    app.qtbot.keyClicks(newest(shell, QLineEdit, "setting_alternative_hall"), "SHQ")
    app.tap("Primary", role="save_settings")
    app.qtbot.waitUntil(lambda: "请重启应用使设置生效" in text(shell))
    reloaded = kiosk_config.load(file, {})
    assert (reloaded.idle_timeout_s, reloaded.location, reloaded.alternative_hall) == (180, "浉河区政务服务中心", "SHQ")
    assert "# the installer's note" in file.read_text(encoding="utf-8")
    assert app.window.idle.timeout_s == 120                  # applied after a restart, not now
    app.qtbot.waitUntil(lambda: "settings.save" in audited(app))


def test_logs_page_exports_to_a_stick_and_says_when_it_is_full(kiosk_app: KioskUnderTest, tmp_path: Path) -> None:
    app, config = kiosk_app, kiosk_app.kiosk.config
    media = tmp_path / "media" / "kiosk"
    (media / "TECH-USB").mkdir(parents=True)
    (media / "FULL-USB").mkdir()
    os.symlink("/dev/full", media / "FULL-USB" / usb_export.PARTIAL)    # the kernel's own "no space left"
    config.log_dir.mkdir(parents=True, exist_ok=True)
    (config.log_dir / logfile.NAME).write_text("INFO sync state ok\n", encoding="utf-8")
    shell = open_page(app, "logs", media_roots=str(tmp_path / "media"))
    sticks = {Path(b.property("stick")).name for b in shell.findChildren(QPushButton) if b.property("stick")}
    assert sticks == {"TECH-USB", "FULL-USB"}
    app.tap("Primary", role="export", stick=str(media / "TECH-USB"))
    app.qtbot.waitUntil(lambda: "已写入" in text(shell), timeout=10_000)
    [written] = (media / "TECH-USB").glob("kiosk24-XY-DEMO-01-*.tar.gz")
    assert f"共 {written.stat().st_size} 字节" in text(shell)
    with tarfile.open(written) as archive:
        assert {"logs/kiosk24.log", "health.json", "queue.json"} <= set(archive.getnames())
        assert json.load(archive.extractfile("health.json"))["kiosk_id"] == "XY-DEMO-01"
    app.qtbot.waitUntil(lambda: bool(app.buttons("Primary", role="export", stick=str(media / "FULL-USB"))))  # anew
    app.tap("Primary", role="export", stick=str(media / "FULL-USB"))
    app.qtbot.waitUntil(lambda: "U 盘空间不足" in text(shell), timeout=10_000)
    assert list((media / "FULL-USB").iterdir()) == []


def test_out_of_service_shows_the_notice_survives_a_restart_and_reaches_the_centre(
        kiosk_app: KioskUnderTest, tmp_path: Path) -> None:
    from ui import bootstrap

    app = kiosk_app
    shell = open_page(app, "service", alternative_hall="SHQ")
    app.kiosk.technician.ops.switch.hall = catalog.load().hall("SHQ")      # as configured at start
    app.tap("Primary", role="close_service")
    app.qtbot.waitUntil(lambda: app.session.closure is not None and "本机已暂停服务" in text(shell))
    app.kiosk.technician.leave()
    screen = app.window.screen_widget
    assert "本机暂停服务" in text(screen)
    assert "请您前往浉河区政务服务中心（信阳市浉河区四一路 8 号）办理。" in text(screen)
    app.kiosk.controller.start()
    assert app.session.state is State.ATTRACT and app.window.screen_widget is not None
    app.kiosk.worker.heartbeat()
    with make_engine(app.casestore.db_url).connect() as conn:
        report = conn.execute(sa.select(Heartbeat.report).where(Heartbeat.kiosk_id == "XY-DEMO-01")).scalar_one()
    assert json.loads(report)["out_of_service"] is True
    config = dataclasses.replace(app.kiosk.config, alternative_hall="SHQ")
    again = bootstrap.build(config)                           # the kiosk after a restart
    try:
        assert again.controller.session.closure is not None
        again.window.resize(1920, 1080)
        again.window.show()
        assert "请您前往浉河区政务服务中心（信阳市浉河区四一路 8 号）办理。" in text(again.window.screen_widget)
        again.technician.open_shell("tester")
        again.technician.shell.show_page("service")
        [reopen] = [b for b in again.technician.shell.findChildren(QPushButton) if b.property("role") == "reopen"]
        app.qtbot.mouseClick(reopen, Qt.LeftButton)
        app.qtbot.waitUntil(lambda: again.controller.session.closure is None)
        assert not (config.data_dir / "out_of_service.json").exists()
    finally:
        again.stop()
        again.window.lock_close = False
        again.window.close()


def test_restart_and_shut_down_ask_twice_and_are_audited(kiosk_app: KioskUnderTest, tmp_path: Path) -> None:
    app = kiosk_app
    codes: list[int] = []
    technician = app.kiosk.technician
    technician.ops.quit = codes.append
    marker = tmp_path / "powered-off"
    shell = open_page(app, "power", shutdown_command=f"touch {marker}")
    for _ in range(2):
        app.tap("Primary", role="restart")
    assert codes == []
    app.tap("", role="restart_cancel")                       # backing out starts again
    for _ in range(3):
        app.tap("Primary", role="restart")
    assert codes == [power.RESTART_EXIT_CODE]
    for _ in range(3):
        app.tap("Primary", role="shutdown")
    app.qtbot.waitUntil(marker.exists)
    technician.leave()
    shell = open_page(app, "power", shutdown_command="sh -c 'echo Interactive authentication required >&2; exit 1'")
    for _ in range(3):
        app.tap("Primary", role="shutdown")
    app.qtbot.waitUntil(lambda: "关机命令执行失败" in text(shell) and "Interactive authentication" in text(shell))
    app.qtbot.waitUntil(lambda: audited(app).count("power.shutdown") == 2 and "power.restart" in audited(app))


def test_nightly_housekeeping_runs_once_at_its_hour_off_the_ui_thread(kiosk_app: KioskUnderTest) -> None:
    app, kiosk = kiosk_app, kiosk_app.kiosk
    kiosk.worker.stop()
    application = make_application()
    kiosk.outbox.submit(application)
    kiosk.outbox.settle([(application.idempotency_key, {"state": DELIVERED, "central_case_number": "C-1",
                                                         "delivered_at": utcnow() - dt.timedelta(hours=100)})])
    night = dt.datetime(2026, 11, 26, 3, 0)
    nightly = Nightly(app.window, kiosk.config, kiosk.outbox, kiosk.worker.messages, kiosk.bridge, clock=lambda: night)
    nightly.check()
    app.qtbot.waitUntil(lambda: not nightly.running and kiosk.outbox.rows() == [])
    assert nightly.last_day == night.date()
    nightly.check()                                          # once a night
    assert not nightly.running
