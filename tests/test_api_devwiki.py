"""The throwaway wiki: ``wikitools dev-wiki start|stop`` as a user runs them, and the library below."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from wikitools.api import Credentials, WikiClient
from wikitools.cli import main
from wikitools.devwiki import DevWiki
from wikitools.devwiki.wiki import DEFAULT_MEDIAWIKI_DIR, free_port, generate_bot_password
from wikitools.errors import DevWikiError

from .conftest import in_ci

needs_mediawiki = pytest.mark.skipif(
    not (DEFAULT_MEDIAWIKI_DIR / "maintenance" / "install.php").exists() and not in_ci(),
    reason="MediaWiki is not installed here",
)


def expected_start_output(directory: Path, port: int, state: dict[str, str], status: str = "running") -> str:
    api = f"http://127.0.0.1:{port}/api.php"
    login, password = state["bot_username"], state["bot_password"]
    return (
        f"Dev wiki {status} at http://127.0.0.1:{port}/\n"
        f"API: {api}\n"
        f"Bot login: {login} / {password}\n"
        "To use it from this shell:\n"
        f"  export WIKITOOLS_WIKI={api} WIKITOOLS_USERNAME={login} WIKITOOLS_PASSWORD={password}\n"
        f"Stop it with: wikitools dev-wiki stop {directory}\n"
    )


@needs_mediawiki
@pytest.mark.wiki
def test_start_and_stop_as_a_user_would(tmp_path: Path) -> None:
    directory, port, runner = tmp_path / "mywiki", free_port(), CliRunner()
    started = runner.invoke(main, ["dev-wiki", "start", str(directory), "--port", str(port)])
    try:
        assert started.exit_code == 0, started.output
        state = json.loads((directory / "devwiki.json").read_text())
        assert started.output == expected_start_output(directory, port, state)
        assert re.fullmatch(r"[0-9a-w]{32,}", state["bot_password"])
        assert (directory / "devwiki.json").stat().st_mode & 0o777 == 0o600

        client = WikiClient(
            f"http://127.0.0.1:{port}/api.php",
            credentials=Credentials(state["bot_username"], state["bot_password"]),
        )
        client.login()
        assert client.username == "Bot" and client.is_bot

        again = runner.invoke(main, ["dev-wiki", "start", str(directory)])
        assert again.output == expected_start_output(directory, port, state, "already running")
    finally:
        stopped = runner.invoke(main, ["dev-wiki", "stop", str(directory)])
    assert (stopped.exit_code, stopped.output) == (0, f"Stopped the dev wiki in {directory}\n")
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/api.php", timeout=2)
    assert not Path(f"/proc/{state['pid']}").exists()
    assert json.loads((directory / "devwiki.json").read_text())["pid"] is None
    twice = runner.invoke(main, ["dev-wiki", "stop", str(directory)])
    assert (twice.exit_code, twice.output) == (0, f"No dev wiki was running in {directory}\n")


@needs_mediawiki
@pytest.mark.wiki
def test_restart_keeps_the_port_and_the_login(tmp_path: Path) -> None:
    with DevWiki(tmp_path) as wiki:
        first_url, first_password = wiki.url, wiki.bot_password
        pid = json.loads((tmp_path / "devwiki.json").read_text())["pid"]
    assert not Path(f"/proc/{pid}").exists()
    again = DevWiki(tmp_path)
    again.start()
    try:
        assert (again.url, again.bot_password) == (first_url, first_password)
        assert again.is_running()
    finally:
        again.stop()
    assert not again.is_running()


@needs_mediawiki
def test_a_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["dev-wiki", "start", str(tmp_path), "--port", str(port)])
    assert result.exit_code == 3
    assert result.output.startswith(f"wikitools: http://127.0.0.1:{port}: the server exited at start: ")
    assert "Address already in use" in result.output
    assert not DevWiki(tmp_path).is_running()


def test_missing_mediawiki_is_a_clear_error_with_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIKITOOLS_MEDIAWIKI_DIR", str(tmp_path / "nowhere"))
    result = CliRunner().invoke(main, ["dev-wiki", "start", str(tmp_path / "wiki")])
    assert result.exit_code == 3
    assert result.output == (
        f"wikitools: MediaWiki is not installed in {tmp_path / 'nowhere'} (install them with: "
        "apt-get install --no-install-recommends mediawiki php8.2-cli php8.2-sqlite3)\n"
    )


@needs_mediawiki
def test_a_foreign_localsettings_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "LocalSettings.php").write_text("<?php // someone's real wiki\n")
    with pytest.raises(DevWikiError, match=r"not a wikitools dev wiki \(LocalSettings\.php\)"):
        DevWiki(tmp_path).install()
    assert (tmp_path / "LocalSettings.php").read_text() == "<?php // someone's real wiki\n"


@needs_mediawiki
def test_a_directory_with_other_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "notes.txt").write_text("mine")
    result = CliRunner().invoke(main, ["dev-wiki", "start", str(tmp_path)])
    assert (result.exit_code, result.output) == (
        3,
        f"wikitools: {tmp_path}: the directory holds files that are not a wikitools dev wiki (notes.txt) "
        "(use an empty directory)\n",
    )
    assert (tmp_path / "data").is_dir() and (tmp_path / "notes.txt").read_text() == "mine"


@needs_mediawiki
def test_an_interrupted_install_is_redone(tmp_path: Path) -> None:
    (tmp_path / ".install").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "devwiki.sqlite").write_bytes(b"half written")
    wiki = DevWiki(tmp_path)
    wiki.install()
    assert not (tmp_path / ".install").exists()
    assert re.fullmatch(r"[0-9a-w]{32}", wiki.bot_password)
    assert (tmp_path / "data" / "devwiki.sqlite").stat().st_size > 100_000


def test_logins_of_a_wiki_never_installed_are_an_error(tmp_path: Path) -> None:
    wiki = DevWiki(tmp_path)
    with pytest.raises(DevWikiError, match="the wiki is not installed"):
        _ = wiki.bot_password
    assert not wiki.is_running()
    assert wiki.stop() is False


def test_generated_bot_passwords_have_the_shape_mediawiki_accepts() -> None:
    passwords = {generate_bot_password() for _ in range(50)}
    assert len(passwords) == 50
    assert all(re.fullmatch(r"[0-9a-w]{32,}", p) for p in passwords)


@pytest.mark.wiki
def test_fake_lag_and_rate_limit_knobs_are_files_the_settings_read(wiki: DevWiki) -> None:
    with wiki.fake_lag(7):
        assert (wiki.directory / "fake-lag").read_text() == "7\n"
        answer = requests.get(
            wiki.api_url, params={"action": "query", "format": "json", "maxlag": 5}, timeout=10
        )
        assert answer.headers["MediaWiki-API-Error"] == "maxlag"
        assert answer.headers["Retry-After"] == "5"
    assert not (wiki.directory / "fake-lag").exists()
    wiki.set_edit_rate_limit(4, 30)
    assert (wiki.directory / "edit-rate-limit").read_text() == "4 30\n"
    wiki.set_edit_rate_limit(None)
    assert not (wiki.directory / "edit-rate-limit").exists()


@pytest.mark.wiki
def test_run_maintenance_reaches_the_wiki(wiki: DevWiki, wiki_client: WikiClient, unique_title: str) -> None:
    wiki_client.edit(
        unique_title,
        "to be deleted",
        summary="s",
        base=None,
        start_timestamp=None,
        create=True,
    )
    wiki.run_maintenance("deleteBatch.php", "-r", "test", stdin=f"{unique_title}\n".encode())
    (page,) = wiki_client.fetch_pages([unique_title])
    assert page.id is None


def test_maintenance_failures_are_dev_wiki_errors(wiki: DevWiki) -> None:
    with pytest.raises(DevWikiError, match=r"no-such-script\.php failed"):
        wiki.run_maintenance("no-such-script.php")
