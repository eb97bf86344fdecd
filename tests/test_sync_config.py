"""Which wiki a directory syncs with, and the sync commands' answers that need no wiki."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from wikitools.cli import main
from wikitools.cli.sync import _ProgressBar
from wikitools.errors import ConfigError
from wikitools.model import Page, Revision
from wikitools.sync.config import tool_config, wiki_url
from wikitools.sync.report import Outcome, PageResult
from wikitools.sync.state import State


@pytest.fixture(autouse=True)
def no_wiki_in_environment(monkeypatch):
    for name in ("WIKITOOLS_WIKI", "WIKITOOLS_USERNAME", "WIKITOOLS_PASSWORD", "WIKITOOLS_OAUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def test_tool_config_is_found_walking_up(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.wikitools]\nwiki = "https://a.example"\n'
    )
    nested = tmp_path / "articles" / "drafts"
    nested.mkdir(parents=True)
    assert tool_config(nested) == {"wiki": "https://a.example"}


def test_wikitools_toml_may_set_the_wiki_at_top_level_and_wins_over_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.wikitools]\nwiki = "https://a.example"\n')
    (tmp_path / "wikitools.toml").write_text('wiki = "https://b.example"\n')
    assert tool_config(tmp_path) == {"wiki": "https://b.example"}


def test_bad_toml_is_a_config_error(tmp_path):
    (tmp_path / "wikitools.toml").write_text("wiki = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        tool_config(tmp_path)


def test_wiki_url_order_option_state_environment_config(tmp_path, monkeypatch):
    (tmp_path / "wikitools.toml").write_text('wiki = "https://config.example"\n')
    state = State(tmp_path.resolve())
    assert wiki_url(state) == "https://config.example"
    monkeypatch.setenv("WIKITOOLS_WIKI", "https://env.example")
    assert wiki_url(state) == "https://env.example"
    state.api_url = "https://state.example/w/api.php"
    assert wiki_url(state) == "https://state.example/w/api.php"
    assert wiki_url(state, "https://option.example") == "https://option.example"


def test_a_wiki_url_that_is_not_a_string_is_refused(tmp_path):
    (tmp_path / "wikitools.toml").write_text("wiki = 3\n")
    with pytest.raises(ConfigError, match="wiki must be a string"):
        wiki_url(State(tmp_path))


def test_pull_without_a_wiki_says_where_to_give_one(tmp_path):
    result = CliRunner().invoke(main, ["pull", "Some page", "-d", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"wikitools: {tmp_path.resolve()}: no wiki given (pass --wiki URL, set WIKITOOLS_WIKI, or set wiki "
        "under [tool.wikitools] in pyproject.toml)\n"
    )


def test_status_outside_a_synced_directory_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["status", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == f"wikitools: {tmp_path}: not in a synced directory (pull pages into it first)\n"


def test_status_offline_compares_files_with_their_base(tmp_path, monkeypatch):
    state = State(tmp_path.resolve(), "http://127.0.0.1:1/api.php")
    for title, text in (("Kept", "same"), ("Edited", "before"), ("Gone", "x")):
        revision = Revision(id=1, text=text)
        name = state.filename_for(title)
        (tmp_path / name).write_text(text + "\n")
        state.record(name, Page(title, id=1, revisions=(revision,)), revision)
    state.save()
    (tmp_path / "Edited.wiki").write_text("after\n")
    (tmp_path / "Gone.wiki").unlink()
    (tmp_path / "Fresh.wiki").write_text("new page\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["status", "--offline"])
    assert (result.exit_code, result.stdout) == (
        0,
        "modified:          Edited.wiki\nnew:               Fresh.wiki\ndeleted locally:   Gone.wiki\n",
    )


def test_the_progress_bar_draws_on_a_terminal_only(capsys, monkeypatch):
    result = PageResult("A.wiki", "A", Outcome.PULLED)
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    bar = _ProgressBar("pulling", 4)
    bar(result)
    bar(result)
    bar.close()
    drawn = "\rpulling [" + "#" * 7 + "." * 23 + "] 1/4" + "\rpulling [" + "#" * 15 + "." * 15 + "] 2/4\n"
    assert capsys.readouterr().err == drawn
    monkeypatch.setattr("sys.stderr.isatty", lambda: False)
    quiet = _ProgressBar("pulling", None)
    quiet(result)
    quiet.close()
    assert capsys.readouterr().err == ""


def test_push_names_only_wiki_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "README.md").write_text("not a page\n")
    result = CliRunner().invoke(main, ["push", "README.md", "-m", "x"])
    assert (result.exit_code, result.stderr) == (
        2,
        "wikitools: README.md: not a page file "
        "(page files end with .wiki, .mediawiki, .lua, .js, .css, .json, .text)\n",
    )
    missing = CliRunner().invoke(main, ["push", "Nowhere.wiki", "-m", "x"])
    assert (missing.exit_code, missing.stderr) == (2, "wikitools: Nowhere.wiki: no such file or directory\n")


def test_push_without_credentials_says_how_to_log_in(tmp_path, monkeypatch):
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    State(tmp_path.resolve(), "http://127.0.0.1:9/api.php").save()
    (tmp_path / "Page.wiki").write_text("text\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["push", "-m", "x"])
    assert (result.exit_code, result.stderr) == (
        3,
        "wikitools: http://127.0.0.1:9/api.php: editing needs a login (set WIKITOOLS_USERNAME and "
        "WIKITOOLS_PASSWORD (a bot password), WIKITOOLS_OAUTH_TOKEN, or a ~/.netrc entry for the wiki's "
        "host)\n",
    )


@pytest.mark.parametrize("name", ["pull", "push", "status", "diff"])
def test_every_sync_command_and_option_is_documented(name):
    docs = (Path(__file__).parents[1] / "docs" / "sync.md").read_text("utf-8")
    heading = next(line for line in docs.splitlines() if line.startswith(f"### `wikitools {name} "))
    options = [p for p in main.commands[name].params if isinstance(p, click.Option) and p.name != "help"]
    undocumented = [p.opts[0] for p in options if not any(opt in heading for opt in p.opts)]
    assert undocumented == []
