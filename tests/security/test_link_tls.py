"""TLS on the kiosk-centre link, with certificates made in the test: the kiosk checks the centre's
certificate against centre_ca_file, a path that is not the centre's reads nothing, and a kiosk refuses
to start with http:// to anything but this machine."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from kiosk import config as kiosk_config
from sync.client import CentreClient, Delivery
from sync.signing import Signer
from tests.fixtures.casestore import CaseStoreFactory, CaseStoreServer
from tests.fixtures.common import wait_until
from tests.fixtures.core import make_identity
from tests.fixtures.tls import make_tls
from tests.test_casestore import application

ROOT = Path(__file__).resolve().parents[2]
KIOSK = "KIOSK-0101"


class Tap:
    """A TCP relay on 127.0.0.1 that keeps every byte it carries: what a listener on the path reads."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.carried = bytearray()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                self.carried += data
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()        # else freed unclosed when the thread ends: a ResourceWarning in a later test

    def close(self) -> None:
        self.listener.close()


def test_over_tls_the_path_reads_no_citizens_data(tmp_path: Path, casestore_factory: CaseStoreFactory) -> None:
    server = casestore_factory(tls=make_tls(tmp_path / "tls"))
    tap = Tap(server.port)
    client = CentreClient(f"https://127.0.0.1:{tap.port}", Signer(KIOSK, server.enrol(KIOSK)), ca_file=server.ca_file,
                          centre_key=lambda: server.centre_public_key)
    person = make_identity()
    body = application()
    body["applicant"].update(name=person.name, id_number=person.id_number)
    try:
        result = client.push(body)
        catalog = client.catalog(None)          # verified: TLS and the centre's signature together
    finally:
        client.close()
        tap.close()
    assert result.kind is Delivery.DELIVERED and catalog is not None
    assert len(tap.carried) > 1000
    for secret in (person.name.encode(), person.id_number.encode(), b"applicant", b"/api/v1/applications"):
        assert secret not in tap.carried


def test_a_kiosk_refuses_a_centre_its_ca_did_not_certify(tmp_path: Path, casestore_factory: CaseStoreFactory) -> None:
    server = casestore_factory(tls=make_tls(tmp_path / "tls"))
    impostor_ca = make_tls(tmp_path / "other", ca_name="Someone else's CA")
    wrong = CentreClient(server.url, Signer(KIOSK, server.enrol(KIOSK)), ca_file=str(impostor_ca.ca))
    system_cas = CentreClient(server.url, Signer(KIOSK, server.enrol(KIOSK)))       # no centre_ca_file: system CAs
    right = CentreClient(server.url, Signer(KIOSK, server.enrol(KIOSK)), ca_file=server.ca_file)
    try:
        refused = [client.push(application()) for client in (wrong, system_cas)]
        accepted = right.push(application())
    finally:
        for client in (wrong, system_cas, right):
            client.close()
    assert [(r.kind, r.error) for r in refused] == [(Delivery.TRANSIENT, "SSLError")] * 2   # kept, retried, never sent
    assert accepted.kind is Delivery.DELIVERED


def test_the_kiosk_config_takes_the_ca_file_and_refuses_a_missing_one(tmp_path: Path) -> None:
    files = make_tls(tmp_path / "tls")
    config = kiosk_config.load(None, {}, centre_url="https://centre.example.gov.cn", centre_ca_file=str(files.ca))
    assert config.centre_ca_file == str(files.ca)
    with pytest.raises(kiosk_config.ConfigError, match="centre_ca_file"):
        kiosk_config.load(None, {}, centre_url="https://centre.example.gov.cn", centre_ca_file=str(tmp_path / "none"))


@pytest.mark.parametrize("url", ["http://10.20.30.40:8624", "http://centre.example.gov.cn", "http://[2001:db8::1]:80"])
def test_run_check_exits_2_naming_centre_url_for_http_beyond_this_machine(tmp_path: Path, url: str) -> None:
    env = {**os.environ, "KIOSK24_DATA_DIR": str(tmp_path), "KIOSK24_CENTRE_URL": url}
    result = subprocess.run([sys.executable, "-m", "tooling.cli", "run", "--check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "centre_url" in result.stderr and "https://" in result.stderr


@pytest.mark.parametrize("url", ["http://127.0.0.1:8624", "http://localhost:8624", "http://[::1]:8624",
                                 "https://10.20.30.40:8624"])
def test_loopback_http_and_any_https_are_accepted(url: str) -> None:
    assert kiosk_config.load(None, {}, centre_url=url).centre_url == url


def test_serve_refuses_half_a_tls_configuration(tmp_path: Path) -> None:
    files = make_tls(tmp_path / "tls")
    result = subprocess.run([sys.executable, "-m", "sync.casestore.serve", "--db", f"sqlite:///{tmp_path / 'c.db'}",
                             "--tls-cert", str(files.cert)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "--tls-key" in result.stderr


def test_a_plain_http_request_to_the_tls_port_gets_nothing(tmp_path: Path, casestore_factory: CaseStoreFactory) -> None:
    server = casestore_factory(tls=make_tls(tmp_path / "tls"))
    client = CentreClient(f"http://127.0.0.1:{server.port}", Signer(KIOSK, server.enrol(KIOSK)))
    try:
        result = client.push(application())
    finally:
        client.close()
    assert result.kind is Delivery.TRANSIENT         # the server speaks TLS only: no answer, nothing stored


def test_forwarded_headers_are_not_believed_from_anyone_unnamed(casestore: CaseStoreServer) -> None:
    """Without --forwarded-allow-ips nobody can pose as another address in the centre's log."""
    requests.get(f"{casestore.url}/api/v1/health", headers={"X-Forwarded-For": "203.0.113.9",
                                                            "X-Forwarded-Proto": "https"}, timeout=10)
    wait_until(lambda: "/api/v1/health" in casestore.log_text())
    assert "203.0.113.9" not in casestore.log_text()
