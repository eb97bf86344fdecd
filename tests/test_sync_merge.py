"""Three-way merge: one-sided changes win, disjoint changes combine, overlapping changes conflict."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wikitools.sync.merge import has_conflict_markers, merge3

BASE = "= Title =\nalpha\nbeta\ngamma\ndelta\nepsilon"

lines = st.lists(st.sampled_from(["a", "b", "c", "d", "", "== H =="]), max_size=12).map("\n".join)


def test_disjoint_edits_merge_cleanly():
    local = BASE.replace("beta", "BETA local")
    remote = BASE.replace("delta", "DELTA remote") + "\nzeta"
    result = merge3(BASE, local, remote)
    assert result.clean
    assert result.text == "= Title =\nalpha\nBETA local\ngamma\nDELTA remote\nepsilon\nzeta"


def test_insertions_at_both_ends_merge_cleanly():
    result = merge3(BASE, "intro\n" + BASE, BASE + "\noutro")
    assert result.clean and result.text == "intro\n" + BASE + "\noutro"


def test_overlapping_edits_conflict_with_markers():
    local = BASE.replace("gamma", "gamma (mine)")
    remote = BASE.replace("gamma", "gamma (theirs)").replace("alpha", "ALPHA")
    result = merge3(BASE, local, remote)
    assert result.conflicts == 1
    assert result.text == (
        "= Title =\nALPHA\nbeta\n<<<<<<< local\ngamma (mine)\n=======\ngamma (theirs)\n>>>>>>> remote\n"
        "delta\nepsilon"
    )
    assert has_conflict_markers(result.text)


def test_delete_against_edit_conflicts():
    local = BASE.replace("beta\n", "")
    remote = BASE.replace("beta", "beta!")
    result = merge3(BASE, local, remote)
    assert result.conflicts == 1 and "<<<<<<< local\n=======\nbeta!\n>>>>>>> remote" in result.text


def test_two_conflicts_are_counted():
    local = BASE.replace("alpha", "a1").replace("epsilon", "e1")
    remote = BASE.replace("alpha", "a2").replace("epsilon", "e2")
    assert merge3(BASE, local, remote).conflicts == 2


def test_identical_changes_are_taken_once():
    changed = BASE.replace("beta", "new beta")
    assert merge3(BASE, changed, changed).text == changed


def test_markers_are_recognised_only_as_whole_lines():
    assert not has_conflict_markers("text <<<<<<< local and >>>>>>> remote inline")


@given(lines, lines)
def test_a_side_that_did_not_change_yields_the_other(base, other):
    assert merge3(base, base, other).text == other
    assert merge3(base, other, base).text == other
    assert merge3(base, other, other).text == other


@given(lines, lines, lines)
def test_a_clean_merge_keeps_every_line_each_side_added(base, local, remote):
    result = merge3(base, local, remote)
    if result.clean:
        merged = result.text.split("\n")
        for side in (local, remote):
            added = set(side.split("\n")) - set(base.split("\n"))
            assert added <= set(merged)
