"""Round trips through a real MediaWiki: files -> export -> importDump.php or action=import -> pull, and
Special:Export -> unpack. Whatever the wiki's own importer and exporter do, no byte may change."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner, Result
from lxml import etree

from tests.test_xml_read import _schema
from wikitools.api.client import WikiClient
from wikitools.cli import main
from wikitools.formats.xml_read import iter_pages
from wikitools.savedtext import wiki_text
from wikitools.sync.state import State
from wikitools.titles import filename_to_title, title_to_filename

pytestmark = pytest.mark.wiki

TEXTS = {
    "Lake {tag}": "'''Lake''' <ref>A & B</ref> is deep.\n\n== Facts ==\n* x < y && y > z ]]> done\n"
    "\tIndented\twith tabs; trailing spaces kept inside:   \n{{{{Infobox {tag}|name=Ü}}}}\n",
    "Zürich 日本 ñ {tag}": "Ünïcödé: 日本語のテキスト, ελληνικά, हिन्दी. [[Lake {tag}]]\n",
    "Help:Guide/{tag} part": "A subpage in the Help namespace.\n",
    "Template:Infobox {tag}": '<div class="infobox">{{{{{{name|}}}}}}</div><noinclude>doc</noinclude>\n',
    "Redirect {tag}": "#REDIRECT [[Lake {tag}]]\n",
}


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def folder(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A folder of .wiki files whose titles no other test uses; returns it and {title: file text}."""
    tag = uuid.uuid4().hex[:8]
    root = tmp_path / "articles"
    root.mkdir()
    pages = {title.format(tag=tag): text.format(tag=tag) for title, text in TEXTS.items()}
    for title, text in pages.items():
        (root / title_to_filename(title)).write_text(text, encoding="utf-8")
    return root, pages


def _export(root: Path, out: Path) -> bytes:
    result = run("export", root, "-o", out)
    assert (result.exit_code, result.stderr) == (0, f"exported {len(TEXTS)} pages to {out}\n")
    schema = _schema("0.11")
    assert schema.validate(etree.parse(str(out))), schema.error_log
    return out.read_bytes()


def _assert_pulls_back_identical(wiki, root: Path, pages: dict[str, str], tmp_path: Path) -> None:
    """Pull the pages into a fresh folder: every file must be byte-identical to the one exported."""
    pulled = tmp_path / "pulled"
    result = run("pull", *pages, "--wiki", wiki.url, "-d", pulled)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"pulled {len(pages)}, merged 0, unchanged 0, conflicts 0\n"
    _assert_same_files(root, pulled)


def _assert_same_files(root: Path, synced: Path) -> None:
    """Each flat file of ``root`` is byte-identical to its page's file in ``synced`` (which puts it in
    its namespace's folder)."""
    state = State.load(synced)
    for original in root.glob("*.wiki"):
        name, _ = state.entry_for_title(filename_to_title(original))
        assert (synced / name).read_bytes() == original.read_bytes(), original.name


def test_export_imports_with_importdump_and_pulls_back_identical(wiki, wiki_client, folder, tmp_path):
    root, pages = folder
    out = tmp_path / "pages.xml"
    _export(root, out)
    output = wiki.run_maintenance("importDump.php", str(out))
    assert output.startswith("Done!\n"), output
    fetched = {page.title: page for page in wiki_client.fetch_pages(pages)}
    for title, text in pages.items():
        latest = fetched[title].latest
        assert latest is not None, f"{title} was not imported"
        assert latest.text == wiki_text(text)
    _assert_pulls_back_identical(wiki, root, pages, tmp_path)


def test_export_imports_through_action_import_and_pulls_back_identical(wiki, wiki_client, folder, tmp_path):
    root, pages = folder
    data = _export(root, tmp_path / "pages.xml")
    assert wiki_client.import_xml(data, summary="wikitools round trip") == len(pages)
    fetched = {page.title: page for page in wiki_client.fetch_pages(pages)}
    assert {title: fetched[title].latest.text for title in pages} == {  # type: ignore[union-attr]
        title: wiki_text(text) for title, text in pages.items()
    }
    _assert_pulls_back_identical(wiki, root, pages, tmp_path)


@pytest.mark.parametrize("via", ["Special:Export", "api"])
def test_the_wikis_export_unpacks_to_identical_files(wiki, wiki_client: WikiClient, folder, tmp_path, via):
    root, pages = folder
    assert wiki_client.import_xml(_export(root, tmp_path / "pages.xml")) == len(pages)
    if via == "Special:Export":
        response = requests.post(
            f"{wiki.url}/index.php",
            data={"title": "Special:Export", "pages": "\n".join(pages), "curonly": "1", "action": "submit"},
            timeout=30,
        )
    else:
        response = requests.get(
            wiki.api_url,
            params={"action": "query", "export": "1", "exportnowrap": "1", "titles": "|".join(pages)},
            timeout=30,
        )
    response.raise_for_status()
    exported = tmp_path / "from-wiki.xml"
    exported.write_bytes(response.content)
    assert sorted(p.title for p in iter_pages(exported)) == sorted(pages)

    unpacked = tmp_path / "unpacked"
    result = run("unpack", exported, "-d", unpacked)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        f"{exported}: {len(pages)} written, 0 unchanged\n",
        "",
    )
    _assert_same_files(root, unpacked)
    state = State.load(unpacked)
    # the state is the one pull would write: the wiki's own page and revision ids
    latest = {page.title: page for page in wiki_client.fetch_pages(pages)}
    for name, entry in state.entries.items():
        page = latest[entry.title]
        assert (entry.page_id, entry.revid) == (page.id, page.latest.id), name  # type: ignore[union-attr]
