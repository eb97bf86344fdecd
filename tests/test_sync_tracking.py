"""Local moves, removals and untracking (``record_move``, ``wikitools mv``/``rm``): state only, no wiki."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from wikitools.cli import main
from wikitools.errors import InputError, WikitoolsError
from wikitools.model import Page, Revision
from wikitools.sync import record_move
from wikitools.sync.state import NotSyncedError, NotTrackedError, State


@pytest.fixture
def synced(tmp_path):
    """A synced directory tracking ``Greece.wiki`` (page 5) and ``Module/Util.lua`` (page 6)."""
    state = State.load(tmp_path)
    state.api_url = "http://127.0.0.1:1/api.php"
    for name, title, model, page_id in (("Greece.wiki", "Greece", "wikitext", 5),
                                        ("Module/Util.lua", "Module:Util", "Scribunto", 6)):  # fmt: skip
        revision = Revision(id=page_id * 10, text="text", timestamp="2026-01-01T00:00:00Z", model=model)
        state.record(name, Page(title, id=page_id, revisions=(revision,)), revision)
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("text\n")
    state.save()
    return tmp_path


def entries(root):
    return json.loads((root / ".wikitools" / "state.json").read_text("utf-8"))["files"]


def test_record_move_before_and_after_the_rename(synced):
    record_move(synced, synced / "Greece.wiki", synced / "Hellas.wiki")  # file not renamed yet
    assert entries(synced)["Hellas.wiki"]["moved_to"] == "Hellas"
    (synced / "Greece.wiki").rename(synced / "Hellas.wiki")
    record_move(synced, synced / "Hellas.wiki", synced / "Hellas.wiki")  # no-op
    assert set(entries(synced)) == {"Hellas.wiki", "Module/Util.lua"}
    assert entries(synced)["Hellas.wiki"]["title"] == "Greece"


def test_moves_into_a_namespace_folder_and_back_cancel(synced):
    record_move(synced, synced / "Module/Util.lua", synced / "Module/Tools.lua")
    assert entries(synced)["Module/Tools.lua"]["moved_to"] == "Module:Tools"
    record_move(synced, synced / "Module/Tools.lua", synced / "Module/Util.lua")
    assert "moved_to" not in entries(synced)["Module/Util.lua"]
    record_move(synced, synced / "Greece.wiki", synced / "Template/Greece.wiki")
    assert entries(synced)["Template/Greece.wiki"]["moved_to"] == "Template:Greece"


@pytest.mark.parametrize(
    ("root", "old", "new", "error", "message"),
    [
        ("sub", "Greece.wiki", "B.wiki", NotSyncedError, "is not a synced directory"),
        (".", "Nope.wiki", "B.wiki", NotTrackedError, "is not tracked"),
        (".", "Greece.wiki", "Module/Util.lua", InputError, "already tracked for another page"),
        (".", "Greece.wiki", "../out.wiki", InputError, "outside the synced directory"),
        (".", "Greece.wiki", "Bad[1].wiki", InputError, "forbids"),
    ],
)
def test_record_move_refusals_are_one_line_errors(synced, root, old, new, error, message):
    (synced / "sub").mkdir()
    before = entries(synced)
    with pytest.raises(error, match=message) as caught:
        record_move(synced / root, synced / old, synced / new)
    assert isinstance(caught.value, WikitoolsError) and "\n" not in str(caught.value)
    assert entries(synced) == before


def test_mv_renames_and_records(synced, monkeypatch):
    monkeypatch.chdir(synced)
    result = CliRunner().invoke(main, ["mv", "Greece.wiki", "Hellas.wiki"])
    assert result.exit_code == 0, result.output
    assert (synced / "Hellas.wiki").is_file() and not (synced / "Greece.wiki").exists()
    assert entries(synced)["Hellas.wiki"]["moved_to"] == "Hellas"


def test_mv_refuses_to_overwrite_and_keeps_everything(synced, monkeypatch):
    monkeypatch.chdir(synced)
    (synced / "Other.wiki").write_text("mine\n")
    result = CliRunner().invoke(main, ["mv", "Greece.wiki", "Other.wiki"])
    assert (result.exit_code, result.stderr) == (
        2,
        "wikitools: Other.wiki: already exists (remove it first, or choose another name)\n",
    )
    assert (synced / "Other.wiki").read_text() == "mine\n" and (synced / "Greece.wiki").is_file()


def test_rm_marks_for_deletion_and_rm_cached_untracks(synced, monkeypatch):
    monkeypatch.chdir(synced)
    assert CliRunner().invoke(main, ["rm", "Greece.wiki"]).exit_code == 0
    assert not (synced / "Greece.wiki").exists() and entries(synced)["Greece.wiki"]["delete"] is True
    assert CliRunner().invoke(main, ["rm", "--cached", "Module/Util.lua"]).exit_code == 0
    assert (synced / "Module/Util.lua").is_file() and "Module/Util.lua" not in entries(synced)
    result = CliRunner().invoke(main, ["rm", "Untracked.wiki"])
    assert result.exit_code == 2 and "is not tracked" in result.stderr


def test_failed_first_commands_leave_no_state_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["unpack", str(tmp_path / "nonexistent.xml"), "-d", "x/y"])
    assert result.exit_code == 2 and not (tmp_path / "x").exists()  # no directory it created
    result = CliRunner().invoke(main, ["pull", "A", "-d", "z", "--wiki", "ftp://127.0.0.1/api.php"])
    assert result.exit_code == 2 and not (tmp_path / "z").exists()
    state = State.load(tmp_path / "y")
    (tmp_path / "y").mkdir()
    with state.lock():
        pass  # nothing synced
    assert not (tmp_path / "y" / ".wikitools").exists()


def test_an_uncreatable_directory_is_one_line():
    result = CliRunner().invoke(
        main, ["pull", "A", "-d", "/proc/no/such", "--wiki", "http://127.0.0.1:9/api.php"]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("wikitools: /proc/no/such: cannot create the directory (")
    assert result.stderr.count("\n") == 1


def test_git_ignores_the_lock_and_the_base_texts(synced):
    ignored = (synced / ".wikitools" / ".gitignore").read_text().split("\n")
    assert "lock" in ignored and "base/" in ignored and "state.json" not in ignored


def test_diff_works_offline_from_the_kept_base(synced, monkeypatch):
    monkeypatch.chdir(synced)
    (synced / "Greece.wiki").write_text("text\nmore\n")
    result = CliRunner().invoke(main, ["diff"])  # the wiki (port 1) is never asked
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-2:] == [" text", "+more"]


def test_status_shows_conflicts_moves_and_removals_offline(synced, monkeypatch):
    monkeypatch.chdir(synced)
    (synced / "Greece.wiki").write_text("<<<<<<< local\na\n=======\nb\n>>>>>>> remote\n")
    (synced / "Module" / "Util.lua").rename(synced / "Module" / "Tools.lua")
    result = CliRunner().invoke(main, ["status", "--offline"])
    assert result.stdout == (
        "conflict:          Greece.wiki\nmoved:             Module/Tools.lua (Module:Util → Module:Tools)\n"
    )


GERMAN_EXPORT = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="de">
<siteinfo><sitename>Testwiki</sitename><case>first-letter</case><namespaces>
<namespace key="0" case="first-letter" /><namespace key="6" case="first-letter">Datei</namespace>
<namespace key="10" case="first-letter">Vorlage</namespace>
<namespace key="12" case="first-letter">Hilfe</namespace>
</namespaces></siteinfo>
<page><title>Vorlage:Box</title><ns>10</ns><id>7</id><revision><id>70</id>
<timestamp>2024-01-01T00:00:00Z</timestamp><model>wikitext</model><format>text/x-wiki</format>
<text xml:space="preserve">{{{1}}}</text></revision></page>
<page><title>Hilfe:Bearbeiten</title><ns>12</ns><id>8</id><revision><id>80</id>
<timestamp>2024-01-01T00:00:00Z</timestamp><model>wikitext</model><format>text/x-wiki</format>
<text xml:space="preserve">Hilfe.</text></revision></page>
</mediawiki>"""


def test_unpack_names_namespace_folders_as_the_exports_wiki_does(tmp_path):
    """An export of a German wiki unpacks into Vorlage/ and Hilfe/, as pull from that wiki would."""
    source = tmp_path / "de.xml"
    source.write_text(GERMAN_EXPORT, "utf-8")
    result = CliRunner().invoke(main, ["unpack", str(source), "-d", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    state = State.load(tmp_path / "out")
    assert sorted(state.entries) == ["Hilfe/Bearbeiten.wiki", "Vorlage/Box.wiki"]
    assert state.entries["Vorlage/Box.wiki"].title == "Vorlage:Box"
    assert state.layout.title_for("Hilfe/Neu.wiki") == "Hilfe:Neu"  # a new file there is a Hilfe page
