"""Title rules and the reversible title <-> file name mapping."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wikitools.errors import TitleError
from wikitools.titles import check_title, filename_to_title, normalize_title, title_problem, title_to_filename


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Us Japan Security Treaty", "Us_Japan_Security_Treaty.wiki"),
        ("AC/DC", "AC%2FDC.wiki"),
        ("Talk:Foo bar", "Talk%3AFoo_bar.wiki"),
        ("100% true?", "100%25_true%3F.wiki"),
        (".hidden", "%2Ehidden.wiki"),
        ("Ελλάδα", "Ελλάδα.wiki"),
    ],
)
def test_file_names_are_readable_and_reversible(title, name):
    assert title_to_filename(title) == name
    assert filename_to_title(name) == title


def test_case_only_differences_get_distinct_names_that_map_back():
    first = title_to_filename("Foo")
    second = title_to_filename("FOO", taken=[first])
    third = title_to_filename("FoO", taken=[first, second])
    assert (first, second, third) == ("Foo.wiki", "FOO~2.wiki", "FoO~3.wiki")
    assert [filename_to_title(n) for n in (first, second, third)] == ["Foo", "FOO", "FoO"]


@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))
def test_any_legal_title_round_trips_through_its_file_name(title):
    if title_problem(title):
        return
    title = normalize_title(title)
    if not title:
        return
    name = title_to_filename(title)
    assert "/" not in name and "\\" not in name and ":" not in name
    assert filename_to_title(name) == title


def test_normalize_title():
    assert normalize_title("  foo__bar  baz ") == "Foo bar baz"


_SPACE_RUNS = re.compile(r"[ _\u00a0\u2000-\u200a\u3000]+")


def _normalize_reference(title: str) -> str:
    """normalize_title without its fast path: the substitution and strip on every title."""
    title = _SPACE_RUNS.sub(" ", title).strip()
    if title.startswith(":"):
        title = title[1:].lstrip()
    return title[:1].upper() + title[1:]


#: What the substitution replaces, other whitespace, and letters with and without an upper case.
_TITLE_CHARACTERS = "ab :_\t\n\xa0\u2000\u2005\u200a\u200b\u3000\u2028\x1c\u00e9\u01c6"


@given(st.text(st.sampled_from(_TITLE_CHARACTERS), max_size=12))
def test_normalize_title_fast_path_agrees_with_the_full_substitution(title):
    assert normalize_title(title) == _normalize_reference(title)


@pytest.mark.parametrize(
    ("title", "problem"),
    [
        ("", "the title is empty"),
        ("A [b]", "the title contains characters MediaWiki forbids: [ ]"),
        ("A%20B", "the title contains a URL-encoded character"),
        ("x" * 256, "the title is longer than 255 bytes"),
    ],
)
def test_illegal_titles(title, problem):
    assert title_problem(title) == problem
    with pytest.raises(TitleError):
        check_title(title)


def test_a_file_name_whose_escapes_are_not_utf8_is_a_title_error():
    with pytest.raises(TitleError, match="not UTF-8"):
        filename_to_title("%FF.wiki")


@pytest.mark.parametrize("title", ["Foo~2", "~0", "A~B", "Tilde ~ 3"])
def test_a_tilde_in_a_title_is_escaped_so_it_never_reads_as_a_collision_suffix(title):
    name = title_to_filename(title)
    assert "~" not in name
    assert filename_to_title(name) == title
    assert filename_to_title(title_to_filename(title, taken=[name])) == title  # with a real suffix
