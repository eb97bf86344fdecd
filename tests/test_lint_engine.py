"""The engine around the rules: selection, directives, fixes, parallel runs, inputs and link targets."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from wikitools.edits import Edit
from wikitools.errors import ConfigError
from wikitools.lint import LintConfig, LintOptions, Selection, Severity, lint_paths, lint_text
from wikitools.lint.config import find_config, load_config
from wikitools.lint.engine import (
    KnownTarget,
    PageInput,
    check_targets,
    known_titles_resolver,
    lint_input,
)
from wikitools.lint.finding import Finding
from wikitools.lint.fixes import compatible_fixes, fix_text
from wikitools.lint.inputs import FileJob, XmlFile, page_from_file
from wikitools.lint.jobs import run
from wikitools.lint.reporters import make_reporter

ALL_PROBLEMS = "= One =\n== Two: ==\n[[Two]] [[Two]] [[a%20b]] [[|x]]\n== See also ==\n"


def test_selection_longest_prefix_wins_and_ignore_wins_ties() -> None:
    selection = Selection(select=("H",), ignore=("H1",), per_path_ignores=(("drafts/*", ("L",)),))
    assert not selection.enabled("H101") and not selection.enabled("L101")
    assert Selection(select=("ALL", "H101"), ignore=("H1",)).enabled("H101")
    assert not Selection(select=("H101",), ignore=("H101",)).enabled("H101")
    assert Selection(ignore=("H",)).enabled("L101")
    per_path = Selection(per_path_ignores=(("drafts/*", ("L1",)),))
    assert not per_path.enabled("L101", "drafts/x.wiki") and per_path.enabled("L101", "final/x.wiki")


def test_severity_override_and_inline_directives() -> None:
    text = (
        "== A ==\n[[|x]] <!-- wikitools: disable=L102 -->\n[[|y]]\n"
        "<!-- wikitools: disable-next-line=L1 -->\n[[|z]]\n"
    )
    config = LintConfig(select=("L102",), severity={"L102": Severity.INFO})
    findings = lint_text(text, "T", config=config)
    assert [(f.line, f.severity) for f in findings] == [(3, Severity.INFO)]
    assert lint_text("<!-- wikitools: disable-file=ALL -->\n= A =\n", "T") == []


def test_redirect_pages_are_not_linted() -> None:
    assert lint_text("#REDIRECT [[Japan]]\n= x =\n", "T") == []


def test_fixes_never_apply_half_of_a_fix_and_converge() -> None:
    a = Finding("p", 1, 1, "X", Severity.ERROR, "a", (Edit(0, 1, "A"), Edit(5, 6, "F")))
    b = Finding("p", 1, 1, "Y", Severity.ERROR, "b", (Edit(5, 6, "Z"),))
    c = Finding("p", 1, 1, "Z", Severity.ERROR, "c", (Edit(2, 3, "C"),))
    assert compatible_fixes([a, b, c]) == [a.fix, c.fix]

    def lint(text: str) -> list[Finding]:
        return lint_text(text, "T")

    once, count = fix_text(ALL_PROBLEMS, lint)
    again, second = fix_text(once, lint)
    assert count > 0 and second == 0 and again == once
    assert once == "= One =\n== Two ==\n[[Two]] [[Two]] [[a b]] [[|x]]\n== See also ==\n"


def test_parallel_run_gives_the_same_results_in_the_same_order(tmp_path: Path) -> None:
    jobs = []
    for i in range(40):
        path = tmp_path / f"Page_{i}.wiki"
        path.write_text(ALL_PROBLEMS * (i % 3 + 1), encoding="utf-8")
        jobs.append(FileJob(str(path)))
    jobs.append(PageInput("x.xml", "= In a dump =\n", "Dump page", in_archive=True))
    options = LintOptions()
    one = [(r.path, r.findings) for r in run(jobs, options, 1)]
    two = [(r.path, r.findings) for r in run(jobs, options, 2)]
    assert one == two and len(one) == 41


def test_txt_findings_point_at_txt_lines(tmp_path: Path) -> None:
    path = tmp_path / "Title.txt"
    path.write_text("Title\n\nLead text.\n\nFirst\n\nBody.\n\nSee also", encoding="utf-8")
    page = page_from_file(str(path))
    assert page.title == "Title"
    codes = {(f.code, f.line) for f in lint_input(page, LintOptions()).findings}
    assert ("S101", 9) in codes and ("L111", 3) in codes
    assert all(not f.fixable for f in lint_input(page, LintOptions()).findings)


def test_targets_offline_and_see_also_split() -> None:
    text = "[[Exists]] [[Missing]] [[Old name]]\n== See also ==\n* [[Gone]]\n* [[Dab]]\n"
    page = lint_input(PageInput("p.wiki", text, "P"), LintOptions(collect_links=True))
    resolve = known_titles_resolver(["Exists", "Dab"], {"Old name": "Exists"})
    targets = {**resolve(["Exists", "Missing", "Old name", "Gone"]), "Dab": KnownTarget(True, None, True)}
    [result] = check_targets([page], lambda titles: targets, LintOptions())
    found = [(f.code, f.line, f.message) for f in result.findings if f.code[0] in "WS" and f.code >= "S108"]
    assert found == [
        ("W101", 1, "'Missing' does not exist (red link)"),
        ("W102", 1, "'Old name' redirects to 'Exists'"),
        ("S108", 3, "See also entry 'Gone' does not exist (red link)"),
        ("S109", 4, "See also entry 'Dab' is a disambiguation page"),
    ]


def test_disambiguation_in_body_is_w103() -> None:
    page = lint_input(PageInput("p.wiki", "[[Mercury]]\n", "P"), LintOptions(collect_links=True))
    [result] = check_targets([page], lambda titles: {"Mercury": KnownTarget(True, None, True)}, LintOptions())
    assert [f.code for f in result.findings] == ["W103"]


def test_targets_are_resolved_once_for_all_pages(tmp_path: Path) -> None:
    for name in ("A", "B"):
        (tmp_path / f"{name}.wiki").write_text("[[A]] [[B]] [[C]]\n", encoding="utf-8")
    asked: list[list[str]] = []

    def resolve(titles):
        asked.append(list(titles))
        return {t: KnownTarget(t != "C") for t in titles}

    out = io.StringIO()
    results = list(lint_paths([str(tmp_path)], LintConfig(select=("W",)), resolver=resolve))
    make_reporter("text", out).report(results)
    assert asked == [["A", "B", "C"]]
    assert sum(len(r.findings) for r in results) == 2 and out.getvalue().count("W101 'C' does not exist") == 2


def test_config_files(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.wikitools.lint]\nselect = ['H', 'L1']\nignore = ['H112']\nfail-on = 'error'\n"
        "severity = { H103 = 'error' }\nper-path-ignores = { 'drafts/*' = ['L'] }\n",
        encoding="utf-8",
    )
    sub = tmp_path / "articles"
    sub.mkdir()
    found = find_config(sub)
    assert found == tmp_path / "pyproject.toml"
    config = load_config(found)
    assert config.select == ("H", "L1") and config.ignore == ("H112",) and config.fail_on is Severity.ERROR
    assert config.severity == {"H103": Severity.ERROR} and config.per_path_ignores == (("drafts/*", ("L",)),)
    (sub / "wikitools.toml").write_text("[lint]\nignore = ['S']\n", encoding="utf-8")
    assert load_config(find_config(sub)).ignore == ("S",)


@pytest.mark.parametrize(
    "body",
    [
        "select = ['Q9']",
        "colour = 'red'",
        "select = 'H'",
        "severity = { H101 = 'loud' }",
        "select = [",
        "fail-on = 3",
    ],
)
def test_bad_config_is_a_config_error(tmp_path: Path, body: str) -> None:
    path = tmp_path / "wikitools.toml"
    path.write_text(f"[lint]\n{body}\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(path)


def test_parallel_run_over_whole_xml_files_keeps_the_order(tmp_path: Path) -> None:
    data = (Path(__file__).parent / "data" / "lint" / "two_pages.xml").read_bytes()
    sources = []
    for name in ("a.xml", "b.xml", "c.xml"):
        (tmp_path / name).write_bytes(data)
        sources.append(XmlFile(str(tmp_path / name)))
    sources.insert(1, FileJob(str(tmp_path / "Page.wiki")))
    (tmp_path / "Page.wiki").write_text("= Top =\n", encoding="utf-8")
    one = [(r.path, r.title, r.findings) for r in run(sources, LintOptions(), 1)]
    two = [(r.path, r.title, r.findings) for r in run(sources, LintOptions(), 2)]
    assert one == two
    assert [(Path(path).name, title) for path, title, _ in one] == [
        ("a.xml", "First page"),
        ("a.xml", "A redirect"),
        ("a.xml", "Second page"),
        ("Page.wiki", "Page"),
        *[
            (name, title)
            for name in ("b.xml", "c.xml")
            for title in ("First page", "A redirect", "Second page")
        ],
    ]


@pytest.mark.parametrize("diff", [False, True])
def test_fixing_lints_each_distinct_text_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, diff: bool
) -> None:
    import wikitools.lint.jobs as jobs

    source = "Text [[A]].\n== History: ==\nBody [[B]].\n"
    path = tmp_path / "P.wiki"
    path.write_text(source, encoding="utf-8")
    texts: list[str] = []
    real = jobs.lint_input
    monkeypatch.setattr(
        jobs, "lint_input", lambda page, options: texts.append(page.text) or real(page, options)
    )
    (result,) = run([FileJob(str(path))], LintOptions(fix=not diff, diff=diff), processes=1)
    fixed = source.replace("History:", "History")
    assert texts == [source, fixed]
    assert result.fixed == 1
    assert [f.code for f in result.findings] == (["H107"] if diff else [])
    assert path.read_text(encoding="utf-8") == (source if diff else fixed)
