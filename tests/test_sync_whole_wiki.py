"""A whole wiki, not only article text, against the real dev wiki: content models and namespace folders,
moves both ways, deletion and untracking, blanking, long and NFD titles, request counts."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import unicodedata
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from wikitools.api.client import WikiClient
from wikitools.api.credentials import Credentials
from wikitools.api.sessions import SessionCache
from wikitools.cli import main
from wikitools.sync.pull import pull
from wikitools.sync.push import push, wiki_files
from wikitools.sync.state import State

pytestmark = pytest.mark.wiki


@pytest.fixture
def tag() -> str:
    return uuid.uuid4().hex[:8]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def latest(client: WikiClient, title: str):
    return next(client.fetch_pages([title])).latest


def history(client: WikiClient, title: str) -> list[int]:
    answer = client.call({"action": "query", "prop": "revisions", "titles": title, "rvlimit": "max",
                          "rvprop": "ids"})  # fmt: skip
    return [r["revid"] for r in answer["query"]["pages"][0].get("revisions", [])]


def test_every_content_model_round_trips_in_its_folder(as_bot, wiki_client, tmp_path, monkeypatch, tag):
    pages = {
        f"Module:Util{tag}": ("Module/Util{tag}.lua", "Scribunto", "local p = {}\nreturn p"),
        f"Template:Box{tag}": ("Template/Box{tag}.wiki", "wikitext", "<div>{{{1}}}</div>"),
        f"MediaWiki:Site{tag}.css": ("MediaWiki/Site{tag}.css.css", "css", "body { color: red; }"),
        f"Data{tag}.json": ("Data{tag}.json.json", "json", '{\n\t"a": 1\n}'),
    }
    for title, (_, model, text) in pages.items():
        wiki_client.edit(title, text, "seed", model=model)
    monkeypatch.chdir(tmp_path)
    pulled = run("pull", *pages, "--wiki", as_bot.url)
    assert (pulled.exit_code, pulled.stdout) == (0, "pulled 4, merged 0, unchanged 0, conflicts 0\n")
    state = State.load(tmp_path)
    for name, model, text in pages.values():
        name = name.format(tag=tag)
        assert Path(name).read_text() == text + "\n", name
        assert state.entries[name].model == model
        Path(name).write_text(text.replace("1", "2").replace("red", "blue").replace("{}", "{ x = 1 }") + "\n")
    pushed = run("push", "-m", "every model")
    assert (pushed.exit_code, pushed.stdout) == (0, "pushed 4, unchanged 0, refused 0\n"), pushed.output
    for title, (_, model, _) in pages.items():
        revision = latest(wiki_client, title)
        assert revision.model == model and (
            "2" in revision.text or "blue" in revision.text or "x = 1" in revision.text
        )
    assert run("status").stdout == "up to date: 4 tracked pages\n"
    # A new file's folder and extension decide its page and content model.
    Path(f"Module/New{tag}.lua").write_text("return {}\n")
    Path(f"Broken{tag}.json").write_text("{ not json\n")
    created = run("push", "-m", "new module")
    assert created.exit_code == 1
    assert f"refused: Broken{tag}.json (Broken{tag}): is not valid JSON" in created.stdout
    assert latest(wiki_client, f"Module:New{tag}").model == "Scribunto"


def test_a_wiki_move_is_followed_with_local_edits_kept(as_bot, wiki_client, tmp_path, monkeypatch, tag):
    old, new = f"Greece {tag}", f"Hellas {tag}"
    wiki_client.edit(old, "Line one.\n\nLine two.", "seed")
    monkeypatch.chdir(tmp_path)
    assert run("pull", old, "--wiki", as_bot.url).exit_code == 0
    Path(f"Greece_{tag}.wiki").write_text("Line one, edited here.\n\nLine two.\n")
    page_id = State.load(tmp_path).entries[f"Greece_{tag}.wiki"].page_id
    wiki_client.move(page_id, new, reason="rename")
    revision = latest(wiki_client, new)
    wiki_client.edit(new, "Line one.\n\nLine two, edited there.", "edit", base=revision.id)
    assert run("status").stdout.startswith(f"moved remotely:    Greece_{tag}.wiki ({old} → {new})")
    remote = run("diff", "--remote").stdout  # found by page id under its new title
    assert f"+++ Greece_{tag}.wiki (wiki {latest(wiki_client, new).id} ({old} → {new}))" in remote
    assert "-Line two.\n+Line two, edited there.\n" in remote
    pulled = run("pull")
    assert pulled.exit_code == 0, pulled.output
    assert pulled.stdout.splitlines() == [
        f"moved: {old} → {new} (Hellas_{tag}.wiki)",
        "pulled 0, merged 1, unchanged 0, conflicts 0, moved 1",
    ]
    assert not Path(f"Greece_{tag}.wiki").exists()
    assert Path(f"Hellas_{tag}.wiki").read_text() == "Line one, edited here.\n\nLine two, edited there.\n"
    assert run("push", "-m", "merged").exit_code == 0
    assert run("status").stdout == "up to date: 1 tracked pages\n"
    # One page with its whole history: seed, the move's own revision, the edit there, the merge.
    assert len(history(wiki_client, new)) == 4
    assert latest(wiki_client, old).text.startswith("#REDIRECT")  # the redirect left behind is not pulled


def test_a_local_mv_moves_the_page_with_its_history(as_bot, wiki_client, tmp_path, monkeypatch, tag):
    old, new = f"Athens {tag}", f"Template:Athina {tag}"
    wiki_client.edit(old, "A city.", "seed")
    monkeypatch.chdir(tmp_path)
    assert run("pull", old, "--wiki", as_bot.url).exit_code == 0
    before = history(wiki_client, old)
    assert run("mv", f"Athens_{tag}.wiki", f"Template/Athina_{tag}.wiki").exit_code == 0
    assert (
        run("status", "--offline").stdout
        == f"moved:             Template/Athina_{tag}.wiki ({old} → {new})\n"
    )
    Path(f"Template/Athina_{tag}.wiki").write_text("A city, moved.\n")
    pushed = run("push", "-m", "move")
    assert pushed.stdout.splitlines() == [
        f"moved: {old} → {new} (Template/Athina_{tag}.wiki)",
        "pushed 1, unchanged 0, refused 0, moved 1",
    ]
    assert history(wiki_client, new)[2:] == before  # under the edit and the move's own revision
    assert latest(wiki_client, new).text == "A city, moved."
    assert run("status").stdout == "up to date: 1 tracked pages\n"
    assert run("pull").stdout == "pulled 0, merged 0, unchanged 1, conflicts 0\n"
    assert sorted(p.name for p in tmp_path.rglob("*.wiki")) == [f"Athina_{tag}.wiki"]
    # A move alone: the move's own revision becomes the base, so nothing is left to pull or push.
    assert run("mv", f"Template/Athina_{tag}.wiki", f"Athina_{tag}.wiki").exit_code == 0
    assert run("push", "-m", "back").exit_code == 0
    assert run("status").stdout == "up to date: 1 tracked pages\n"


def test_a_plain_rename_is_detected_as_a_move(as_bot, wiki_client, tmp_path, monkeypatch, tag):
    old, new = f"Sparta {tag}", f"Lakedaimon {tag}"
    wiki_client.edit(old, "An old city.\n\nWith walls.\n\nAnd hills.", "seed")
    monkeypatch.chdir(tmp_path)
    assert run("pull", old, "--wiki", as_bot.url).exit_code == 0
    os.rename(f"Sparta_{tag}.wiki", f"Lakedaimon_{tag}.wiki")  # like git mv, plus a small edit
    Path(f"Lakedaimon_{tag}.wiki").write_text("An old city.\n\nWith walls.\n\nAnd hills, too.\n")
    assert run("status", "--offline").stdout == f"moved:             Lakedaimon_{tag}.wiki ({old} → {new})\n"
    assert run("push", "-m", "renamed").exit_code == 0
    assert latest(wiki_client, new).text == "An old city.\n\nWith walls.\n\nAnd hills, too."
    assert run("status").stdout == "up to date: 1 tracked pages\n"


def test_a_move_onto_an_existing_page_is_refused(as_bot, wiki_client, tmp_path, monkeypatch, tag):
    wiki_client.edit(f"Taken {tag}", "Someone's.", "seed")
    wiki_client.edit(f"Mine {tag}", "Mine.", "seed")
    monkeypatch.chdir(tmp_path)
    assert run("pull", f"Mine {tag}", "--wiki", as_bot.url).exit_code == 0
    assert run("mv", f"Mine_{tag}.wiki", f"Taken_{tag}.wiki").exit_code == 0
    pushed = run("push", "-m", "move")
    assert pushed.exit_code == 1
    assert pushed.stdout.startswith(f"refused: Taken_{tag}.wiki (Mine {tag}): Taken {tag} already exists")
    assert latest(wiki_client, f"Taken {tag}").text == "Someone's."


def test_rm_then_push_delete_deletes_and_rm_cached_untracks(as_bot, wiki_client, tmp_path, monkeypatch, tag):
    for title in (f"Doomed {tag}", f"Kept {tag}"):
        wiki_client.edit(title, "Text.", "seed")
    monkeypatch.chdir(tmp_path)
    assert run("pull", f"Doomed {tag}", f"Kept {tag}", "--wiki", as_bot.url).exit_code == 0
    assert run("rm", f"Doomed_{tag}.wiki").exit_code == 0
    assert run("status", "--offline").stdout == f"removed:           Doomed_{tag}.wiki\n"
    refused = run("push", "-m", "cleanup")
    assert refused.exit_code == 1
    assert refused.stdout.startswith(f"refused: Doomed_{tag}.wiki (Doomed {tag}): marked for deletion")
    assert "(push --delete to do it)" in refused.stdout
    assert latest(wiki_client, f"Doomed {tag}") is not None
    deleted = run("push", "-m", "cleanup", "--delete")
    assert (
        deleted.stdout
        == f"deleted: Doomed_{tag}.wiki (Doomed {tag})\npushed 0, unchanged 1, refused 0, deleted 1\n"
    )
    assert latest(wiki_client, f"Doomed {tag}") is None
    assert run("rm", "--cached", f"Kept_{tag}.wiki").exit_code == 0
    assert Path(f"Kept_{tag}.wiki").is_file() and State.load(tmp_path).entries == {}
    assert latest(wiki_client, f"Kept {tag}").text == "Text."


def test_an_empty_file_is_refused_unless_blanking_is_allowed(as_bot, wiki_client, tmp_path, monkeypatch, tag):
    title = f"Blank {tag}"
    wiki_client.edit(title, "Content.", "seed")
    monkeypatch.chdir(tmp_path)
    assert run("pull", title, "--wiki", as_bot.url).exit_code == 0
    Path(f"Blank_{tag}.wiki").write_text("  \n\n")
    for args in (("--dry-run",), ()):
        refused = run("push", "-m", "blank", *args)
        assert refused.exit_code == 1 and "the file is empty" in refused.stdout
        assert "(push --allow-blank to do it)" in refused.stdout
    assert latest(wiki_client, title).text == "Content."
    assert run("push", "-m", "blank", "--allow-blank").exit_code == 0
    assert latest(wiki_client, title).text == ""


def test_long_and_nfd_titles(as_bot, wiki_client, tmp_path, monkeypatch, tag):
    long_title = "Ü" * 120 + tag[:6]
    nested = f"Long{tag}" + "/x" * 100
    for title in (long_title, nested):
        wiki_client.edit(title, "Long.", "seed")
    monkeypatch.chdir(tmp_path)
    pulled = run("pull", long_title, nested, "--wiki", as_bot.url)
    assert (pulled.exit_code, pulled.stdout) == (0, "pulled 2, merged 0, unchanged 0, conflicts 0\n")
    names = sorted(State.load(tmp_path).entries)
    assert all(len(name.encode()) <= 200 for name in names) and all("#" in name for name in names)
    for name in names:
        Path(name).write_text("Long, edited.\n")
    assert run("push", "-m", "long").stdout == "pushed 2, unchanged 0, refused 0\n"
    assert latest(wiki_client, long_title).text == "Long, edited."
    # A file name in NFD (as macOS writes it) stands for the NFC title.
    nfc = f"Zürich Ä {tag}"
    Path(unicodedata.normalize("NFD", f"Zürich_Ä_{tag}.wiki")).write_text("Ein See.\n")
    assert run("push", "-m", "nfd").stdout == "pushed 1, unchanged 2, refused 0\n"
    assert latest(wiki_client, nfc).text == "Ein See."
    assert run("status").stdout == "up to date: 3 tracked pages\n"


def test_pull_a_namespace_and_a_prefix_with_its_namespace(as_bot, wiki_client, tmp_path, tag):
    for title in (f"Help:Editing {tag}", f"Help:Editing {tag}/Links", f"Help:Other {tag}"):
        wiki_client.edit(title, "Help text.", "seed")
    prefixed = run("pull", "--prefix", f"Help:Editing {tag}", "--wiki", as_bot.url, "-d", tmp_path / "p")
    assert (prefixed.exit_code, prefixed.stdout) == (0, "pulled 2, merged 0, unchanged 0, conflicts 0\n")
    assert sorted(State.load(tmp_path / "p").entries) == [
        f"Help/Editing_{tag}%2FLinks.wiki",
        f"Help/Editing_{tag}.wiki",
    ]
    whole = run(
        "pull", "--namespace", "Help", "--namespace", "12", "--wiki", as_bot.url, "-d", tmp_path / "n"
    )
    assert whole.exit_code == 0 and f"Help/Other_{tag}.wiki" in State.load(tmp_path / "n").entries


def _seeded_folder(wiki, directory: Path, tag: str, count: int) -> State:
    """``count`` pages imported by MediaWiki's ``importDump.php`` (without link updates; 1,000 in
    about 5 s, ``action=import`` takes 80 s) and pulled into ``directory``."""
    from tests.test_api_wiki import export_xml

    pages = {f"Bulk {tag} {n:04d}": f"Page {n}." for n in range(count)}
    wiki.run_maintenance("importDump.php", "--no-updates", stdin=export_xml(pages))
    state = State.load(directory)
    client = WikiClient(wiki.api_url, credentials=Credentials(wiki.bot_username, wiki.bot_password))
    state.api_url = client.api_url
    report = pull(state, client, prefix=f"Bulk {tag} ")
    assert report.summary() == f"pulled {count}, merged 0, unchanged 0, conflicts 0"
    return State.load(directory)


def test_request_counts_do_not_grow_with_the_folder(wiki, wiki_client, tmp_path, tag):
    """1,000 tracked pages: a no-op pull costs 1 request; a one-page push 4 with a login (token, login,
    one query for the user, its CSRF token and the base check, the edit) and 2 with a kept session."""
    folder, sessions = tmp_path / "folder", SessionCache(tmp_path / "sessions")
    state = _seeded_folder(wiki, folder, tag, 1000)

    def client() -> WikiClient:
        return WikiClient(wiki.api_url, credentials=Credentials(wiki.bot_username, wiki.bot_password),
                          sessions=sessions)  # fmt: skip

    noop = client()
    assert pull(state, noop).summary() == "pulled 0, merged 0, unchanged 1000, conflicts 0"
    assert noop.requests_made == 1  # list=recentchanges since the last pull; no login needed
    for text, requests in (("Changed.", 4), ("Changed again.", 2)):
        (folder / f"Bulk_{tag}_0150.wiki").write_text(text + "\n")
        pusher = client()
        report = push(State.load(folder), pusher, wiki_files(state, [folder]), summary="one")
        assert report.summary() == "pushed 1, unchanged 999, refused 0"
        assert (pusher.requests_made, latest(wiki_client, f"Bulk {tag} 0150").text) == (requests, text)
    changed = next(wiki_client.fetch_pages([f"Bulk {tag} 0150"]))
    wiki_client.edit(changed.title, "Changed there.", "edit", base=changed.latest.id)
    report = pull(State.load(folder), client())
    assert report.summary() == "pulled 1, merged 0, unchanged 999, conflicts 0"
    assert json.loads((folder / ".wikitools" / "state.json").read_text())["last_pull"]


def test_a_directory_pulled_by_the_previous_format_migrates(as_bot, wiki_client, tmp_path, monkeypatch, tag):
    """Format 1 (flat names, wikitext only) reads as format 2: nothing lost, files stay where they are."""
    title = f"Template:Old {tag}"
    wiki_client.edit(title, "Old template.", "seed")
    page = next(wiki_client.fetch_pages([title]))
    name = f"Template%3AOld_{tag}.wiki"
    (tmp_path / name).write_text("Old template.\n")
    (tmp_path / ".wikitools").mkdir()
    entry = {"title": title, "page_id": page.id, "revid": page.latest.id, "timestamp": page.latest.timestamp,
             "sha1": page.latest.sha1}  # fmt: skip
    (tmp_path / ".wikitools" / "state.json").write_text(
        json.dumps({"format": 1, "api_url": wiki_client.api_url, "files": {name: entry}})
    )
    monkeypatch.chdir(tmp_path)
    assert run("status").stdout == "up to date: 1 tracked pages\n"
    assert run("pull").stdout == "pulled 0, merged 0, unchanged 1, conflicts 0\n"
    saved = json.loads((tmp_path / ".wikitools" / "state.json").read_text())
    assert saved["format"] == 2 and saved["files"][name] == entry and saved["namespaces"]["10"] == "Template"
    Path(name).write_text("Old template, edited.\n")
    assert run("push", "-m", "after migration").stdout == "pushed 1, unchanged 0, refused 0\n"
    assert latest(wiki_client, title).text == "Old template, edited."


def test_namespace_folders_take_the_wikis_localized_names(tmp_path_factory, monkeypatch):
    """A wiki installed in German: Vorlage/, Datei/, Hilfe/ (names from its siteinfo, not English)."""
    from wikitools.devwiki import DevWiki

    german = DevWiki(tmp_path_factory.mktemp("dewiki"), lang="de")
    try:
        german.start()
        bot = WikiClient(german.api_url, credentials=Credentials(german.bot_username, german.bot_password))
        bot.edit("Vorlage:Hallo", "Hallo {{{1}}}", "seed")
        bot.edit("Template:Canonical", "English name, same namespace", "seed")
        bot.edit("Hilfe:Bearbeiten", "Hilfe.", "seed")
        monkeypatch.setenv("WIKITOOLS_USERNAME", german.bot_username)
        monkeypatch.setenv("WIKITOOLS_PASSWORD", german.bot_password)
        directory = tmp_path_factory.mktemp("de")
        pulled = run(
            "pull", "--namespace", "Vorlage", "--namespace", "Help", "--wiki", german.url, "-d", directory
        )
        assert (pulled.exit_code, pulled.stdout) == (0, "pulled 3, merged 0, unchanged 0, conflicts 0\n")
        assert sorted(State.load(directory).entries) == [
            "Hilfe/Bearbeiten.wiki", "Vorlage/Canonical.wiki", "Vorlage/Hallo.wiki"
        ]  # fmt: skip
        (directory / "Vorlage" / "Neu.wiki").write_text("Neue Vorlage.\n")
        monkeypatch.chdir(directory)
        assert run("push", "-m", "neu").stdout == "pushed 1, unchanged 3, refused 0\n"
        assert latest(bot, "Vorlage:Neu").text == "Neue Vorlage."
    finally:
        german.stop()


def test_media_files_pull_and_push_beside_their_pages(as_bot, wiki_client, tmp_path, monkeypatch, tag):
    source = tmp_path / "source.bin"
    source.write_bytes(os.urandom(3000))
    title = f"File:Photo {tag}.bin"
    assert wiki_client.upload(f"Photo {tag}.bin", source, text="A photo.").published
    work = tmp_path / "work"
    pulled = run("pull", title, "--media", "--wiki", as_bot.url, "-d", work)
    assert (pulled.exit_code, pulled.stdout) == (0, "pulled 2, merged 0, unchanged 0, conflicts 0\n")
    media = work / "File" / f"Photo_{tag}.bin"
    assert media.read_bytes() == source.read_bytes()
    assert (work / "File" / f"Photo_{tag}.bin.wiki").read_text() == "A photo.\n"
    monkeypatch.chdir(work)
    assert run("push", "-m", "nothing").stdout == "pushed 0, unchanged 1, refused 0\n"  # no upload
    media.write_bytes(os.urandom(5000))
    assert run("push", "-m", "new version").stdout == "pushed 1, unchanged 0, refused 0\n"
    (info,) = wiki_client.media_info([title]).values()
    assert info.sha1 == hashlib.sha1(media.read_bytes()).hexdigest()
    assert run("status").stdout == "up to date: 1 tracked pages\n"
    # A new media file with its description page creates the page; a duplicate is reported.
    (work / "File" / f"New_{tag}.bin").write_bytes(os.urandom(2000))
    (work / "File" / f"New_{tag}.bin.wiki").write_text("New file.\n")
    (work / "File" / f"Copy_{tag}.bin").write_bytes(media.read_bytes())
    (work / "File" / f"Copy_{tag}.bin.wiki").write_text("A copy.\n")
    pushed = run("push", "-m", "uploads")
    assert pushed.exit_code == 1
    assert f"refused: File/Copy_{tag}.bin (File:Copy {tag}.bin): the wiki warns: duplicate" in pushed.stdout
    assert latest(wiki_client, f"File:New {tag}.bin").text == "New file."


def test_a_hidden_base_revision_is_reported_not_merged_against_nothing(
    as_bot, wiki_client, tmp_path, monkeypatch, tag
):
    title = f"Hidden base {tag}"
    wiki_client.edit(title, "One.\n\nTwo.", "seed")
    monkeypatch.chdir(tmp_path)
    assert run("pull", title, "--wiki", as_bot.url).exit_code == 0
    base = latest(wiki_client, title)
    wiki_client.edit(title, "One.\n\nTwo, changed there.", "edit", base=base.id)
    wiki_client.call({"action": "revisiondelete", "type": "revision", "target": title, "ids": base.id,
                      "hide": "content", "reason": "test"}, write=True)  # fmt: skip
    shutil.rmtree(tmp_path / ".wikitools" / "base")  # as in a directory from before base texts were kept
    Path(f"Hidden_base_{tag}.wiki").write_text("One, changed here.\n\nTwo.\n")
    monkeypatch.delenv("WIKITOOLS_USERNAME")  # anonymous: the hidden text is out of reach (the bot, a sysop,
    monkeypatch.delenv("WIKITOOLS_PASSWORD")  # could still read it)
    pulled = run("pull")
    assert pulled.exit_code == 1, pulled.stdout
    assert f"the base revision {base.id} is hidden or deleted on the wiki" in pulled.stdout
    assert Path(f"Hidden_base_{tag}.wiki").read_text() == "One, changed here.\n\nTwo.\n"
