"""Every rule family's fixture files: each rule fires exactly where its fixture says, and nowhere else.

A fixture is ``tests/data/lint/rules/<CODE>.wiki`` (ruff's ``resources/test/fixtures`` are the model): a
series of cases, each linted as its own page with only that rule selected. Lines starting with ``##`` are
markers, removed before linting:

- ``##= text`` starts a case (the text says what it shows);
- ``##title Name`` and ``##ns N`` set the case's page title (default ``Fixture page``) and namespace (0);
- ``##^ CODE [CODE ...]`` below a line: the rule reports that line, once per code listed;
- ``##> text`` lines give the whole page after ``--fix`` (``##>`` alone is an empty line).

A case without ``##^`` is a silent case. Every fixture needs at least two firing and two silent cases, and
every fix it shows must be idempotent and leave no finding of its rule behind.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace
from pathlib import Path

import pytest

from wikitools.lint import LintOptions, PageInput, Selection, all_rules, lint_page
from wikitools.lint.fixes import fix_text

FIXTURES = Path(__file__).parent / "data" / "lint" / "rules"


@dataclass
class Case:
    name: str
    title: str = "Fixture page"
    namespace: int = 0
    lines: list[str] = field(default_factory=list)
    expected: Counter[tuple[int, str]] = field(default_factory=Counter)
    fixed: list[str] | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def parse_fixture(path: Path) -> list[Case]:
    cases: list[Case] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if raw.startswith("##="):
            cases.append(Case(raw[3:].strip()))
            continue
        if not cases:
            if raw.strip():
                raise ValueError(f"{path.name}:{number}: text before the first '##=' case")
            continue
        case = cases[-1]
        if raw.startswith("##title "):
            case.title = raw[len("##title ") :].strip()
        elif raw.startswith("##ns "):
            case.namespace = int(raw[len("##ns ") :])
        elif raw.startswith("##^"):
            if not case.lines:
                raise ValueError(f"{path.name}:{number}: '##^' before any line of the case")
            for code in raw[3:].split():
                case.expected[(len(case.lines), code)] += 1
        elif raw.startswith("##>"):
            case.fixed = (case.fixed or []) + [raw[4:] if raw.startswith("##> ") else raw[3:]]
        elif raw.startswith("##"):
            raise ValueError(f"{path.name}:{number}: unknown marker {raw.split()[0]!r}")
        else:
            case.lines.append(raw)
    for case in cases:  # the file's final newline is not a line of the last case
        while case.lines and case.lines[-1] == "":
            case.lines.pop()
    return cases


def lint_case(case: Case, code: str, text: str | None = None) -> list:
    options = LintOptions(selection=Selection(select=(code,)))
    page = PageInput(
        "fixture.wiki",
        case.text if text is None else text,
        case.title,
        case.namespace,
        fix_path="fixture.wiki",
    )
    return lint_page(page, options).findings


FIXTURE_FILES = sorted(FIXTURES.glob("*.wiki"))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=[p.stem for p in FIXTURE_FILES])
def test_rule_fixture(path: Path) -> None:
    code = path.stem
    cases = parse_fixture(path)
    firing = [case for case in cases if case.expected]
    assert len(firing) >= 2 and len(cases) - len(firing) >= 2, f"{code}: needs 2 firing and 2 silent cases"
    for case in cases:
        findings = lint_case(case, code)
        found = Counter((finding.line, finding.code) for finding in findings)
        assert found == case.expected, f"{code} case '{case.name}': {[(f.line, f.message) for f in findings]}"
        if case.fixed is None:
            continue

        def lint(version: str, case: Case = case) -> list:
            return lint_case(case, code, version)

        once, applied = fix_text(case.text, lint)
        assert applied and once == "\n".join(case.fixed) + "\n", (
            f"{code} case '{case.name}' fixed to {once!r}"
        )
        assert fix_text(once, lint) == (once, 0)
        assert lint(once) == [], f"{code} case '{case.name}': findings left after the fix"


def test_every_rule_without_an_older_case_has_a_fixture() -> None:
    from tests.test_lint_rules import CASES

    with_fixture = {path.stem for path in FIXTURE_FILES}
    page_rules = {rule.code for rule in all_rules() if not rule.needs_targets}
    assert page_rules - set(CASES) - with_fixture == set()
    assert with_fixture <= page_rules


def test_markers_are_read_as_documented(tmp_path: Path) -> None:
    text = "##= one\n##title Tokyo\n##ns 4\nfirst\nsecond\n##^ X1 X1\n##> fixed\n##>\n##= two\nplain\n"
    path = tmp_path / "X1.wiki"
    path.write_text(text, encoding="utf-8")
    one, two = parse_fixture(path)
    assert (one.title, one.namespace, one.lines, one.expected, one.fixed) == (
        "Tokyo",
        4,
        ["first", "second"],
        Counter({(2, "X1"): 2}),
        ["fixed", ""],
    )
    assert dataclass_replace(two, name="") == Case("", lines=["plain"])
