"""`kiosk24 simulate`: whole visits through the core and the card driver, each ending in the outbox."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from devices.idcard.simulator import demo_cards
from kiosk import catalog
from kiosk.storage import open_database
from sync.keyring import Keyring
from sync.outbox import Outbox

ROOT = Path(__file__).resolve().parents[1]


def test_each_printed_line_is_a_queued_application_with_its_scans(tmp_path: Path) -> None:
    env = {**os.environ, "KIOSK24_DATA_DIR": str(tmp_path), "KIOSK24_KIOSK_ID": "XY-SIM-01",
           "KIOSK24_SECRETS_DIR": str(tmp_path / "secrets")}
    result = subprocess.run([sys.executable, "-m", "tooling.cli", "simulate", "--citizens", "5", "--seed", "7"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    printed = [line.split("\t") for line in result.stdout.splitlines()]
    assert [number for number, _key in printed] == [f"XY-SIM-01-{number.split('-')[-2]}-{n:04d}"
                                                   for n, (number, _key) in enumerate(printed, 1)]
    outbox = Outbox(open_database(tmp_path / "kiosk.db"), "X", Keyring.for_config(tmp_path / "secrets", tmp_path))
    claimed = {item.key: item.payload for item in outbox.claim(limit=10)}
    assert set(claimed) == {key for _number, key in printed}
    services = {s.code: s for s in catalog.load().services}
    names = {card.id_number: card.name for card in demo_cards()}
    for payload in claimed.values():
        service = services[payload["service_code"]]
        assert names[payload["applicant"]["id_number"]] == payload["applicant"]["name"]     # read off the card
        assert len(payload["attachments"]) == min(3, len(service.materials)) + service.needs_signature
        # every question the answers make part of it (a postal address only with delivery by post)
        assert set(payload["form"]) == {field.key for field in service.fields if field.applies(payload["form"])}
    for line in result.stderr.splitlines():                    # the log names cases, never the citizen
        assert not any(name in line for name in names.values())
