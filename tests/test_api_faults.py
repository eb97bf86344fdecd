"""Faults a real MediaWiki will not produce on demand (429/503 with Retry-After, outages, non-JSON),
injected by a tiny scripted HTTP server on loopback, plus what the client sends on the wire."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from wikitools.api import Credentials, WikiClient
from wikitools.api.retry import Backoff, parse_retry_after
from wikitools.api.transport import _encode_value, user_agent
from wikitools.errors import ApiError, ConfigError, ExitCode, LoginError, NetworkError

OK = {"batchcomplete": True, "query": {"pages": [{"ns": 0, "title": "A", "missing": True}]}}


@dataclass
class Answer:
    status: int = 200
    body: object = field(default_factory=lambda: OK)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Seen:
    method: str
    params: dict[str, str]
    headers: dict[str, str]


class ScriptedServer:
    """Answers each request with the next scripted :class:`Answer` (the last one repeats)."""

    def __init__(self, answers: list[Answer]) -> None:
        self.answers = answers
        self.seen: list[Seen] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, method: str, query: str) -> None:
                server.seen.append(
                    Seen(method, {k: v[0] for k, v in parse_qs(query).items()}, dict(self.headers.items()))
                )
                answer = server.answers.pop(0) if len(server.answers) > 1 else server.answers[0]
                body = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                self._answer("GET", urlsplit(self.path).query)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                self._answer("POST", self.rfile.read(length).decode())

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/api.php"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def scripted() -> Iterator[type[ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def start(answers: list[Answer]) -> ScriptedServer:
        servers.append(ScriptedServer(answers))
        return servers[-1]

    yield start  # type: ignore[misc]
    for server in servers:
        server.close()


def client_for(server: ScriptedServer, **kwargs: object) -> tuple[WikiClient, list[float]]:
    """A client whose waits are recorded instead of slept."""
    client = WikiClient(server.url, **kwargs)  # type: ignore[arg-type]
    waits: list[float] = []
    client._sleep = waits.append
    return client, waits


def test_retry_after_on_429_and_503_is_honoured(scripted) -> None:
    server = scripted(
        [
            Answer(429, b"slow down", {"Retry-After": "7"}),
            Answer(503, b"busy", {"Retry-After": "2"}),
            Answer(),
        ]
    )
    client, waits = client_for(server)
    (page,) = client.fetch_pages(["A"])
    assert page.id is None
    assert waits == [7.0, 2.0]
    assert client.requests_made == 3


def test_maxlag_error_waits_retry_after_and_sends_maxlag(scripted) -> None:
    lagged = Answer(
        200, {"error": {"code": "maxlag", "info": "Waiting for db: 9 seconds lagged."}}, {"Retry-After": "5"}
    )
    server = scripted([lagged, Answer()])
    client, waits = client_for(server, maxlag=3)
    client.call({"action": "query", "titles": "A"})
    assert waits == [5.0]
    assert [seen.params["maxlag"] for seen in server.seen] == ["3", "3"]


def test_errors_without_retry_after_back_off_exponentially(scripted) -> None:
    server = scripted([Answer(502, b"bad gateway")] * 3 + [Answer()])
    client, waits = client_for(server)
    client._backoff.rng = lambda: 1.0  # the top of each jitter range
    client.call({"action": "query"})
    assert waits == [0.5, 1.0, 2.0]


def test_a_failing_server_without_advice_is_given_up_after_four_tries(scripted) -> None:
    server = scripted([Answer(500, b"<b>Fatal error</b>")])
    client, waits = client_for(server)
    with pytest.raises(NetworkError) as caught:
        client.call({"action": "query"})
    assert str(caught.value) == (
        f"{server.url}: the wiki answered HTTP 500 (tried 4 times; the wiki may be broken or overloaded; "
        "try again later)"
    )
    assert len(waits) == 3


def test_ratelimited_is_retried_until_the_deadline(scripted) -> None:
    limited = Answer(200, {"error": {"code": "ratelimited", "info": "You've exceeded your rate limit."}})
    server = scripted([limited] * 6 + [Answer()])
    client, waits = client_for(server)
    client.call({"action": "query"})
    assert len(waits) == 6  # the server's explicit "slow down" is not a blind failure


def test_the_deadline_bounds_all_retries(scripted) -> None:
    server = scripted([Answer(503, b"down", {"Retry-After": "1"})])
    client = WikiClient(server.url, deadline=2.5)
    with pytest.raises(NetworkError) as caught:
        client.call({"action": "query"})
    assert str(caught.value) == (
        f"{server.url}: the wiki answered HTTP 503 (gave up after 3 attempts in 2.5 s; try again later)"
    )
    assert caught.value.exit_code == ExitCode.WIKI


def test_an_unreachable_wiki_is_given_up_quickly() -> None:
    client = WikiClient("http://127.0.0.1:9/api.php")
    waits: list[float] = []
    client._sleep = waits.append
    with pytest.raises(NetworkError) as caught:
        client.call({"action": "query"})
    assert str(caught.value) == (
        "http://127.0.0.1:9/api.php: cannot connect to the wiki "
        "(tried 4 times; is the wiki running, and is the URL right?)"
    )
    assert len(waits) == 3 and client.requests_made == 4


def test_a_page_that_is_not_the_api_is_reported(scripted) -> None:
    server = scripted([Answer(200, b"<html>hello</html>")])
    with pytest.raises(ApiError, match="not JSON, so this is not a MediaWiki API"):
        WikiClient(server.url).call({"action": "query"})


def test_a_404_is_not_retried(scripted) -> None:
    server = scripted([Answer(404, b"not found")])
    client, waits = client_for(server)
    with pytest.raises(NetworkError, match="HTTP 404"):
        client.call({"action": "query"})
    assert waits == [] and client.requests_made == 1


def test_redirects_are_reported_not_followed(scripted) -> None:
    server = scripted([Answer(308, b"", {"Location": "https://wiki.example.org/w/api.php?x=1"})])
    client = WikiClient(server.url, credentials=Credentials("Bot@app", "s3cret" * 6))
    with pytest.raises(NetworkError) as caught:
        client.call({"action": "login", "lgname": "Bot@app", "lgpassword": "s3cret" * 6}, write=False)
    assert (
        str(caught.value)
        == f"{server.url}: the API redirects to https://wiki.example.org/w/api.php (use that address)"
    )
    assert client.requests_made == 1


def test_api_errors_carry_their_code(scripted) -> None:
    server = scripted([Answer(200, {"error": {"code": "badvalue", "info": "Unrecognized value."}})])
    with pytest.raises(ApiError) as caught:
        WikiClient(server.url).call({"action": "query"})
    assert caught.value.code == "badvalue"
    assert str(caught.value) == "Unrecognized value. (badvalue)"


def test_requests_carry_user_agent_json_v2_and_gzip(scripted) -> None:
    server = scripted([Answer()])
    WikiClient(server.url, contact="ops@example.org").call({"action": "query"})
    (seen,) = server.seen
    assert seen.headers["User-Agent"] == f"wikitools/0.1.0 (ops@example.org) requests/{requests.__version__}"
    assert re.fullmatch(r"wikitools/\S+ \(no contact configured\) requests/\S+", user_agent(None))
    assert seen.headers["Accept-Encoding"] == "gzip"
    assert (seen.params["format"], seen.params["formatversion"], seen.params["maxlag"]) == ("json", "2", "5")


def test_a_client_is_a_context_manager_closing_its_session(scripted) -> None:
    server = scripted([Answer()])
    with WikiClient(server.url) as client:
        client.call({"action": "query"})
        pool = client.session.get_adapter(server.url).poolmanager
        assert pool.pools
    assert not pool.pools


def test_long_title_lists_are_posted(scripted) -> None:
    server = scripted([Answer()])
    client = WikiClient(server.url)
    client.call({"action": "query", "titles": ["Short"]})
    client.call(
        {
            "action": "query",
            "titles": [
                f"A rather long title, long enough to need a POST body, number {n}" for n in range(50)
            ],
        }
    )
    assert [seen.method for seen in server.seen] == ["GET", "POST"]
    assert server.seen[1].params["titles"].count("|") == 49


def test_values_containing_a_pipe_use_the_unit_separator(scripted) -> None:
    server = scripted([Answer()])
    WikiClient(server.url).call({"action": "query", "list": ["a|b", "c"], "flag": True, "off": False})
    params = server.seen[0].params
    assert params["list"] == "\x1fa|b\x1fc"
    assert params["flag"] == "1" and "off" not in params


def test_oauth_token_is_sent_as_bearer_and_never_shown(scripted) -> None:
    userinfo = {"query": {"userinfo": {"id": 5, "name": "Owner", "rights": ["apihighlimits"], "groups": []},
                          "tokens": {"csrftoken": "abc+\\"}}}  # fmt: skip
    server = scripted([Answer(200, userinfo)])
    client = WikiClient(server.url, credentials=Credentials(oauth_token="s3cr3t-oauth"))
    client.login()
    assert server.seen[0].headers["Authorization"] == "Bearer s3cr3t-oauth"
    assert client.username == "Owner" and client.title_batch_size == 500
    assert "s3cr3t" not in repr(client) and "s3cr3t" not in repr(client.credentials)


def test_credentials_are_refused_over_plain_http_to_another_host() -> None:
    client = WikiClient("http://wiki.example.org/w/api.php", credentials=Credentials("Bot@app", "pw" * 16))
    with pytest.raises(LoginError, match="refusing to send credentials over plain http") as caught:
        client.login()
    assert client.requests_made == 0
    assert "pw" * 16 not in str(caught.value)


def test_login_without_credentials_says_how_to_give_them() -> None:
    with pytest.raises(LoginError, match="WIKITOOLS_USERNAME and WIKITOOLS_PASSWORD"):
        WikiClient("https://wiki.example.org/w/api.php").login()


def test_tls_verification_cannot_be_switched_off() -> None:
    session = requests.Session()
    session.verify = False
    with pytest.raises(ConfigError, match="TLS certificate verification cannot be turned off"):
        WikiClient("https://wiki.example.org/w/api.php", session=session)


@pytest.mark.parametrize("url", ["ftp://example.org/api.php", "example.org/api.php", ""])
def test_urls_must_be_http(url: str) -> None:
    with pytest.raises(ConfigError, match="must start with http"):
        WikiClient(url)


def test_retry_after_forms() -> None:
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after(" 0.5 ") == 0.5
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after("99999") == 300.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("NaN") is None and parse_retry_after("inf") is None
    assert parse_retry_after(None) is None


def test_backoff_grows_and_is_capped() -> None:
    top, bottom = Backoff(rng=lambda: 1.0), Backoff(rng=lambda: 0.0)
    assert [top.delay(n) for n in range(1, 5)] == [0.5, 1.0, 2.0, 4.0]
    assert [bottom.delay(n) for n in range(1, 5)] == [0.25, 0.5, 1.0, 2.0]
    assert top.delay(20) == 30.0


@given(st.integers(min_value=0, max_value=10**6))
def test_retry_after_seconds_are_read_and_capped(seconds: int) -> None:
    assert parse_retry_after(str(seconds)) == min(seconds, 300)


@given(st.text())
def test_retry_after_never_raises_and_stays_in_bounds(value: str) -> None:
    wait = parse_retry_after(value)
    assert wait is None or 0 <= wait <= 300


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="\x1f"), min_size=1), min_size=1))
def test_multi_values_split_back_into_the_same_items(items: list[str]) -> None:
    encoded = _encode_value(items)
    separator = "\x1f" if encoded.startswith("\x1f") else "|"
    assert encoded.removeprefix("\x1f").split(separator) == items
