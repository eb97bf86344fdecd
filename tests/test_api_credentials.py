"""Credentials: where they come from, and that they never show."""

from __future__ import annotations

from pathlib import Path

import pytest

from wikitools.api.credentials import Credentials, is_loopback, require_secure_transport
from wikitools.errors import ConfigError, LoginError

API = "https://wiki.example.org/w/api.php"


def test_repr_and_str_hide_secrets() -> None:
    creds = Credentials("Bot@app", "hunter2hunter2")
    assert repr(creds) == "Credentials(username='Bot@app', password='***', oauth_token=None)"
    assert str(creds) == repr(creds)
    token = Credentials(oauth_token="tok-secret")
    assert "tok-secret" not in repr(token) and "oauth_token='***'" in repr(token)


def test_bot_password_is_recognised_by_the_at_sign() -> None:
    assert Credentials("Bot@app", "x").is_bot_password
    assert not Credentials("Alice", "x").is_bot_password
    assert not Credentials(oauth_token="t").is_bot_password


def test_incomplete_credentials_are_refused() -> None:
    with pytest.raises(ConfigError, match="username and a password, or an OAuth token"):
        Credentials("Bot@app", None)


def test_environment_bot_password() -> None:
    env = {"WIKITOOLS_USERNAME": "Bot@app", "WIKITOOLS_PASSWORD": "pw", "HOME": "/nonexistent"}
    assert Credentials.from_environment(API, env) == Credentials("Bot@app", "pw")


def test_environment_oauth_token_wins() -> None:
    env = {"WIKITOOLS_OAUTH_TOKEN": "tok", "WIKITOOLS_USERNAME": "Bot@app", "WIKITOOLS_PASSWORD": "pw"}
    assert Credentials.from_environment(API, env) == Credentials(oauth_token="tok")


def test_half_given_environment_is_an_error_naming_the_missing_variable() -> None:
    with pytest.raises(ConfigError) as caught:
        Credentials.from_environment(API, {"WIKITOOLS_PASSWORD": "pw", "HOME": "/nonexistent"})
    assert (
        str(caught.value) == "WIKITOOLS_PASSWORD is set but WIKITOOLS_USERNAME is not (set both, or neither)"
    )


def test_netrc_entry_for_the_api_host(tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text(
        "machine other.org login X password Y\nmachine wiki.example.org login Bot@app password s3cret\n"
    )
    netrc.chmod(0o600)
    assert Credentials.from_environment(API, {"NETRC": str(netrc)}) == Credentials("Bot@app", "s3cret")
    assert Credentials.from_environment("https://elsewhere.org/api.php", {"NETRC": str(netrc)}) is None


def test_default_netrc_in_home(tmp_path: Path) -> None:
    (tmp_path / ".netrc").write_text("machine wiki.example.org login Bot@app password s3cret\n")
    (tmp_path / ".netrc").chmod(0o600)
    assert Credentials.from_environment(API, {"HOME": str(tmp_path)}) == Credentials("Bot@app", "s3cret")


def test_netrc_readable_by_others_is_refused(tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine wiki.example.org login Bot@app password s3cret\n")
    netrc.chmod(0o644)
    with pytest.raises(ConfigError) as caught:
        Credentials.from_environment(API, {"NETRC": str(netrc)})
    assert str(caught.value) == (
        f"{netrc}: the file holds passwords but other users may read it (chmod 600 {netrc})"
    )


def test_no_credentials_anywhere_is_none(tmp_path: Path) -> None:
    assert Credentials.from_environment(API, {"HOME": str(tmp_path)}) is None


def test_broken_netrc_error_does_not_quote_the_file(tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine wiki.example.org login Bot@app password ok\ns3cret-value stray\n")
    netrc.chmod(0o600)
    with pytest.raises(ConfigError) as caught:
        Credentials.from_environment(API, {"NETRC": str(netrc)})
    assert "s3cret" not in str(caught.value)
    assert str(caught.value) == f"{netrc}: cannot parse line 2 (fix the file's syntax)"


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "localhost", "::1", "[::1]", "wiki.localhost"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["example.org", "10.0.0.1", "192.168.1.1", "localhost.example.org", ""])
def test_other_hosts(host: str) -> None:
    assert not is_loopback(host)


@pytest.mark.parametrize(
    "url", ["https://wiki.example.org/api.php", "http://127.0.0.1:8080/api.php", "http://localhost/api.php"]
)
def test_secure_or_local_transport_is_allowed(url: str) -> None:
    require_secure_transport(url)


def test_plain_http_elsewhere_is_refused() -> None:
    with pytest.raises(LoginError) as caught:
        require_secure_transport("http://wiki.example.org/api.php")
    assert str(caught.value) == (
        "http://wiki.example.org/api.php: refusing to send credentials over plain http "
        "(use the wiki's https:// address)"
    )


def test_connect_sets_up_contact_and_credentials_without_a_request(monkeypatch) -> None:
    from wikitools.api.client import connect

    monkeypatch.setenv("WIKITOOLS_CONTACT", "me@example.org")
    monkeypatch.setenv("WIKITOOLS_USERNAME", "Bot@app")
    monkeypatch.setenv("WIKITOOLS_PASSWORD", "a" * 32)
    client = connect("http://127.0.0.1:9/api.php")
    assert "(me@example.org)" in client.session.headers["User-Agent"]
    assert client.credentials is not None and client.credentials.username == "Bot@app"
    assert client.requests_made == 0
    anonymous = connect("http://127.0.0.1:9/api.php", login=False)
    assert anonymous.credentials is None
