"""pull / push / status / diff against a real MediaWiki: round trips, refusals, merges, odd titles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from wikitools.api.client import WikiClient
from wikitools.api.credentials import Credentials
from wikitools.cli import main
from wikitools.sync.push import push
from wikitools.sync.state import State
from wikitools.titles import title_to_filename

pytestmark = pytest.mark.wiki


@pytest.fixture(scope="session")
def other_user(wiki) -> WikiClient:
    """Another (non-bot) user of the wiki, whose edits our pushes must never overwrite."""
    username, password = wiki.create_user("Other editor", "other-editor-password-1")
    client = WikiClient(wiki.api_url, credentials=Credentials(username, password))
    client.login()
    return client


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def create(client: WikiClient, title: str, text: str) -> None:
    client.edit(title, text, "seed")


def edit(client: WikiClient, title: str, change) -> None:
    """Edit ``title`` as ``client`` would in a browser: from its latest revision."""
    latest = next(client.fetch_pages([title])).latest
    client.edit(title, change(latest.text), "edit", base=latest.id)


def wiki_text(client: WikiClient, title: str) -> str | None:
    latest = next(client.fetch_pages([title])).latest
    return None if latest is None else latest.text


def pull_into(directory: Path, wiki, *titles: str) -> None:
    result = run("pull", *titles, "--wiki", wiki.url, "-d", directory)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"pulled {len(titles)}, merged 0, unchanged 0, conflicts 0\n"


ARTICLE = "Intro line.\n\n== History ==\nFounded long ago.\n\n== Geography ==\nHills and rivers.\n"


def diverged(
    wiki, creator: WikiClient, editor: WikiClient, directory: Path, title: str, theirs, ours: str
) -> Path:
    """Create ``title`` as ARTICLE and pull it; ``editor`` then changes it on the wiki with ``theirs`` and
    the file gets ``ours``. Returns the file."""
    create(creator, title, ARTICLE)
    pull_into(directory, wiki, title)
    edit(editor, title, theirs)
    path = directory / title_to_filename(title)
    path.write_text(ours, "utf-8")
    return path


def test_pull_edit_push_round_trip(as_bot, wiki_client, tmp_path, monkeypatch):
    create(wiki_client, "Round trip one", ARTICLE)
    create(wiki_client, "Round trip two", "Second page.")
    pull_into(tmp_path, as_bot, "Round trip one", "Round trip two")
    assert (tmp_path / "Round_trip_one.wiki").read_text("utf-8") == ARTICLE
    state = json.loads((tmp_path / ".wikitools" / "state.json").read_text("utf-8"))
    assert state["api_url"] == as_bot.api_url
    assert sorted(state["files"]) == ["Round_trip_one.wiki", "Round_trip_two.wiki"]

    monkeypatch.chdir(tmp_path)  # later commands find the wiki in the state, no flag needed
    (tmp_path / "Round_trip_one.wiki").write_text(ARTICLE.replace("Hills", "Green hills"), "utf-8")
    status = run("status")
    assert (status.exit_code, status.stdout) == (0, "modified:          Round_trip_one.wiki\n")
    diff = run("diff")
    assert diff.exit_code == 0 and "-Hills and rivers.\n+Green hills and rivers." in diff.stdout

    pushed = run("push", "-m", "greener")
    assert (pushed.exit_code, pushed.stdout) == (0, "pushed 1, unchanged 1, refused 0\n")
    assert wiki_text(wiki_client, "Round trip one") == ARTICLE.replace("Hills", "Green hills").rstrip()
    assert run("status").stdout == "up to date: 2 tracked pages\n"

    again = run("push", "-m", "nothing to do")
    assert (again.exit_code, again.stdout) == (0, "pushed 0, unchanged 2, refused 0\n")
    repull = run("pull")
    assert (repull.exit_code, repull.stdout) == (0, "pulled 0, merged 0, unchanged 2, conflicts 0\n")


def test_push_sends_no_request_for_unchanged_files(as_bot, wiki_client, tmp_path):
    create(wiki_client, "Quiet page", "Nothing changes here.")
    pull_into(tmp_path, as_bot, "Quiet page")
    state = State.load(tmp_path)
    client = WikiClient(state.api_url, credentials=Credentials(as_bot.bot_username, as_bot.bot_password))
    report = push(state, client, ["Quiet_page.wiki"], summary="noop")
    assert report.summary() == "pushed 0, unchanged 1, refused 0"
    assert client.requests_made == 0  # not even a login


def test_push_is_refused_when_another_user_edited(as_bot, wiki_client, other_user, tmp_path):
    theirs = lambda t: t.replace("Intro line.", "Intro line, improved.")  # noqa: E731
    diverged(as_bot, wiki_client, other_user, tmp_path, "Contested", theirs, ARTICLE.replace("Hills", "Mtns"))

    result = run("push", tmp_path / "Contested.wiki", "-m", "mine")
    revids = State.load(tmp_path).entries["Contested.wiki"].revid
    assert result.exit_code == 1
    assert result.stdout == (
        f"refused: Contested.wiki (Contested): the page changed on the wiki since your last pull (base "
        f"revision {revids}, now {revids + 1}); pull, then push\npushed 0, unchanged 0, refused 1\n"
    )
    # MediaWiki would have merged the two edits; we sent nothing, so the other user's text stands alone.
    theirs = ARTICLE.replace("Intro line.", "Intro line, improved.")
    assert wiki_text(wiki_client, "Contested") == theirs.rstrip()


def test_push_is_refused_when_the_same_users_base_is_stale(as_bot, wiki_client, tmp_path):
    # The same account edits elsewhere (another checkout); MediaWiki would let the stale push through.
    theirs = lambda t: t + "\nAdded from another checkout."  # noqa: E731
    ours = ARTICLE.replace("Hills", "Valleys")
    diverged(as_bot, wiki_client, wiki_client, tmp_path, "Own stale base", theirs, ours)
    result = run("push", tmp_path, "-m", "stale")
    assert result.exit_code == 1 and result.stdout.startswith("refused: Own_stale_base.wiki (Own stale base)")
    assert "Added from another checkout." in wiki_text(wiki_client, "Own stale base")


def test_pull_merges_disjoint_changes_then_push_sends_the_merge(as_bot, wiki_client, other_user, tmp_path):
    theirs = lambda t: t.replace("Founded long ago.", "Founded in 1850.")  # noqa: E731
    ours = ARTICLE.replace("Hills and rivers.", "Hills, lakes and rivers.")
    path = diverged(as_bot, wiki_client, other_user, tmp_path, "Merge clean", theirs, ours)

    pulled = run("pull", "-d", tmp_path)
    assert (pulled.exit_code, pulled.stdout) == (0, "pulled 0, merged 1, unchanged 0, conflicts 0\n")
    merged = ARTICLE.replace("Founded long ago.", "Founded in 1850.").replace("Hills and", "Hills, lakes and")
    assert path.read_text("utf-8") == merged
    pushed = run("push", path, "-m", "merged")
    assert (pushed.exit_code, pushed.stdout) == (0, "pushed 1, unchanged 0, refused 0\n")
    assert wiki_text(wiki_client, "Merge clean") == merged.rstrip()


def test_pull_marks_conflicts_and_push_refuses_them_until_resolved(as_bot, wiki_client, other_user, tmp_path):
    theirs = lambda t: t.replace("Hills and rivers.", "Plains.")  # noqa: E731
    ours = ARTICLE.replace("Hills and rivers.", "Mountains.")
    path = diverged(as_bot, wiki_client, other_user, tmp_path, "Merge conflict", theirs, ours)

    pulled = run("pull", "-d", tmp_path)
    assert pulled.exit_code == 1
    assert pulled.stdout == (
        "conflict: Merge_conflict.wiki (Merge conflict): 1 conflicting change(s) marked in the file; "
        "resolve them, then push\npulled 0, merged 0, unchanged 0, conflicts 1\n"
    )
    assert path.read_text("utf-8") == ARTICLE.replace(
        "Hills and rivers.\n", "<<<<<<< local\nMountains.\n=======\nPlains.\n>>>>>>> remote\n"
    )
    refused = run("push", path, "-m", "unresolved")
    assert refused.exit_code == 1
    assert refused.stdout.startswith("refused: Merge_conflict.wiki (Merge conflict): holds conflict markers")

    path.write_text(ARTICLE.replace("Hills and rivers.", "Mountains and plains."), "utf-8")
    pushed = run("push", path, "-m", "resolved")
    assert (pushed.exit_code, pushed.stdout) == (0, "pushed 1, unchanged 0, refused 0\n")
    assert "Mountains and plains." in wiki_text(wiki_client, "Merge conflict")


def test_a_new_file_creates_its_page_but_never_overwrites_an_existing_one(as_bot, wiki_client, tmp_path):
    (tmp_path / "Brand_new_page.wiki").write_text("Created from a file.\n", "utf-8")
    create(wiki_client, "Already there", "Someone else's page.")
    (tmp_path / "Already_there.wiki").write_text("My version.\n", "utf-8")

    result = run("push", tmp_path, "--wiki", as_bot.api_url, "-m", "create")
    assert result.exit_code == 1
    assert result.stdout == (
        "refused: Already_there.wiki (Already there): the page already exists on the wiki; pull it to "
        "merge it into this file, then push\npushed 1, unchanged 0, refused 1\n"
    )
    assert wiki_text(wiki_client, "Brand new page") == "Created from a file."
    assert wiki_text(wiki_client, "Already there") == "Someone else's page."
    assert list(State.load(tmp_path).entries) == ["Brand_new_page.wiki"]


def test_a_page_deleted_remotely_is_reported_and_not_recreated(as_bot, wiki_client, tmp_path, monkeypatch):
    create(wiki_client, "Doomed page", "Soon gone.")
    pull_into(tmp_path, as_bot, "Doomed page")
    wiki_client.delete("Doomed page", reason="test")
    monkeypatch.chdir(tmp_path)
    assert run("status").stdout == "deleted remotely:  Doomed_page.wiki\n"

    Path("Doomed_page.wiki").write_text("Edited after the deletion.\n", "utf-8")
    pushed = run("push", "-m", "revive?")
    assert pushed.exit_code == 1
    assert pushed.stdout.startswith("deleted remotely: Doomed_page.wiki (Doomed page): the page was deleted")
    assert wiki_text(wiki_client, "Doomed page") is None

    pulled = run("pull")
    assert pulled.exit_code == 1, (pulled.stderr, pulled.exception)
    assert pulled.stdout == (
        "deleted remotely: Doomed_page.wiki (Doomed page): the page was deleted on the wiki; the file is "
        "kept (delete it to stop tracking the page)\npulled 0, merged 0, unchanged 0, conflicts 0, deleted "
        "remotely 1\n"
    )
    assert Path("Doomed_page.wiki").read_text("utf-8") == "Edited after the deletion.\n"

    Path("Doomed_page.wiki").unlink()  # the user agrees: the page is gone
    settled = run("pull")
    assert settled.exit_code == 0
    assert settled.stdout == "pulled 0, merged 0, unchanged 0, conflicts 0, untracked 1\n"
    assert State.load(Path(".")).entries == {}


ODD_TITLES = ["Ünïcödé 東京 page", "Parent/Child page", "Colon: not a namespace", "Case Only", "Case only"]


def test_unicode_slash_colon_and_case_only_titles_round_trip(as_bot, wiki_client, tmp_path):
    for title in ODD_TITLES:
        create(wiki_client, title, f"Text of {title}.")
    pull_into(tmp_path, as_bot, *ODD_TITLES)
    names = sorted(p.name for p in tmp_path.glob("*.wiki"))
    assert names == sorted(
        ["Case_Only.wiki", "Case_only~2.wiki", "Colon%3A_not_a_namespace.wiki", "Parent%2FChild_page.wiki",
         "Ünïcödé_東京_page.wiki"]
    )  # fmt: skip
    assert len({n.casefold() for n in names}) == len(names)  # safe on case-insensitive file systems
    for path in tmp_path.glob("*.wiki"):
        path.write_text(path.read_text("utf-8") + "Edited.\n", "utf-8")
    pushed = run("push", tmp_path, "-m", "odd titles")
    assert (pushed.exit_code, pushed.stdout) == (0, "pushed 5, unchanged 0, refused 0\n")
    for title in ODD_TITLES:
        assert wiki_text(wiki_client, title) == f"Text of {title}.\nEdited."


def test_pull_by_prefix_and_category(as_bot, wiki_client, tmp_path):
    for n in range(3):
        create(wiki_client, f"Fruit {n}", f"Fruit number {n}. [[Category:Sync fruit]]")
    by_prefix = run("pull", "--prefix", "Fruit ", "--wiki", as_bot.url, "-d", tmp_path / "p")
    three = (0, "pulled 3, merged 0, unchanged 0, conflicts 0\n")
    assert (by_prefix.exit_code, by_prefix.stdout) == three
    by_category = run("pull", "--category", "Sync fruit", "--wiki", as_bot.url, "-d", tmp_path / "c")
    assert (by_category.exit_code, by_category.stdout) == three
    assert sorted(p.name for p in (tmp_path / "c").glob("*.wiki")) == ["Fruit_0.wiki", "Fruit_1.wiki",
                                                                        "Fruit_2.wiki"]  # fmt: skip


def test_a_second_push_on_the_same_directory_is_refused(as_bot, wiki_client, tmp_path):
    create(wiki_client, "Locked page", "Text.")
    pull_into(tmp_path, as_bot, "Locked page")
    (tmp_path / "Locked_page.wiki").write_text("Changed.\n", "utf-8")
    with State.load(tmp_path).lock():  # as if another wikitools process were running here
        result = run("push", tmp_path, "-m", "concurrent")
    assert result.exit_code == 2
    refusal = f"wikitools: {tmp_path.resolve()}: another wikitools pull or push is working in this directory"
    assert result.stderr.startswith(refusal)
    assert wiki_text(wiki_client, "Locked page") == "Text."


def test_a_directory_stays_bound_to_its_wiki(as_bot, wiki_client, tmp_path):
    create(wiki_client, "Bound page", "Text.")
    pull_into(tmp_path, as_bot, "Bound page")
    result = run("pull", "--wiki", "http://127.0.0.1:1/api.php", "-d", tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (
        f"wikitools: {tmp_path.resolve()}: this directory is synced with {as_bot.api_url}, not "
        "http://127.0.0.1:1/api.php (sync another wiki in another directory)\n"
    )


def test_dry_run_diff_and_lint_send_nothing_they_should_not(as_bot, wiki_client, tmp_path):
    create(wiki_client, "Checked page", ARTICLE)
    pull_into(tmp_path, as_bot, "Checked page")
    path = tmp_path / "Checked_page.wiki"
    path.write_text(ARTICLE.replace("Hills and rivers.", "Hills.\n=== Broken heading =="), "utf-8")

    dry = run("push", path, "-m", "try", "--dry-run", "--diff")
    assert dry.exit_code == 0
    assert dry.stdout.endswith(
        "-Hills and rivers.\n+Hills.\n+=== Broken heading ==\npushed 1, unchanged 0, refused 0 "
        "(dry run: nothing was changed)\n"
    )
    base = State.load(tmp_path).entries[path.name].revid
    assert dry.stdout.startswith(f"--- Checked_page.wiki (revision {base})\n+++ Checked_page.wiki (local)\n")

    linted = run("push", path, "-m", "try", "--lint")
    assert linted.exit_code == 1
    assert linted.stdout.startswith(
        "refused: Checked_page.wiki (Checked page): 1 lint error(s), first at line 8: H105 "
    )
    assert wiki_text(wiki_client, "Checked page") == ARTICLE.rstrip()
