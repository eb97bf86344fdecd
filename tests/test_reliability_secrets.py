"""Secrets end to end, through the real CLI against the dev wiki: the password, the login and CSRF
tokens and the session cookie never appear in any output, log record (every logger at DEBUG, urllib3
included), state file, the wiki's own request log or an error message — also when the login fails — and
credentials are never sent over plain http to a host other than loopback.

The CLI has no verbosity flag (``-v``/``-vv``): logging at DEBUG through ``caplog`` is the most verbose
it can be. A proxy in front of the wiki (``tests/faultproxy.py``, no faults) sees every request, which
gives the token and cookie values to look for and shows that secrets travel only in POST bodies.
"""

from __future__ import annotations

import logging
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner, Result

from wikitools.api import Credentials, WikiClient
from wikitools.cli import main

from .faultproxy import FaultProxy

pytestmark = pytest.mark.wiki

SECRET_PARAMS = ("lgpassword", "password", "lgtoken", "logintoken", "token")
WRONG_BOT_PASSWORD = "0123456789abcdefghijklmnopqrstuv"  # the shape of a bot password, not the right one


@pytest.fixture
def env(monkeypatch) -> pytest.MonkeyPatch:
    for name in ("WIKITOOLS_WIKI", "WIKITOOLS_OAUTH_TOKEN", "WIKITOOLS_CONTACT", "WIKITOOLS_USERNAME",
                 "WIKITOOLS_PASSWORD"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", "/nonexistent")
    return monkeypatch


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def everything_written(directory: Path) -> str:
    """Every file under ``directory`` (the synced files, the state, the lock), as one string."""
    return "\n".join(
        p.read_bytes().decode("utf-8", "replace") for p in sorted(directory.rglob("*")) if p.is_file()
    )


def secrets_seen(proxy: FaultProxy) -> set[str]:
    """The secret parameters and session cookies of every request the proxy forwarded."""
    found = set()
    for request, _ in proxy.log:
        found.update(request.params[name] for name in SECRET_PARAMS if name in request.params)
        cookies = SimpleCookie(request.headers.get("Cookie", ""))
        found.update(morsel.value for morsel in cookies.values())
        authorization = request.headers.get("Authorization", "")
        if authorization:
            found.add(authorization.split()[-1])
    return {s for s in found if len(s.strip("+\\")) >= 8}  # not the anonymous token "+\\"


def assert_only_in_post_bodies(proxy: FaultProxy) -> None:
    for request, _ in proxy.log:
        if request.method == "GET":
            assert not set(SECRET_PARAMS) & set(request.params), request


def assert_nowhere(secrets: set[str], *places: str) -> None:
    for secret in secrets:
        for place in places:
            assert secret not in place


def test_a_whole_sync_session_shows_no_secret_anywhere(wiki, env, tmp_path: Path, caplog) -> None:
    env.setenv("WIKITOOLS_USERNAME", wiki.bot_username)
    env.setenv("WIKITOOLS_PASSWORD", wiki.bot_password)
    caplog.set_level(logging.DEBUG)
    title = f"Secret test {uuid.uuid4().hex[:8]}"
    bot = WikiClient(wiki.api_url, credentials=Credentials(wiki.bot_username, wiki.bot_password))
    bot.login()
    bot.edit(title, "Some text.", summary="seed", base=None, start_timestamp=None,
             create=True)  # fmt: skip
    with FaultProxy(wiki.url) as proxy:
        outputs = [run("pull", title, "--wiki", proxy.api_url, "-d", tmp_path)]
        (path,) = tmp_path.glob("*.wiki")
        path.write_text("Some other text.\n", "utf-8")
        outputs += [
            run("diff", tmp_path),
            run("status", tmp_path),
            run("push", "-m", "secret test", tmp_path),
        ]
        outputs += [run("pull", "-d", tmp_path)]
    assert [r.exit_code for r in outputs] == [0, 0, 0, 0, 0]
    secrets = secrets_seen(proxy) | {wiki.bot_password}
    assert len(secrets) >= 4  # the password, the login token, a CSRF token, the session cookie
    shown = [r.stdout + r.stderr for r in outputs]
    assert_nowhere(secrets, *shown, caplog.text, everything_written(tmp_path))
    assert_nowhere(secrets, (wiki.directory / "server.log").read_text("utf-8", "replace"))
    assert_only_in_post_bodies(proxy)
    assert caplog.records  # the logs were on, and said something


@pytest.mark.parametrize("kind", ["bot password", "main account", "oauth token"])
def test_a_failed_login_shows_no_secret(wiki, env, tmp_path: Path, caplog, kind: str) -> None:
    caplog.set_level(logging.DEBUG)
    if kind == "oauth token":
        secret = f"oauth-{uuid.uuid4().hex}"
        env.setenv("WIKITOOLS_OAUTH_TOKEN", secret)
        message = "the wiki did not accept the login"
    else:
        secret = WRONG_BOT_PASSWORD if kind == "bot password" else f"Wrong-{uuid.uuid4().hex}"
        env.setenv("WIKITOOLS_USERNAME", wiki.bot_username if kind == "bot password" else "Admin")
        env.setenv("WIKITOOLS_PASSWORD", secret)
        message = "failed: Incorrect username or password entered. Please try again."
    with FaultProxy(wiki.url) as proxy:
        result = run("pull", "Main Page", "--wiki", proxy.api_url, "-d", tmp_path)
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr.startswith(f"wikitools: {proxy.api_url}: ") and message in result.stderr
    assert result.stderr.count("\n") == 1
    secrets = secrets_seen(proxy) | {secret}
    assert_nowhere(secrets, result.stderr, caplog.text, everything_written(tmp_path))
    assert_only_in_post_bodies(proxy)
    assert not list(tmp_path.glob("*.wiki"))


@pytest.mark.parametrize("url", ["http://wiki.example.org/w/api.php", "http://10.1.2.3/api.php"])
@pytest.mark.parametrize("source", ["environment", "netrc"])
def test_credentials_over_plain_http_elsewhere_are_refused_before_any_request(
    env, tmp_path: Path, monkeypatch, url: str, source: str
) -> None:
    if source == "environment":
        env.setenv("WIKITOOLS_USERNAME", "Someone@app")
        env.setenv("WIKITOOLS_PASSWORD", WRONG_BOT_PASSWORD)
    else:
        netrc = tmp_path / "netrc"
        netrc.write_text(f"machine {url.split('/')[2]} login Someone@app password {WRONG_BOT_PASSWORD}\n")
        netrc.chmod(0o600)
        env.setenv("NETRC", str(netrc))
    sent: list[str] = []
    monkeypatch.setattr(requests.Session, "send", lambda self, request, **kw: sent.append(request.url))
    monkeypatch.chdir(tmp_path)
    directory = tmp_path / "synced"
    directory.mkdir()
    (directory / "New_page.wiki").write_text("Text.\n", "utf-8")
    for args in (
        ("pull", "Main Page", "--wiki", url, "-d", directory),
        ("push", "-m", "x", "--wiki", url, directory),
    ):
        result = run(*args)
        assert (result.exit_code, result.stdout) == (3, "")
        refusal = "refusing to send credentials over plain http (use the wiki's https:// address)"
        assert result.stderr == f"wikitools: {url}: {refusal}\n"
    assert sent == []


def test_credentials_over_plain_http_to_loopback_are_used(wiki, env, tmp_path: Path) -> None:
    env.setenv("WIKITOOLS_USERNAME", wiki.bot_username)
    env.setenv("WIKITOOLS_PASSWORD", wiki.bot_password)
    api_url = wiki.api_url.replace("127.0.0.1", "localhost")
    result = run("pull", "Main Page", "--wiki", api_url, "-d", tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "pulled 1, merged 0, unchanged 0, conflicts 0\n", ""
    )  # fmt: skip
