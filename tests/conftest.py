"""Loads the shared fixtures; each area keeps its real-part fixtures in tests/fixtures/."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = [
    "tests.fixtures.common",
    "tests.fixtures.core",
    "tests.fixtures.casestore",
    "tests.fixtures.idcard",
    "tests.fixtures.printer",
    "tests.fixtures.kiosk",
    "tests.fixtures.devices_cli",
    "tests.fixtures.scanner",
    "tests.fixtures.postgres",
    "tests.fixtures.proxy",
]
