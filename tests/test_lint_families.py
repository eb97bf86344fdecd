"""Each false-positive family judged on the corpus (tests/data/lint/families.toml) has a silent case
in its rule's fixture file, so the fix cannot silently regress."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from wikitools.lint import get_rule

from .test_lint_fixtures import CASES, FIXTURES

FAMILIES = tomllib.loads((FIXTURES.parent / "families.toml").read_text(encoding="utf-8"))["family"]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f"{f['rule']}: {f['what'][:40]}")
def test_family_has_a_silent_fixture_case(family: dict[str, str]) -> None:
    rule = get_rule(family["rule"])
    cases = [c for c in CASES if c.code == rule.code and family["case"] in c.text]
    assert cases, f"no case of {Path(FIXTURES, rule.code + '.wiki')} holds {family['case']!r}"
    assert any(not c.positions for c in cases), "the family's case must be a silent one"


def test_every_family_names_what_and_before() -> None:
    assert all(family["what"] and family["before"] for family in FAMILIES)
