"""A fault-injecting HTTP proxy for the reliability tests: it sits on 127.0.0.1 in front of the real dev
wiki and, for the requests its policy picks, does what networks and overloaded wikis do.

Faults (:class:`Fault`) either never reach the wiki (``drop-before``, ``503``, ``429``, ``maxlag``) or
reach it and lose or spoil its answer (``drop-after``, ``reset-mid-body``, ``delay``, ``truncate``): the
second kind is the dangerous one for writes, since the wiki did the work and the client cannot know.

A policy is any callable ``(Request) -> Fault | None``; :class:`RandomFaults` picks faults with a seeded
RNG (reproducible); the tests write small scripted ones (an outage after the fifth edit, the first edit
of each page, each distinct request once). Usage::

    with FaultProxy(wiki.url, RandomFaults(seed=1, rate=0.1)) as proxy:
        client = WikiClient(proxy.api_url, timeout=1.5)
        ...
        proxy.log  # [(Request, Fault | None), ...]
"""

from __future__ import annotations

import gzip
import http.client
import json
import random
import socket
import struct
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "upgrade"}


class Fault(Enum):
    DROP_BEFORE = "drop-before"  # close the connection without forwarding
    DROP_AFTER = "drop-after"  # forward, then close without answering
    RESET_MID_BODY = "reset-mid-body"  # forward, send the headers and half the body, then a TCP reset
    DELAY = "delay"  # forward, then hold the answer past the client's timeout
    HTTP_503 = "503"  # answer 503 with Retry-After, without forwarding
    HTTP_429 = "429"  # answer 429 with Retry-After, without forwarding
    MAXLAG = "maxlag"  # answer MediaWiki's maxlag error (HTTP 200, Retry-After), without forwarding
    TRUNCATE = "truncate"  # forward, answer with the JSON cut in half (a consistent Content-Length)


FORWARDED = frozenset({Fault.DROP_AFTER, Fault.RESET_MID_BODY, Fault.DELAY, Fault.TRUNCATE})


@dataclass(frozen=True)
class Request:
    """One request as the proxy saw it; ``params`` merges the query string and a form-encoded body."""

    number: int
    method: str
    params: dict[str, str]
    headers: dict[str, str]

    @property
    def action(self) -> str | None:
        return self.params.get("action")


Policy = Callable[[Request], Fault | None]


class RandomFaults:
    """Fault each request with probability ``rate``, picking the kind at random; seeded, so a run
    with the same requests gets the same faults."""

    def __init__(self, seed: int, rate: float, kinds: Sequence[Fault] = tuple(Fault)) -> None:
        self.rng = random.Random(seed)
        self.rate, self.kinds = rate, tuple(kinds)
        self.lock = threading.Lock()

    def __call__(self, request: Request) -> Fault | None:
        with self.lock:
            return self.rng.choice(self.kinds) if self.rng.random() < self.rate else None


class FaultProxy:
    """A threaded proxy on 127.0.0.1 forwarding to ``upstream`` (the wiki's base URL) under ``policy``.

    ``delay`` is how long a ``delay`` fault holds the answer (longer than the client's timeout);
    ``retry_after`` is the ``Retry-After`` of 503, 429 and maxlag answers.
    """

    def __init__(self, upstream: str, policy: Policy | None = None, *, delay: float = 3.0,
                 retry_after: int = 1) -> None:  # fmt: skip
        parts = urlsplit(upstream)
        self.upstream_host, self.upstream_port = parts.hostname or "127.0.0.1", parts.port or 80
        self.policy: Policy = policy or (lambda request: None)
        self.delay, self.retry_after = delay, retry_after
        self.log: list[tuple[Request, Fault | None]] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api.php"

    def faults(self) -> Counter[Fault]:
        """How many requests got each fault so far."""
        return Counter(fault for _, fault in self.log if fault is not None)

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()

    # ---- one request ----

    def _decide(
        self, method: str, query: str, body: bytes, headers: dict[str, str]
    ) -> tuple[Request, Fault | None]:
        params = {k: v[0] for k, v in parse_qs(query).items()}
        if headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            params.update({k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()})
        with self._lock:
            request = Request(len(self.log), method, params, headers)
            fault = self.policy(request)
            self.log.append((request, fault))
        return request, fault

    def _forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list, bytes]:
        connection = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=60)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self._handle()

            def do_POST(self) -> None:
                self._handle()

            def _handle(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = dict(self.headers.items())
                _, fault = proxy._decide(self.command, urlsplit(self.path).query, body, headers)
                self.close_connection = True
                if fault is Fault.DROP_BEFORE:
                    return self._reset()
                if fault in (Fault.HTTP_503, Fault.HTTP_429):
                    status = 503 if fault is Fault.HTTP_503 else 429
                    return self._send(
                        status, [("Content-Type", "text/plain")], b"busy, come back later\n", True
                    )
                if fault is Fault.MAXLAG:
                    error = {"error": {"code": "maxlag", "info": "Waiting for db1: 7 seconds lagged."},
                             "servedby": "faultproxy"}  # fmt: skip
                    headers = [("Content-Type", "application/json"), ("MediaWiki-API-Error", "maxlag")]
                    return self._send(200, headers, json.dumps(error).encode(), True)
                headers = {k: v for k, v in headers.items() if k.lower() not in HOP_BY_HOP}
                status, answer_headers, answer = proxy._forward(self.command, self.path, headers, body)
                answer_headers = [
                    (k, v) for k, v in answer_headers
                    if k.lower() not in HOP_BY_HOP and k.lower() != "content-length"
                ]  # fmt: skip
                if fault is Fault.DROP_AFTER:
                    return self._reset()
                if fault is Fault.DELAY:
                    proxy._closing.wait(proxy.delay)
                elif fault is Fault.TRUNCATE:
                    answer = _truncated(answer, answer_headers)
                    answer_headers = [(k, v) for k, v in answer_headers if k.lower() != "content-encoding"]
                elif fault is Fault.RESET_MID_BODY:
                    self._send_head(status, answer_headers, len(answer))
                    self._write(answer[: len(answer) // 2])
                    return self._reset()
                self._send(status, answer_headers, answer)

            def _send_head(self, status: int, headers: list, length: int, retry_after: bool = False) -> None:
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                if retry_after:
                    self.send_header("Retry-After", str(proxy.retry_after))
                self.send_header("Content-Length", str(length))
                self.send_header("Connection", "close")
                self.end_headers()

            def _send(self, status: int, headers: list, body: bytes, retry_after: bool = False) -> None:
                try:
                    self._send_head(status, headers, len(body), retry_after)
                    self._write(body)
                except OSError:
                    pass  # the client gave up (a delay past its timeout)

            def _write(self, data: bytes) -> None:
                self.wfile.write(data)
                self.wfile.flush()

            def _reset(self) -> None:
                """Abort the connection with a TCP reset, as a crashed server or a broken network does."""
                try:
                    self.wfile.flush()
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                except OSError:
                    pass

        return Handler


def _truncated(answer: bytes, headers: list) -> bytes:
    """The first half of the (decompressed) answer."""
    if any(k.lower() == "content-encoding" and "gzip" in v for k, v in headers):
        answer = gzip.decompress(answer)
    return answer[: len(answer) // 2]
