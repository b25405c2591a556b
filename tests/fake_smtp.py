"""A small SMTP server on 127.0.0.1 for tests and fault drills (bench/mail_drill.py).

Modes: "ok" accepts every message (after `delay` seconds per reply, if set); "hang" accepts connections and never answers (a server
that is up but stuck); "reject" answers 554 to the end of DATA. A refusing server is simply
`stop()`ped: nothing listens on the port, so connections are refused. Every accepted message
is kept with its X-Portal-Mail-Id header, so a drill can count deliveries per message.
"""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from email import message_from_bytes
from email.policy import default as default_policy


class _Handler(socketserver.StreamRequestHandler):
    timeout = 60

    def handle(self) -> None:
        server: FakeSMTPServer = self.server.owner  # type: ignore[attr-defined]
        if server.mode == "hang":
            server.hung_connections += 1
            # Up but stuck: read nothing, answer nothing, until the drill ends.
            while not server.stopping.is_set():
                time.sleep(0.05)
            return
        self._reply(b"220 fake-smtp ready")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.strip().split(b" ", 1)[0].upper()
            if command in (b"EHLO", b"HELO"):
                self._reply(b"250 fake-smtp")
            elif command in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                self._reply(b"250 ok")
            elif command == b"DATA":
                self._reply(b"354 go ahead")
                data = self._read_data()
                if data is None:
                    server.incomplete += 1  # the client went away before the final "."
                    return
                if server.mode == "reject":
                    self._reply(b"554 rejected")
                    continue
                server.accept(data)
                self._reply(b"250 queued")
            elif command == b"QUIT":
                self._reply(b"221 bye")
                return
            else:
                self._reply(b"500 unknown")

    def _reply(self, text: bytes) -> None:
        delay = self.server.owner.delay  # type: ignore[attr-defined]
        if delay:
            time.sleep(delay)
        self.wfile.write(text + b"\r\n")
        self.wfile.flush()

    def _read_data(self) -> bytes | None:
        lines = []
        while True:
            line = self.rfile.readline()
            if not line:
                return None
            if line == b".\r\n":
                return b"".join(lines)
            lines.append(line[1:] if line.startswith(b"..") else line)


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class FakeSMTPServer:
    def __init__(self, port: int = 0, mode: str = "ok") -> None:
        self.port = port
        self.mode = mode
        self.delay = 0.0  # seconds before each reply (a slow server, for kill drills)
        self.messages: list[bytes] = []
        self.hung_connections = 0
        self.incomplete = 0
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._server: _Server | None = None

    def start(self) -> FakeSMTPServer:
        self.stopping.clear()
        self._server = _Server(("127.0.0.1", self.port), _Handler)
        self._server.owner = self  # type: ignore[attr-defined]
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def accept(self, data: bytes) -> None:
        with self._lock:
            self.messages.append(data)

    def parsed(self) -> list:
        with self._lock:
            return [message_from_bytes(data, policy=default_policy) for data in self.messages]

    def mail_ids(self) -> list[str]:
        return [str(message["X-Portal-Mail-Id"]) for message in self.parsed()]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
