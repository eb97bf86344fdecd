"""Every page rule against its fixture file ``tests/data/lint/rules/<CODE>.wiki``.

A fixture file holds several cases, each a whole page, each opened by a marker line:

- ``%% fires LINE:COL [LINE:COL ...]``: the rule reports exactly these positions (1-based, counted
  from the case's first line) and nothing else;
- ``%% silent``: the rule reports nothing.

A marker may end with page options: ``title=Some_title`` (underscores for spaces), ``namespace=10``,
``language=el``. Lines before the first marker describe the file and are not linted. ruff's
``resources/test/fixtures`` are the model: the firing and the silent cases of one rule side by side.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from wikitools.lint import LintOptions, Selection, all_rules, lint_page

FIXTURES = Path(__file__).parent / "data" / "lint" / "rules"
_MARKER = re.compile(r"^%% (fires|silent)\b(.*)$")
_POSITION = re.compile(r"(\d+):(\d+)")


@dataclass
class Case:
    code: str
    number: int
    line: int  # of the marker in the fixture file
    positions: list[tuple[int, int]]
    options: dict[str, str]
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def __str__(self) -> str:
        return f"{self.code}.wiki:{self.line}"


def read_cases(path: Path) -> list[Case]:
    cases: list[Case] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(keepends=True), 1):
        marker = _MARKER.match(line.rstrip("\n"))
        if marker is None:
            if cases:
                cases[-1].lines.append(line)
            continue
        words = marker.group(2).split()
        positions = [(int(m[1]), int(m[2])) for w in words if (m := _POSITION.fullmatch(w))]
        options = dict(w.split("=", 1) for w in words if "=" in w)
        assert (marker.group(1) == "fires") == bool(positions), f"{path.name}:{number}: fires needs positions"
        cases.append(Case(path.stem, len(cases) + 1, number, positions, options))
    return cases


CASES = [case for path in sorted(FIXTURES.glob("*.wiki")) for case in read_cases(path)]
PAGE_RULES = {rule.code for rule in all_rules() if not rule.needs_targets}


def test_every_page_rule_has_several_firing_and_silent_fixtures() -> None:
    fires = Counter(case.code for case in CASES if case.positions)
    silent = Counter(case.code for case in CASES if not case.positions)
    few = sorted(code for code in PAGE_RULES if fires[code] < 2 or silent[code] < 2)
    assert not few, f"fewer than two firing and two silent cases: {few}"
    assert {case.code for case in CASES} <= PAGE_RULES, "a fixture file names no page rule"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_fixture_case(case: Case) -> None:
    options = LintOptions(selection=Selection(select=(case.code,)))
    title = case.options.get("title", "Test page").replace("_", " ")
    namespace = int(case.options["namespace"]) if "namespace" in case.options else None
    result = lint_page(case.text, title, options, namespace=namespace, language=case.options.get("language"))
    found = [(f.line, f.column) for f in result.findings]
    assert found == case.positions, [f"{f.line}:{f.column} {f.message}" for f in result.findings]
