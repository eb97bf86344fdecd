"""``wikitools export`` and ``wikitools unpack`` through the command line."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from wikitools.cli import main
from wikitools.formats.xml_read import iter_pages
from wikitools.formats.xml_write import write_dump_file
from wikitools.model import Page, Revision
from wikitools.savedtext import text_sha1
from wikitools.sync.folder_xml import pages_from_files
from wikitools.sync.state import State

DATA = Path(__file__).parent / "data" / "xml"


def run(*args: str | Path, stdin: bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, [str(a) for a in args], input=stdin)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    root.mkdir()
    (root / "Lake_Zürich.wiki").write_text("'''Lake Zürich''' is deep.\n\n== See also ==\n* [[Alps]]\n")
    (root / "Template%3AInfobox.wiki").write_text("<div>{{{name}}}</div>\n")
    (root / "Zurich_lake.wiki").write_text("#REDIRECT [[Lake Zürich]]\n")
    (root / "notes.txt").write_text("not a page")
    os.utime(root / "Lake_Zürich.wiki", (1_700_000_000, 1_700_000_000))
    return root


def test_export_a_folder(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "pages.xml"
    result = run("export", folder, "-o", out)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"exported 3 pages to {out}\n")
    pages = {p.title: p for p in iter_pages(out)}
    assert sorted(pages) == ["Lake Zürich", "Template:Infobox", "Zurich lake"]
    lake = pages["Lake Zürich"]
    assert lake.namespace == 0 and lake.redirect is None
    assert lake.revisions[0].text == "'''Lake Zürich''' is deep.\n\n== See also ==\n* [[Alps]]"
    assert lake.revisions[0].timestamp == "2023-11-14T22:13:20Z"  # the file's modification time
    assert pages["Template:Infobox"].namespace == 10
    assert pages["Zurich lake"].redirect == "Lake Zürich"


def test_export_single_files_to_stdout(folder: Path) -> None:
    result = run("export", folder / "Zurich_lake.wiki")
    assert result.exit_code == 0 and result.stderr == "exported 1 page to -\n"
    (page,) = iter_pages(io.BytesIO(result.stdout_bytes))
    assert page.title == "Zurich lake" and page.latest is not None
    assert page.latest.text == "#REDIRECT [[Lake Zürich]]"


def test_export_compresses_by_the_output_suffix(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "pages.xml.bz2"
    assert run("export", folder, "-o", out).exit_code == 0
    assert out.read_bytes().startswith(b"BZh") and len(list(iter_pages(out))) == 3


def test_export_errors_are_one_line(tmp_path: Path) -> None:
    result = run("export", tmp_path / "missing", "-o", tmp_path / "x.xml")
    assert (result.exit_code, result.stderr) == (
        2,
        f"wikitools: {tmp_path / 'missing'}: no such file or directory\n",
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("export", empty)
    assert (result.exit_code, result.stderr) == (2, f"wikitools: {empty}: no .wiki files found\n")
    assert not (tmp_path / "x.xml").exists()


def test_unpack_writes_files_and_state_like_pull(tmp_path: Path) -> None:
    out = tmp_path / "wiki"
    result = run("unpack", DATA / "export-0.11.xml", "-d", out)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        f"{DATA / 'export-0.11.xml'}: 3 written, 0 unchanged\n",
        "",
    )
    assert sorted(p.name for p in out.iterdir()) == [
        ".wikitools",
        "Template",  # the folder of its namespace
        "Zurich_lake.wiki",
        "Zürich_Lake.wiki",
    ]
    assert (out / "Template/Infobox.wiki").read_text() == "<div>{{{name|}}}</div>\n"  # the latest revision
    state = json.loads((out / ".wikitools" / "state.json").read_text())
    assert state["files"]["Template/Infobox.wiki"] == {
        "title": "Template:Infobox",
        "page_id": 13,
        "revid": 202,
        "timestamp": "2024-01-02T00:00:00Z",
        "sha1": text_sha1("<div>{{{name|}}}</div>"),
    }
    again = run("unpack", DATA / "export-0.11.xml", "-d", out)
    assert (again.exit_code, again.stdout) == (0, f"{DATA / 'export-0.11.xml'}: 0 written, 3 unchanged\n")


def test_unpack_filters_namespaces(tmp_path: Path) -> None:
    result = run("unpack", DATA / "export-0.10.xml", "-d", tmp_path, "--namespace", "10")
    assert result.stdout == f"{DATA / 'export-0.10.xml'}: 1 written, 0 unchanged, 2 skipped\n"
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.wiki")] == ["Template/Infobox.wiki"]


def test_unpack_never_overwrites_a_local_edit(tmp_path: Path) -> None:
    source = DATA / "export-0.11.xml"
    assert run("unpack", source, "-d", tmp_path).exit_code == 0
    edited = tmp_path / "Zürich_Lake.wiki"
    edited.write_text("my own words\n")
    newer = tmp_path / "newer.xml"
    pages = [
        Page(p.title, p.namespace, p.id, p.redirect, (Revision(id=900 + i, text=f"new {i}"),))
        for i, p in enumerate(iter_pages(source))
    ]
    write_dump_file(newer, pages)
    result = run("unpack", newer, "-d", tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        f"{newer}: 2 written, 0 unchanged, 1 not overwritten (edited locally)\n",
        "not overwritten (edited locally): Zürich Lake\n",
    )
    assert edited.read_text() == "my own words\n"
    assert (tmp_path / "Zurich_lake.wiki").read_text() == "new 1\n"
    assert State.load(tmp_path).entries["Zurich_lake.wiki"].revid == 901


def test_unpack_reports_warnings_and_malformed_files(tmp_path: Path) -> None:
    text = (DATA / "export-0.10.xml").read_text(encoding="utf-8").replace('bytes="26"', 'bytes="25"')
    damaged = tmp_path / "damaged.xml"
    damaged.write_text(text, encoding="utf-8")
    result = run("unpack", damaged, "-d", tmp_path / "out")
    assert result.exit_code == 0
    assert result.stderr == (
        f"wikitools: warning: {damaged}: line 47: page 'Zurich lake' revision 102: "
        "bytes=25 but the text has 26 bytes\n"
    )
    broken = tmp_path / "broken.xml"
    broken.write_text(text[: text.index("<title>Template")] + "<title>Oops</page>")
    result = run("unpack", broken, "-d", tmp_path / "out2")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"wikitools: {broken}: not well-formed XML at line 60, column 23: "
        "Opening and ending tag mismatch: title line 60 and page; 2 complete pages were read before it"
    )
    assert len(list((tmp_path / "out2").glob("*.wiki"))) == 2  # the complete pages were kept


def test_unpack_reads_stdin(tmp_path: Path) -> None:
    result = run("unpack", "-", "-d", tmp_path, stdin=(DATA / "export-0.4.xml").read_bytes())
    assert (result.exit_code, result.stdout) == (0, "-: 3 written, 0 unchanged\n")


def test_a_folder_round_trips_through_export_and_unpack(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "pages.xml"
    assert run("export", folder, "-o", out).exit_code == 0
    assert run("unpack", out, "-d", tmp_path / "back").exit_code == 0
    for original in folder.glob("*.wiki"):
        moved = "Template/Infobox.wiki" if original.name.startswith("Template") else original.name
        assert (tmp_path / "back" / moved).read_bytes() == original.read_bytes()


def test_export_keeps_the_base_revision_of_unedited_pulled_files(tmp_path: Path) -> None:
    assert run("unpack", DATA / "export-0.11.xml", "-d", tmp_path).exit_code == 0
    (tmp_path / "Zurich_lake.wiki").write_text("#REDIRECT [[Elsewhere]]\n")
    pages = {p.title: p for p in pages_from_files([tmp_path])}
    unchanged = pages["Zürich Lake"].revisions[0]
    assert (pages["Zürich Lake"].id, unchanged.id, unchanged.timestamp) == (11, 101, "2024-03-01T10:00:00Z")
    edited = pages["Zurich lake"].revisions[0]
    assert (pages["Zurich lake"].id, edited.id, edited.parent_id) == (12, None, 102)
    assert pages["Zurich lake"].redirect == "Elsewhere"


def test_unpack_takes_in_untracked_files_instead_of_writing_beside_them(tmp_path: Path) -> None:
    source = DATA / "export-0.11.xml"
    same = tmp_path / "Zurich_lake.wiki"
    other = tmp_path / "Zürich_Lake.wiki"
    unpacked = tmp_path / "reference"
    assert run("unpack", source, "-d", unpacked).exit_code == 0
    same.write_text((unpacked / "Zurich_lake.wiki").read_text())
    other.write_text("my own draft\n")
    result = run("unpack", source, "-d", tmp_path)
    assert result.exit_code == 1
    assert result.stderr == "not overwritten (edited locally): Zürich Lake\n"
    assert sorted(p.name for p in tmp_path.glob("*.wiki")) == ["Zurich_lake.wiki", "Zürich_Lake.wiki"]
    assert (tmp_path / "Template" / "Infobox.wiki").is_file()
    assert other.read_text() == "my own draft\n"
    assert "Zurich_lake.wiki" in State.load(tmp_path).entries
