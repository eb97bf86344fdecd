"""``convert`` takes the wiki's namespace names: ``--wiki URL`` (its siteinfo), the synced directory's
stored names, an export's ``<siteinfo>`` (issue 9 item 4). A Finnish wiki is the referee: none of its
names (``Tiedosto:``, ``Luokka:``) is in the built-in table, so only its siteinfo can hide those links."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from wikitools.api import Credentials, WikiClient
from wikitools.cli import main
from wikitools.cli.convert import SYNC_STATE
from wikitools.devwiki import DevWiki
from wikitools.markup import BUILTIN, LinkKind, classify_link
from wikitools.sync import state as sync_state

from .conftest import running

PAGE = "Järvi on vesistö.\n\n[[Tiedosto:Järvi.jpg|pienoiskuva|Kesäinen järvi]]\n\n[[Luokka:Järvet]]\n"


@pytest.fixture(scope="module")
def finnish(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevWiki]:
    yield from running(DevWiki(tmp_path_factory.mktemp("fiwiki"), lang="fi"))


def run(*args: str | Path):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_the_builtin_table_does_not_know_finnish_so_the_wiki_decides():
    assert classify_link("Tiedosto:Järvi.jpg", BUILTIN).kind is LinkKind.ARTICLE


def test_wiki_option_takes_the_wikis_namespace_names(finnish, tmp_path, monkeypatch):
    monkeypatch.delenv("WIKITOOLS_USERNAME", raising=False)
    page = tmp_path / "Järvi.wiki"
    page.write_text(PAGE, encoding="utf-8")
    builtin = run("convert", page)
    assert "pienoiskuva" in builtin.output and "Luokka:Järvet" in builtin.output
    done = run("convert", page, "--wiki", finnish.url)
    assert (done.exit_code, done.output) == (0, "Järvi\n\nJärvi on vesistö.")


def test_a_synced_directory_converts_with_the_names_its_pull_stored(finnish, tmp_path, monkeypatch):
    monkeypatch.setenv("WIKITOOLS_USERNAME", finnish.bot_username)
    monkeypatch.setenv("WIKITOOLS_PASSWORD", finnish.bot_password)
    bot = WikiClient(finnish.api_url, credentials=Credentials(finnish.bot_username, finnish.bot_password))
    bot.edit("Järvi", PAGE, "seed")
    folder = tmp_path / "synced"
    assert run("pull", "Järvi", "--wiki", finnish.url, "-d", folder).exit_code == 0
    assert run("convert", folder / "Järvi.wiki").output == "Järvi\n\nJärvi on vesistö."
    done = run("convert", folder, "-d", tmp_path / "out", "--jobs", "2")  # the names reach the workers
    assert done.exit_code == 0, done.output
    assert (tmp_path / "out" / "Järvi.txt").read_text(encoding="utf-8") == "Järvi\n\nJärvi on vesistö."
    outside = tmp_path / "Järvi.wiki"
    outside.write_text(PAGE, encoding="utf-8")
    assert "pienoiskuva" in run("convert", outside).output  # outside it, the built-in names only


def test_an_exports_siteinfo_names_its_namespaces(tmp_path):
    export = tmp_path / "page.xml"
    export.write_text(
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="fi">'
        '<siteinfo><sitename>W</sitename><namespaces><namespace key="6" case="first-letter">Tiedosto'
        '</namespace><namespace key="14" case="first-letter">Luokka</namespace></namespaces></siteinfo>'
        "<page><title>Järvi</title><ns>0</ns><id>1</id><revision><id>1</id><model>wikitext</model>"
        f"<format>text/x-wiki</format><text>{PAGE}</text></revision></page></mediawiki>",
        encoding="utf-8",
    )
    assert run("convert", export, "--to", "text").output == "Järvi\n\nJärvi on vesistö."


def test_the_wikis_table_pickles_for_worker_processes():
    finnish = BUILTIN.extended({6: "Tiedosto", 14: ["Luokka"]})
    again = pickle.loads(pickle.dumps(finnish))
    assert again == finnish and again.namespace("Tiedosto") == 6 and again.namespace("Luokka") == 14


def test_the_cli_looks_for_the_state_file_sync_writes():
    assert Path(sync_state.STATE_DIR, sync_state.STATE_FILE) == SYNC_STATE
