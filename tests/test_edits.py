from __future__ import annotations

import pytest

from wikitools.edits import Edit, apply_edits


def test_edits_apply_in_order_and_keep_everything_else():
    assert apply_edits("abcdef", [Edit(4, 5, "E"), Edit(0, 1, "[A]"), Edit(3, 3, "+")]) == "[A]bc+dEf"


def test_overlapping_edit_is_skipped():
    assert apply_edits("abcdef", [Edit(0, 3, "X"), Edit(2, 4, "Y")]) == "Xdef"


def test_bad_spans_are_refused():
    with pytest.raises(ValueError):
        Edit(3, 2, "")
    with pytest.raises(ValueError):
        apply_edits("abc", [Edit(2, 9, "")])
