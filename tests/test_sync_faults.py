"""Pull and push through a fault-injecting proxy in front of the real wiki.

About one request in ten is dropped before it reaches the wiki, loses its answer after the wiki acted
on it, or is answered 503/429 with ``Retry-After`` or with a ``maxlag`` error. The runs must end in
exactly the state a run without faults reaches: every file equal to its page, the state at the wiki's
latest revisions, and every page exactly one edit above where it was (no edit lost, none made twice).
An outage longer than the retry deadline stops push with exit code 3; the rerun does only what is left.
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from wikitools.api.client import WikiClient
from wikitools.api.credentials import Credentials
from wikitools.errors import ExitCode, NetworkError
from wikitools.formats.xml_write import dump_pages
from wikitools.model import Page, Revision
from wikitools.sync.pull import pull
from wikitools.sync.push import push, wiki_files
from wikitools.sync.report import Outcome
from wikitools.sync.state import State, file_text

pytestmark = pytest.mark.wiki

MAXLAG = json.dumps({"error": {"code": "maxlag", "info": "Waiting for a database server: 7 seconds lagged."}})
_HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class FaultProxy:
    """Forwards each request to the wiki, or injects a fault instead (seeded, so runs repeat).

    Logins are never faulted (they are the client's business, tested in the api tests); an answer is
    lost only after the wiki acted on the request, which for an edit means the edit was made.
    """

    KINDS = ("drop before", "drop after", "503", "429", "maxlag")

    def __init__(self, api_url: str, rate: float, seed: int) -> None:
        target = urlsplit(api_url)
        self.host, self.port = target.hostname, target.port
        self.rate, self.rng = rate, random.Random(seed)
        self.injected: Counter[str] = Counter()
        self.edits_forwarded = 0
        self.down_after_edits: int | None = None  # an outage starts after this many edits
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.api_url = f"http://127.0.0.1:{self.server.server_address[1]}{target.path}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _fault_for(self, action: str) -> str | None:
        with self.lock:
            if self.down_after_edits is not None and self.edits_forwarded >= self.down_after_edits:
                return "drop before"
            if action in ("login", "clientlogin") or self.rng.random() >= self.rate:
                return None
            kind = self.rng.choice(self.KINDS)
            self.injected[kind] += 1
            return kind

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()  # no Nagle: headers and body go out as separate writes
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self._relay(b"")

            def do_POST(self) -> None:
                self._relay(self.rfile.read(int(self.headers.get("Content-Length", 0))))

            def _relay(self, body: bytes) -> None:
                form = parse_qs(body.decode("latin-1")) if body else parse_qs(urlsplit(self.path).query)
                action = form.get("action", [""])[0]
                fault = proxy._fault_for(action)
                if fault == "drop before":
                    self.close_connection = True
                    return
                if fault in ("503", "429"):
                    return self._answer(int(fault), b"busy", [("Retry-After", "0")])
                if fault == "maxlag":
                    return self._answer(200, MAXLAG.encode(), [("Retry-After", "0")])
                upstream = http.client.HTTPConnection(proxy.host, proxy.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS}
                upstream.request(self.command, self.path, body or None, headers)
                reply = upstream.getresponse()
                data = reply.read()
                upstream.close()
                if action == "edit":
                    with proxy.lock:
                        proxy.edits_forwarded += 1
                if fault == "drop after":
                    self.close_connection = True
                    return
                kept = [(k, v) for k, v in reply.getheaders() if k.lower() not in _HOP_HEADERS]
                self._answer(reply.status, data, kept)

            def _answer(self, status: int, data: bytes, headers: list[tuple[str, str]]) -> None:
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


@pytest.fixture
def proxy(wiki) -> Iterator[FaultProxy]:
    fault_proxy = FaultProxy(wiki.api_url, rate=0.1, seed=10)
    yield fault_proxy
    fault_proxy.close()


def seed_pages(wiki, client: WikiClient, prefix: str, count: int) -> list[str]:
    """Create ``count`` pages in one import, and run the jobs it queued (else every later request
    would run one); returns their titles."""
    titles = [f"{prefix} {n:03d}" for n in range(count)]
    text = "Page {}.\n\n== Part ==\nLine one.\nLine two."
    pages = [Page(t, revisions=(Revision(text=text.format(t)),)) for t in titles]
    client.import_xml(dump_pages(pages), summary="seed")
    wiki.run_maintenance("runJobs.php")
    return titles


def through(proxy: FaultProxy, wiki, deadline: float = 120) -> WikiClient:
    credentials = Credentials(wiki.bot_username, wiki.bot_password)
    client = WikiClient(proxy.api_url, credentials=credentials, deadline=deadline)
    client.login()
    return client


def edit_every_file(directory: Path) -> None:
    for path in directory.glob("*.wiki"):
        path.write_text(path.read_text("utf-8") + "Line added locally.\n", "utf-8")


def assert_in_step(
    directory: Path, wiki_client: WikiClient, titles: list[str], parents: dict[str, int]
) -> None:
    """Files equal their pages, the state holds the latest revisions, each page one edit above ``parents``."""
    state = State.load(directory)
    for page in wiki_client.fetch_pages(titles):
        name = state.filename_for(page.title)
        assert (directory / name).read_text("utf-8") == file_text(page.latest.text)
        assert state.entries[name].revid == page.latest.id
        assert page.latest.parent_id == parents[page.title]


def test_pull_and_push_of_200_pages_with_faults_end_as_without(wiki, wiki_client, proxy, tmp_path):
    titles = seed_pages(wiki, wiki_client, "Faulty", 200)
    seeded = {page.title: page.latest.id for page in wiki_client.fetch_pages(titles)}
    state = State.find_or_create(tmp_path)
    client = through(proxy, wiki)
    state.api_url = client.api_url

    pulled = pull(state, client, prefix="Faulty ")
    assert pulled.summary() == "pulled 200, merged 0, unchanged 0, conflicts 0"
    state = State.load(tmp_path)
    for page in wiki_client.fetch_pages(titles):
        name = state.filename_for(page.title)
        assert (tmp_path / name).read_text("utf-8") == file_text(page.latest.text)
        assert state.entries[name].revid == seeded[page.title]

    edit_every_file(tmp_path)
    pushed = push(state, client, wiki_files(state, [tmp_path]), summary="through faults")
    assert pushed.summary() == "pushed 200, unchanged 0, refused 0"
    assert_in_step(tmp_path, wiki_client, titles, seeded)
    assert sum(proxy.injected.values()) >= 20 and proxy.injected["drop after"] >= 3, proxy.injected


def test_an_outage_past_the_deadline_stops_push_and_a_rerun_does_the_rest(wiki, wiki_client, proxy, tmp_path):
    titles = seed_pages(wiki, wiki_client, "Outage", 30)
    seeded = {page.title: page.latest.id for page in wiki_client.fetch_pages(titles)}
    proxy.rate = 0.0
    state = State.find_or_create(tmp_path)
    client = through(proxy, wiki, deadline=2)
    state.api_url = client.api_url
    pull(state, client, titles=titles)
    edit_every_file(tmp_path)

    proxy.down_after_edits = proxy.edits_forwarded + 12
    names = wiki_files(state, [tmp_path])
    with pytest.raises(NetworkError) as stopped:
        push(state, client, names, summary="outage")
    assert stopped.value.exit_code is ExitCode.WIKI
    assert str(stopped.value).startswith(f"{proxy.api_url}: cannot connect to the wiki (")

    proxy.down_after_edits = None
    rerun = push(State.load(tmp_path), through(proxy, wiki), names, summary="after the outage")
    counts = Counter(result.outcome for result in rerun.results)
    assert counts == {Outcome.UNCHANGED: 12, Outcome.PUSHED: 18}
    assert_in_step(tmp_path, wiki_client, titles, seeded)
