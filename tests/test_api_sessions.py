"""Logged-in sessions kept between runs, against the real dev wiki: a kept session costs no login and is
proven by the first query; one the wiki forgot is replaced by a login, transparently; ``logout`` ends it
on the wiki too; the cookie file is 0600 in a 0700 directory outside the synced folder, and the cookie
appears in no output, log, state or error message."""

from __future__ import annotations

import json
import logging
import stat
import uuid

import pytest
import requests

from wikitools.api import Credentials, WikiClient
from wikitools.api.sessions import SessionCache

from .test_reliability_secrets import (
    FaultProxy,
    assert_nowhere,
    everything_written,
    run,
    secrets_seen,
)

pytestmark = pytest.mark.wiki


def client_for(wiki, sessions: SessionCache | None, password: str | None = None) -> WikiClient:
    credentials = Credentials(wiki.bot_username, password or wiki.bot_password)
    return WikiClient(wiki.api_url, credentials=credentials, sessions=sessions)


def requests_to_read(client: WikiClient) -> int:
    """The requests a first read costs the client, login included."""
    client.ensure_login()
    client.page_states(["Main Page"])
    return client.requests_made


def test_a_kept_session_saves_the_login_and_is_renewed_when_the_wiki_forgot_it(wiki, tmp_path):
    sessions = SessionCache(tmp_path / "cache" / "sessions")
    first = client_for(wiki, sessions)
    assert requests_to_read(first) == 3  # login token, login, the read (with userinfo and a CSRF token)
    path = sessions.path(wiki.api_url, wiki.bot_username)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    warm = client_for(wiki, sessions)
    assert requests_to_read(warm) == 1
    assert warm.username == "Bot" and "apihighlimits" in warm.rights
    # The wiki no longer knows the session: one anonymous answer, then a login and the read again.
    cookies = json.loads(path.read_text())
    path.write_text(json.dumps([{**c, "value": "0" * len(c["value"])} for c in cookies]))
    renewed = client_for(wiki, sessions)
    assert requests_to_read(renewed) == 1 + 3 and renewed.username == "Bot"
    assert json.loads(path.read_text()) != cookies
    assert renewed.edit(f"Session {uuid.uuid4().hex[:8]}", "Saved.").revid


def test_logout_ends_the_session_on_the_wiki_and_forgets_it(wiki, tmp_path):
    sessions = SessionCache(tmp_path / "sessions")
    requests_to_read(client_for(wiki, sessions))
    kept = json.loads(sessions.path(wiki.api_url, wiki.bot_username).read_text())
    assert client_for(wiki, sessions).logout() is True
    assert not sessions.path(wiki.api_url, wiki.bot_username).exists()
    stolen = requests.Session()  # the cookies of the ended session, replayed
    for cookie in kept:
        stolen.cookies.set(cookie["name"], cookie["value"], domain=cookie["domain"], path=cookie["path"])
    answer = stolen.get(wiki.api_url, params={"action": "query", "meta": "userinfo", "format": "json"})
    assert answer.json()["query"]["userinfo"].get("anon") is not None
    assert client_for(wiki, sessions).logout() is False


def test_no_cache_when_turned_off_and_no_file_others_may_read(wiki, tmp_path):
    assert SessionCache.default({"WIKITOOLS_SESSION_CACHE": "off", "XDG_CACHE_HOME": str(tmp_path)}) is None
    sessions = SessionCache.default({"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert sessions is not None and sessions.directory == tmp_path / "xdg" / "wikitools" / "sessions"
    requests_to_read(client_for(wiki, sessions))
    path = sessions.path(wiki.api_url, wiki.bot_username)
    path.chmod(0o644)
    assert requests_to_read(client_for(wiki, sessions)) == 3  # not used: a new login, kept again safely
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_kept_cookie_is_shown_nowhere_and_kept_outside_the_folder(wiki, monkeypatch, tmp_path, caplog):
    for name in ("WIKITOOLS_WIKI", "WIKITOOLS_OAUTH_TOKEN", "WIKITOOLS_CONTACT", "WIKITOOLS_SESSION_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", "/nonexistent")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("WIKITOOLS_USERNAME", wiki.bot_username)
    monkeypatch.setenv("WIKITOOLS_PASSWORD", wiki.bot_password)
    caplog.set_level(logging.DEBUG)
    folder = tmp_path / "folder"
    title = f"Kept session {uuid.uuid4().hex[:8]}"
    client_for(wiki, None).edit(title, "One.")
    with FaultProxy(wiki.url) as proxy:
        outputs = [run("pull", title, "--wiki", proxy.api_url, "-d", folder)]
        (page,) = folder.glob("*.wiki")
        for text in ("Two.\n", "Three.\n"):
            page.write_text(text)
            outputs.append(run("push", "-m", "kept session", folder))
        logins = [r for r, _ in proxy.log if r.params.get("action") == "login"]
        kept = SessionCache.default()
        assert kept is not None
        path = kept.path(proxy.api_url, wiki.bot_username)
        cookie_file = path.read_text()
        # A kept session the wiki does not know, and a wrong password: the error says so, and only that.
        path.write_text(json.dumps([{**c, "value": "1" * len(c["value"])} for c in json.loads(cookie_file)]))
        monkeypatch.setenv("WIKITOOLS_PASSWORD", "0123456789abcdefghijklmnopqrstuv")
        page.write_text("Four.\n")
        failed = run("push", "-m", "wrong password", folder)
    assert [r.exit_code for r in outputs] == [0, 0, 0]
    assert len(logins) == 1  # the pull's: both pushes used the session it kept
    assert failed.exit_code == 3 and failed.stderr.count("\n") == 1 and "login as" in failed.stderr
    secrets = secrets_seen(proxy) | {c["value"] for c in json.loads(cookie_file) if len(c["value"]) >= 8}
    assert any(c["value"] in secrets for c in json.loads(cookie_file))
    shown = [r.stdout + r.stderr for r in (*outputs, failed)]
    assert_nowhere(secrets, *shown, caplog.text, everything_written(folder))
    assert not path.is_relative_to(folder)
