"""Raw HTTP against the real case store on 127.0.0.1, for attacks a well-behaved client cannot make:
bodies larger than announced or never finished, signature headers without a valid signature, bytes
that are not what requests would send. Every loop here is bounded."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import select
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

from sync import signing
from tests.fixtures.casestore import CaseStoreServer

MIB = 1024 * 1024


@dataclasses.dataclass(frozen=True)
class Answer:
    status: int              # 0: the server closed without an answer
    head: str
    body: bytes
    sent: int                # body bytes the server let us send before it answered or closed
    seconds: float


def rss_bytes(server: CaseStoreServer) -> int:
    """The server process's resident memory, from /proc (Linux)."""
    assert server._process is not None
    status = Path(f"/proc/{server._process.pid}/status").read_text()
    kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return kib * 1024


def signature_headers(kiosk_id: str) -> dict[str, str]:
    """Fresh, well-formed signature headers for a kiosk that exist, with a signature nobody made."""
    return {signing.KIOSK_HEADER: kiosk_id, signing.TIMESTAMP_HEADER: str(int(time.time())),
            signing.NONCE_HEADER: os.urandom(12).hex(), signing.SIGNATURE_HEADER: "A" * 86}


def made_up_proof(id_number: str, read_at: dt.datetime | None = None, chip: str = "") -> dict[str, str]:
    """A chip read as a kiosk sends it (sync.wire.CardProof), made up: what a stolen kiosk key can still do
    (docs/security.md, "Card proof"). One digest per ID number unless chip is given; read now unless read_at is."""
    return {"read_at": (read_at or dt.datetime.now(dt.UTC)).isoformat(),
            "chip_sha256": chip or hashlib.sha256(f"chip of {id_number}".encode()).hexdigest()}


def connect(server: CaseStoreServer, timeout_s: float = 10.0) -> socket.socket:
    parts = urlsplit(server.url)
    assert parts.hostname == "127.0.0.1"          # loopback only
    return socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout_s)


def request_head(method: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    return "\r\n".join(lines).encode("latin-1")


def _answered(sock: socket.socket) -> bool:
    return bool(select.select([sock], [], [], 0)[0])


def _read_answer(sock: socket.socket, timeout_s: float = 10.0) -> tuple[int, str, bytes]:
    sock.settimeout(timeout_s)
    data = b""
    try:
        while b"\r\n\r\n" not in data or len(data) < data.index(b"\r\n\r\n") + 4 + _length(data):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    if not data.startswith(b"HTTP/"):
        return 0, "", b""
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), head.decode("latin-1"), body


def _length(data: bytes) -> int:
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
    for line in head.split("\r\n"):
        if line.startswith("content-length:"):
            return int(line.split(":", 1)[1])
    return 0


def send_body(server: CaseStoreServer, path: str, headers: dict[str, str], total: int, chunked: bool,
              chunk: int = MIB) -> Answer:
    """POST a body of `total` bytes (announced, or chunked) until the server answers or hangs up."""
    headers = {**headers, "Content-Type": "application/json"}
    headers.update({"Transfer-Encoding": "chunked"} if chunked else {"Content-Length": str(total)})
    start = time.monotonic()
    sent = 0
    with connect(server) as sock:
        sock.sendall(request_head("POST", path, headers))
        piece = b"[" + b"0," * (chunk // 2 - 1) + b"0"
        try:
            while sent < total and not _answered(sock):
                data = piece[: min(chunk, total - sent)]
                sock.sendall(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
                sent += len(data)
            if chunked and sent >= total:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        status, head, body = _read_answer(sock)
    return Answer(status, head, body, sent, time.monotonic() - start)


def stall(server: CaseStoreServer, path: str, headers: dict[str, str], announced: int, partial: bytes) -> socket.socket:
    """A connection that announces a body, sends its first bytes and then nothing."""
    sock = connect(server)
    sock.sendall(request_head("POST", path, {**headers, "Content-Type": "application/json",
                                             "Content-Length": str(announced)}) + partial)
    return sock


def closed_by_server(sock: socket.socket) -> bool:
    """True once the server answered and hung up, or just hung up."""
    if not _answered(sock):
        return False
    try:
        sock.setblocking(False)
        while True:
            data = sock.recv(65536)
            if not data:
                return True
    except BlockingIOError:
        return False
    except (ConnectionResetError, OSError):
        return True
