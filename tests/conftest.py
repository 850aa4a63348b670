"""Loads the shared fixtures; each area keeps its real-part fixtures in tests/fixtures/."""
import gc
import os
from collections.abc import Iterator

import pytest

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
    "tests.fixtures.cups",
    "tests.fixtures.face",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that gets Qt widgets (through pytest-qt's qtbot or qapp) is a gui test, marked or not:
    `-m "not gui"` then runs where Qt cannot."""
    for item in items:
        if {"qtbot", "qapp"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _collect_what_the_test_left() -> Iterator[None]:
    """The garbage a test leaves is collected at its end, so a socket or file it left unclosed is reported
    against it (ResourceWarnings are errors here), not against whichever test the collector next ran in: CI
    failed three times on sockets found in test_technician_ops, which opens none."""
    yield
    gc.collect()
