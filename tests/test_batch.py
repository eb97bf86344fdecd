"""Converting many files and folders in one call (``wikitools.batch``): where outputs go, what they
hold, and what happens to inputs that fail and outputs that exist."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.strategies import articles
from wikitools.batch import Options, Outcome, convert_paths
from wikitools.convert import Conversion, convert_file
from wikitools.formats import plaintext
from wikitools.formats.xml_write import dump_pages
from wikitools.model import Page, Revision
from wikitools.titles import filename_to_title, normalize_title, title_of_file

FIXTURES = Path(__file__).parent.parent / "fixtures"
SEED = FIXTURES / "us_japan_security_treaty.txt"
TO_WIKI = Options(target_format="wikitext")


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    path.write_bytes(data)
    return path


def tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root``, by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def text_folder(root: Path) -> Path:
    """A folder of plain-text articles in nested folders, with files a walk must leave alone."""
    write(root / "seed.txt", SEED.read_bytes())
    write(root / "b" / "two.txt", "Second page\n\nIts text.\n\nA heading\n\nMore text.")
    write(root / "b" / "c" / "three.txt", "Third: a page\n\nText, and a list:\n\n  • one\n  • two")
    write(root / "b" / "notes.md", "# not an article")
    write(root / ".hidden" / "four.txt", "Hidden page\n\nText.")
    write(root / "b" / ".dotfile.txt", "Dot page\n\nText.")
    return root


def test_a_folder_becomes_a_mirrored_tree_named_by_page_titles(tmp_path):
    source = text_folder(tmp_path / "in")
    results = list(convert_paths([source], TO_WIKI, out_dir=tmp_path / "out"))
    assert [(r.source, r.outcome) for r in results] == [
        (source / "seed.txt", Outcome.CREATED),
        (source / "b" / "two.txt", Outcome.CREATED),
        (source / "b" / "c" / "three.txt", Outcome.CREATED),
    ]  # sorted like lint's walk: files of a folder, then its subfolders
    assert sorted(tree(tmp_path / "out")) == [
        "Us_Japan_Security_Treaty.wiki",
        "b/Second_page.wiki",
        "b/c/Third%3A_a_page.wiki",
    ]
    assert filename_to_title("Third%3A_a_page.wiki") == "Third: a page"
    assert [r.output for r in results] == [
        tmp_path / "out" / name
        for name in ("Us_Japan_Security_Treaty.wiki", "b/Second_page.wiki", "b/c/Third%3A_a_page.wiki")
    ]


def test_every_output_is_byte_for_byte_the_single_file_conversion(tmp_path):
    source = text_folder(tmp_path / "in")
    titles = ("Japan", "Okinawa", "Second page")
    options = Options(target_format="wikitext", known_titles=titles)
    for result in convert_paths([source], options, out_dir=tmp_path / "out"):
        alone = convert_file(result.source, Conversion("text", "wikitext", known_titles=titles))
        assert result.output is not None and result.output.read_bytes() == alone


def test_other_targets_keep_the_input_name_and_wikitext_titles_come_from_the_name(tmp_path):
    write(tmp_path / "in" / "AC%2FDC_live.wiki", "Some '''bold''' text.")
    write(tmp_path / "in" / "sub" / "Page.mediawiki", "== A ==\nText.")
    results = list(convert_paths([tmp_path / "in"], Options(target_format="text"), out_dir=tmp_path / "out"))
    assert [r.outcome for r in results] == [Outcome.CREATED, Outcome.CREATED]
    assert tree(tmp_path / "out") == {
        "AC%2FDC_live.txt": b"AC/DC live\n\nSome bold text.",
        "sub/Page.txt": b"Page\n\nA\n\nText.",
    }


def test_xml_and_json_inputs_are_named_by_their_page(tmp_path):
    page = Page("Help:Some page", 12, revisions=(Revision(text="== A ==\nText."),))
    write(tmp_path / "in" / "export.xml", dump_pages([page]))
    json_out = tmp_path / "in" / "seed.json"
    json_out.write_bytes(convert_file(SEED, Conversion("text", "json")))
    results = list(convert_paths([tmp_path / "in"], TO_WIKI, out_dir=tmp_path / "out"))
    assert [r.outcome for r in results] == [Outcome.CREATED, Outcome.CREATED]
    assert tree(tmp_path / "out")["Help/Some_page.wiki"] == b"== A ==\nText."
    assert "Us_Japan_Security_Treaty.wiki" in tree(tmp_path / "out")
    back = convert_file(tmp_path / "out" / "Help" / "Some_page.wiki", Conversion("wikitext", "json"))
    assert json.loads(back)["title"] == "Help:Some page"  # the folder names the namespace, as in pull


def test_a_file_in_a_namespace_folder_is_in_that_namespace():
    assert title_of_file("Help/Contents.wiki") == "Help:Contents"
    assert title_of_file("/x/User_talk/B%2Fc.wiki") == "User talk:B/c"
    assert title_of_file("notes/Contents.wiki") == "Contents"  # not a namespace's folder
    assert title_of_file("Help/Help%3AContents.wiki") == "Help:Contents"  # its own prefix is kept


def test_files_named_alone_and_without_out_dir_go_next_to_their_input(tmp_path):
    seed = write(tmp_path / "a" / "seed.txt", SEED.read_bytes())
    two = write(tmp_path / "b" / "two.txt", "Second page\n\nText.")
    results = list(convert_paths([seed, two], TO_WIKI))
    assert [r.output for r in results] == [
        tmp_path / "a" / "Us_Japan_Security_Treaty.wiki",
        tmp_path / "b" / "Second_page.wiki",
    ]
    assert all(r.output is not None and r.output.is_file() for r in results)


def test_failing_inputs_write_nothing_and_the_others_are_converted(tmp_path):
    source = tmp_path / "in"
    write(source / "a_good.txt", "Good page\n\nText.")
    write(source / "bad" / "empty.txt", "")
    write(source / "bad" / "latin1.txt", b"Caf\xe9\n\nText.")
    write(source / "z_good.txt", "Other page\n\nText.")
    results = list(convert_paths([source, tmp_path / "missing.txt"], TO_WIKI, out_dir=tmp_path / "out"))
    assert [(r.source.name, r.outcome) for r in results] == [
        ("a_good.txt", Outcome.CREATED),
        ("z_good.txt", Outcome.CREATED),
        ("empty.txt", Outcome.FAILED),
        ("latin1.txt", Outcome.FAILED),
        ("missing.txt", Outcome.FAILED),
    ]
    assert [str(r.error) for r in results if r.error] == [
        f"{source / 'bad' / 'empty.txt'}: the file is empty",
        f"{source / 'bad' / 'latin1.txt'}: not valid UTF-8 (byte 0xe9 at offset 3, line 1)",
        f"{tmp_path / 'missing.txt'}: no such file",
    ]
    assert sorted(tree(tmp_path / "out")) == ["Good_page.wiki", "Other_page.wiki"]  # no bad/ folder either


def test_an_output_that_would_change_is_refused_unless_overwriting(tmp_path):
    source = write(tmp_path / "in" / "page.txt", "A page\n\nNew text.")
    out = write(tmp_path / "out" / "A_page.wiki", "Edited by hand.")
    [refused] = convert_paths([source], TO_WIKI, out_dir=tmp_path / "out")
    assert (refused.outcome, refused.output) == (Outcome.REFUSED, out)
    assert out.read_text() == "Edited by hand."
    [updated] = convert_paths([source], TO_WIKI, out_dir=tmp_path / "out", overwrite=True)
    assert updated.outcome is Outcome.UPDATED
    assert out.read_bytes() == convert_file(source, Conversion("text", "wikitext"))


def test_an_output_already_in_step_is_not_rewritten(tmp_path):
    source = write(tmp_path / "in" / "page.txt", "A page\n\nText.")
    [first] = convert_paths([source], TO_WIKI, out_dir=tmp_path / "out")
    assert first.output is not None
    os.utime(first.output, (1_000_000, 1_000_000))
    [again] = convert_paths([source], TO_WIKI, out_dir=tmp_path / "out")
    assert again.outcome is Outcome.UNCHANGED
    assert first.output.stat().st_mtime == 1_000_000


def test_without_writing_the_results_say_what_writing_would_do(tmp_path):
    source = tmp_path / "in"
    write(source / "new.txt", "New page\n\nText.")
    write(source / "same.txt", "Same page\n\nText.")
    write(source / "stale.txt", "Stale page\n\nNew text.")
    out = tmp_path / "out"
    write(out / "Same_page.wiki", convert_file(source / "same.txt", Conversion("text", "wikitext")))
    write(out / "Stale_page.wiki", "Old text.")
    before = tree(out)
    results = list(convert_paths([source], TO_WIKI, out_dir=out, write=False))
    assert [(r.output.name if r.output else None, r.outcome) for r in results] == [
        ("New_page.wiki", Outcome.CREATED),
        ("Same_page.wiki", Outcome.UNCHANGED),
        ("Stale_page.wiki", Outcome.UPDATED),
    ]
    assert tree(out) == before


def test_two_pages_with_one_title_get_two_files_as_sync_names_them(tmp_path):
    write(tmp_path / "in" / "a.txt", "Same title\n\nFirst.")
    write(tmp_path / "in" / "b.txt", "same title\n\nSecond.")
    results = list(convert_paths([tmp_path / "in"], TO_WIKI, out_dir=tmp_path / "out"))
    assert [r.output.name for r in results if r.output] == ["Same_title.wiki", "Same_title~2.wiki"]
    assert filename_to_title("Same_title~2.wiki") == "Same title"


def test_outputs_that_collide_or_overwrite_an_input_fail_and_write_nothing(tmp_path):
    write(tmp_path / "in" / "Page.mediawiki", "First.")  # sorted first, so it claims Page.txt
    write(tmp_path / "in" / "Page.wiki", "Second.")
    results = list(convert_paths([tmp_path / "in"], Options(target_format="text"), out_dir=tmp_path / "out"))
    assert [r.outcome for r in results] == [Outcome.CREATED, Outcome.FAILED]
    assert str(results[1].error) == (
        f"{tmp_path / 'out' / 'Page.txt'}: is also the output of {tmp_path / 'in' / 'Page.mediawiki'} "
        "(convert them separately)"
    )
    assert tree(tmp_path / "out") == {"Page.txt": b"Page\n\nFirst."}

    mixed = tmp_path / "mixed"
    write(mixed / "Foo.txt", "Foo\n\nText.")
    write(mixed / "Foo.wiki", "Other text.")  # each one's default output is the other one
    before = tree(mixed)
    results = list(convert_paths([mixed]))
    assert [r.outcome for r in results] == [Outcome.FAILED, Outcome.FAILED]
    assert all("would overwrite an input of this run" in str(r.error) for r in results)
    assert tree(mixed) == before


def test_an_out_dir_inside_the_folder_is_not_converted_again(tmp_path):
    source = write(tmp_path / "in" / "page.txt", "A page\n\nText.").parent
    list(convert_paths([source], Options(target_format="json"), out_dir=source / "json"))
    again = list(convert_paths([source], Options(target_format="json"), out_dir=source / "json"))
    assert [(r.source.name, r.outcome) for r in again] == [("page.txt", Outcome.UNCHANGED)]


def test_an_output_path_that_is_a_folder_fails_cleanly(tmp_path):
    source = write(tmp_path / "in" / "page.txt", "A page\n\nText.")
    (tmp_path / "out" / "A_page.wiki").mkdir(parents=True)
    [result] = convert_paths([source], TO_WIKI, out_dir=tmp_path / "out")
    assert result.outcome is Outcome.FAILED
    assert str(result.error).endswith(
        "A_page.wiki: is a directory, not a file (choose another output folder)"
    )


def test_worker_processes_give_the_same_results_in_the_same_order(tmp_path):
    source = tmp_path / "in"
    for n in range(11):
        write(source / f"d{n % 3}" / f"p{n:02}.txt", f"Page {n}\n\nText {n}.\n\nHeading {n}\n\nMore.")
    write(source / "d1" / "p99.txt", "")  # one failure in the middle
    one = list(convert_paths([source], TO_WIKI, out_dir=tmp_path / "one"))
    two = list(convert_paths([source], TO_WIKI, out_dir=tmp_path / "two", processes=2))
    shown = [(r.source, r.outcome, r.output and r.output.name, str(r.error)) for r in one]
    assert [(r.source, r.outcome, r.output and r.output.name, str(r.error)) for r in two] == shown
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert len(tree(tmp_path / "one")) == 11


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(articles(), st.sampled_from(["", "x", "x/y"])), min_size=1, max_size=6))
def test_a_batch_equals_converting_each_file_alone(pages):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for n, (article, folder) in enumerate(pages):
            write(root / "in" / folder / f"{n}.txt", plaintext.write(article))
        results = list(convert_paths([root / "in"], TO_WIKI, out_dir=root / "out"))
        assert len(results) == len(pages)
        for result in results:
            assert result.outcome is Outcome.CREATED, result.error
            assert result.output is not None
            assert result.output.parent == root / "out" / result.source.parent.relative_to(root / "in")
            article = pages[int(result.source.stem)][0]
            assert title_of_file(result.output) == normalize_title(article.title or "")
            alone = convert_file(result.source, Conversion("text", "wikitext"))
            assert result.output.read_bytes() == alone
