"""The sync state file: round trip, discovery by walking up, naming, crash-safe writes and the lock."""

from __future__ import annotations

import json
import multiprocessing
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wikitools.errors import FormatError, InputError, LockedError
from wikitools.model import Page, Revision
from wikitools.savedtext import file_text, text_sha1, wiki_text
from wikitools.sync.state import BackgroundSaver, Entry, State, iter_wiki_files
from wikitools.titles import filename_to_title, normalize_title, title_problem


def page(title: str, revid: int = 7, text: str = "Hello") -> tuple[Page, Revision]:
    revision = Revision(id=revid, text=text, timestamp="2026-01-02T03:04:05Z")
    return Page(title, id=42, revisions=(revision,)), revision


def test_record_save_load_round_trip(tmp_path):
    state = State.load(tmp_path)
    state.api_url = "http://127.0.0.1:8080/api.php"
    state.record("Café_au_lait.wiki", *page("Café au lait", text="Käse\n\n"))
    state.save()
    loaded = State.load(tmp_path)
    assert loaded.api_url == "http://127.0.0.1:8080/api.php"
    assert loaded.entries == {
        "Café_au_lait.wiki": Entry("Café au lait", 42, 7, "2026-01-02T03:04:05Z", text_sha1("Käse"))
    }
    data = json.loads((tmp_path / ".wikitools" / "state.json").read_text("utf-8"))
    assert data["format"] == 2 and "Café_au_lait.wiki" in data["files"]


def test_sha1_matches_what_the_wiki_stores():
    # The API's rvprop=sha1 is the hex sha1 of the stored text, which has no trailing whitespace.
    assert text_sha1("abc\r\n\n") == "a9993e364706816aba3e25717850c26c9cd0d89d"
    assert wiki_text("e\u0301 x \r\n") == "\u00e9 x"
    assert file_text("a\n\n\n") == "a\n" and file_text("  \n") == ""


def test_find_walks_up_from_a_nested_path(tmp_path):
    State(tmp_path, "http://w/api.php").save()
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    found = State.find(nested / "Foo.wiki")
    assert found is not None and found.root == tmp_path.resolve() and found.api_url == "http://w/api.php"
    assert State.find(tmp_path.parent) is None
    assert State.find_or_create(nested).root == tmp_path.resolve()


def test_filename_for_reuses_tracked_names_and_avoids_case_collisions(tmp_path):
    state = State.load(tmp_path)
    state.record("Apple.wiki", *page("Apple"))
    assert state.filename_for("Apple") == "Apple.wiki"
    assert state.filename_for("APPLE") == "APPLE~2.wiki"
    (tmp_path / "APPLE~2.wiki").write_text("x")
    assert state.filename_for("APple") == "APple~3.wiki"
    assert state.filename_for("A/B: c") == "A%2FB%3A_c.wiki"


def test_name_of_refuses_paths_outside_the_root(tmp_path):
    state = State.load(tmp_path / "root")
    (tmp_path / "root" / "sub").mkdir(parents=True)
    assert state.name_of(tmp_path / "root" / "sub" / "X.wiki") == "sub/X.wiki"
    with pytest.raises(InputError, match="outside the synced directory"):
        state.name_of(tmp_path / "Y.wiki")


def test_a_corrupt_state_file_is_a_clear_error(tmp_path):
    (tmp_path / ".wikitools").mkdir()
    (tmp_path / ".wikitools" / "state.json").write_text('{"files": {"a.wiki": {"title": 1}}}')
    with pytest.raises(FormatError, match="sync state cannot be read"):
        State.load(tmp_path)


def test_save_leaves_no_temporary_files(tmp_path):
    state = State.load(tmp_path)
    for n in range(3):
        state.record(f"P{n}.wiki", *page(f"P{n}", revid=n + 1))
        state.save()
    assert sorted(os.listdir(tmp_path / ".wikitools")) == [".gitignore", "base", "state.json"]


def _hold_lock(root, ready, release):
    with State.load(root).lock():
        ready.set()
        release.wait(10)


def test_a_second_process_is_refused_while_the_lock_is_held(tmp_path):
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(tmp_path, ready, release))
    holder.start()
    try:
        assert ready.wait(10)
        refused = rf"another wikitools pull or push .* \(pid {holder.pid}\)"
        with pytest.raises(LockedError, match=refused), State.load(tmp_path).lock():
            pass
    finally:
        release.set()
        holder.join(10)
    with State.load(tmp_path).lock():  # released when the holder finished
        pass


def test_the_lock_is_released_when_its_holder_is_killed(tmp_path):
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(tmp_path, ready, release))
    holder.start()
    assert ready.wait(10)
    holder.kill()
    holder.join(10)
    with State.load(tmp_path).lock():
        pass


titles = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<>[]|{}#"),
    min_size=1,
    max_size=20,
).filter(lambda t: title_problem(t) is None)


@settings(deadline=None, max_examples=200)
@given(st.lists(titles, max_size=12))
def test_names_handed_out_are_distinct_ignoring_case_and_reversible(tmp_path_factory, many):
    state = State.load(tmp_path_factory.mktemp("naming"))
    wanted = list(dict.fromkeys(normalize_title(t) for t in many))
    names = [state.filename_for(title) for title in wanted]
    assert len({name.casefold() for name in names}) == len(names)
    assert [filename_to_title(name) for name in names] == wanted
    for title, name in zip(wanted, names, strict=True):
        state.record(name, *page(title))
    state.save()
    assert [State.load(state.root).filename_for(title) for title in wanted] == names


def test_a_state_from_a_newer_wikitools_is_refused(tmp_path):
    (tmp_path / ".wikitools").mkdir()
    (tmp_path / ".wikitools" / "state.json").write_text('{"format": 3, "files": {}}')
    with pytest.raises(FormatError, match="format 3, newer than this wikitools knows"):
        State.load(tmp_path)


def test_background_saves_land_in_order_and_close_waits_for_the_last(tmp_path):
    state = State.load(tmp_path)
    saver = BackgroundSaver(state)
    for n in range(20):
        state.record(f"P{n}.wiki", *page(f"P{n}", revid=n + 1))
        saver.save()
    saver.close()
    assert State.load(tmp_path).entries == state.entries and len(state.entries) == 20


def test_an_untracked_file_named_for_the_title_is_the_one_used(tmp_path):
    (tmp_path / "Japan.wiki").write_text("local draft\n")
    (tmp_path / "Korea.wiki").write_text("tracked\n")
    state = State.load(tmp_path)
    state.record("Korea.wiki", *page("KOREA"))  # a file tracked under another title keeps its page
    assert state.filename_for("Japan") == "Japan.wiki"
    assert state.filename_for("Korea") == "Korea~2.wiki"


def test_hidden_folders_hold_no_pages(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.wiki").write_text("not a page\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "B.wiki").write_text("b\n")
    (tmp_path / "A.wiki").write_text("a\n")
    assert [p.relative_to(tmp_path).as_posix() for p in iter_wiki_files([tmp_path])] == [
        "A.wiki",
        "sub/B.wiki",
    ]
