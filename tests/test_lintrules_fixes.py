"""Safe fixes against snapshots: ``tests/data/lint/fixes/<CODE>.wiki`` holds, for firing cases of the rule's
fixture file (``tests/data/lint/rules/<CODE>.wiki``), the whole page after ``--fix``.

A snapshot file is a series of ``%% case N`` markers (N counts the fixture's cases from 1), each followed
by the fixed page. Every fix must be idempotent (a second pass changes nothing), must leave no finding of
its rule, and must not add findings of any other rule. ``WIKITOOLS_UPDATE_SNAPSHOTS=1`` rewrites the
snapshot files from what the fixes produce, for review in the diff (ruff's ``insta`` snapshots are the
model).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest

from wikitools.lint import LintOptions, Selection, all_rules, lint_page
from wikitools.lint.fixes import fix_text

from .test_lint_fixtures import FIXTURES, Case, read_cases

SNAPSHOTS = Path(__file__).parent / "data" / "lint" / "fixes"
_CASE = re.compile(r"^%% case (\d+)$")
#: The rule families of the coverage work, whose fixes are snapshotted here.
COVERED = re.compile(r"[BCEFMNRTU]\d{3}|[HL]2\d\d")


def read_snapshots(path: Path) -> dict[int, str]:
    found: dict[int, list[str]] = {}
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        marker = _CASE.match(line.rstrip("\n"))
        if marker:
            current = found.setdefault(int(marker.group(1)), [])
        elif current is not None:
            current.append(line)
    return {number: "".join(lines) for number, lines in found.items()}


def lint_codes(case: Case, text: str, select: tuple[str, ...]) -> list:
    title = case.options.get("title", "Test page").replace("_", " ")
    namespace = int(case.options["namespace"]) if "namespace" in case.options else None
    options = LintOptions(selection=Selection(select=select))
    return lint_page(text, title, options, namespace=namespace).findings


FIXABLE = sorted(rule.code for rule in all_rules() if rule.fixable and COVERED.fullmatch(rule.code))


def test_every_covered_fixable_rule_has_a_snapshot() -> None:
    assert {path.stem for path in SNAPSHOTS.glob("*.wiki")} == set(FIXABLE)


@pytest.mark.parametrize("code", FIXABLE)
def test_fix_matches_snapshot(code: str) -> None:
    cases = read_cases(FIXTURES / f"{code}.wiki")
    path = SNAPSHOTS / f"{code}.wiki"
    expected = read_snapshots(path) if path.exists() else {}
    produced: dict[int, str] = {}
    for number, case in enumerate(cases, 1):
        if not case.positions:
            continue

        def lint(version: str, case: Case = case) -> list:
            return lint_codes(case, version, (code,))

        once, applied = fix_text(case.text, lint)
        if not applied:
            continue
        produced[number] = once
        assert fix_text(once, lint) == (once, 0), f"{code} case {number}: a second --fix changes it again"
        assert lint(once) == [], f"{code} case {number}: findings left after the fix"
        before = Counter(f.code for f in lint_codes(case, case.text, ("ALL",)))
        after = Counter(f.code for f in lint_codes(case, once, ("ALL",)))
        assert after - before == Counter(), f"{code} case {number}: the fix adds {after - before}"
    if os.environ.get("WIKITOOLS_UPDATE_SNAPSHOTS"):
        path.write_text(
            "".join(f"%% case {n}\n{text}" for n, text in sorted(produced.items())), encoding="utf-8"
        )
        return
    assert produced == expected
    assert len(produced) >= 2, f"{code}: show the fix on at least two cases"
