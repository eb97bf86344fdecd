"""``wikitools lint`` and ``wikitools rules`` through click's CliRunner: exact output and exit codes."""

from __future__ import annotations

import json
import resource
from pathlib import Path

import pytest
from click.testing import CliRunner

from wikitools.cli import main
from wikitools.errors import InputError
from wikitools.lint import jobs
from wikitools.lint.codes import all_rules
from wikitools.lint.docs import rules_markdown

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fixtures" / "us_japan_security_treaty.txt"
DATA = Path(__file__).parent / "data" / "lint"

PAGE = """\
'''Treaty''' binds [[Japan]].

== History: ==
See [[Treaty#Terms|the terms]] and [[Anpo%20protests]].

== Terms ==
[[Okinawa]] hosts bases.

== References ==
R.

== See also ==
* [[Okinawa]]
* [[Kyushu]]

== External links ==
E.
"""

PAGE_FIXED = """\
'''Treaty''' binds [[Japan]].

== History ==
See [[#Terms|the terms]] and [[Anpo protests]].

== Terms ==
[[Okinawa]] hosts bases.

== See also ==
* [[Kyushu]]

== References ==
R.

== External links ==
E.
"""

PAGE_TEXT = """\
Treaty.wiki:3:11: H107 heading 'History:' ends with ':'
Treaty.wiki:4:5: L105 self-link to a section; use [[#Terms]]
Treaty.wiki:4:36: L107 link target 'Anpo%20protests' is URL-encoded
Treaty.wiki:12:1: S106 'See also' comes after 'References'; \
the order is See also, Notes/References, Further reading, External links
Treaty.wiki:13:3: S104 See also repeats 'Okinawa', already linked in the body
Found 5 problems (5 fixable with --fix).
"""


def lint(*args: str, input: str | None = None):
    return CliRunner().invoke(main, ["lint", *args], input=input)


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "Treaty.wiki"
    path.write_text(PAGE, encoding="utf-8")
    return path


def test_seed_reports_its_empty_see_also_at_the_last_line() -> None:
    result = lint(str(SEED), "--select", "S101")
    assert result.exit_code == 1
    assert result.stdout == f"{SEED}:37:1: S101 the See also section is empty\nFound 1 problem.\n"


def test_seed_with_every_rule() -> None:
    result = lint(str(SEED))
    assert result.exit_code == 1
    assert result.stdout == (
        f"{SEED}:3:1: L111 the article has no internal links\n"
        f"{SEED}:37:1: S101 the See also section is empty\n"
        "Found 2 problems.\n"
    )


def test_a_file_in_a_namespace_folder_is_linted_as_a_page_of_that_namespace(tmp_path: Path) -> None:
    text = "Text.\n\n== See also ==\n\n== Notes ==\nx\n"
    (tmp_path / "Template").mkdir()
    (tmp_path / "Template" / "Box.wiki").write_text(text, encoding="utf-8")
    (tmp_path / "Box.wiki").write_text(text, encoding="utf-8")
    result = lint(str(tmp_path), "--select", "S101")
    only_the_article = f"{tmp_path / 'Box.wiki'}:3:1: S101 the See also section is empty\n"
    assert result.stdout == only_the_article + "Found 1 problem.\n"


def test_text_format(page: Path) -> None:
    result = lint("Treaty.wiki")
    assert (result.exit_code, result.stdout, result.stderr) == (1, PAGE_TEXT, "")


def test_json_format(page: Path) -> None:
    result = lint("Treaty.wiki", "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1 and len(data) == 5
    assert data[0] == {
        "path": "Treaty.wiki",
        "line": 3,
        "column": 11,
        "code": "H107",
        "severity": "warning",
        "message": "heading 'History:' ends with ':'",
        "fixable": True,
        "name": "heading-trailing-punctuation",
        "checkwiki": [57],
        "wikilint": [],
        "parsoid": [],
    }


def test_json_format_without_findings(page: Path) -> None:
    result = lint("Treaty.wiki", "--format", "json", "--select", "H101")
    assert (result.exit_code, result.stdout) == (0, "]\n".join(["["]) + "]\n")


def test_github_format_escapes_and_levels(page: Path) -> None:
    result = lint("Treaty.wiki", "--format", "github", "--select", "L107", "--severity", "L107=error")
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=Treaty.wiki,line=4,col=36,title=L107 url-encoded-target::"
        "link target 'Anpo%2520protests' is URL-encoded\n"
    )


def test_sarif_format(page: Path) -> None:
    result = lint("Treaty.wiki", "--format", "sarif")
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    [run] = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in all_rules()]
    first = run["results"][0]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "H107"
    assert first["level"] == "warning"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "Treaty.wiki"},
        "region": {"startLine": 3, "startColumn": 11},
    }


@pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warning", 1), ("info", 1)])
def test_fail_on(page: Path, fail_on: str, code: int) -> None:
    assert lint("Treaty.wiki", "--fail-on", fail_on).exit_code == code


def test_info_findings_do_not_fail_by_default(page: Path) -> None:
    page.write_text("[[Japan|Japan]] text.\n", encoding="utf-8")
    result = lint("Treaty.wiki")
    assert result.exit_code == 0 and "L104" in result.stdout
    assert lint("Treaty.wiki", "--fail-on", "info").exit_code == 1


def test_fix_rewrites_only_the_fixed_bytes_and_is_idempotent(page: Path) -> None:
    result = lint("Treaty.wiki", "--fix")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == "Fixed 5 problems in 1 file.\n"
    assert page.read_text(encoding="utf-8") == PAGE_FIXED
    again = lint("Treaty.wiki", "--fix")
    assert (again.exit_code, again.stdout, again.stderr) == (0, "", "")
    assert page.read_text(encoding="utf-8") == PAGE_FIXED


def test_diff_prints_the_fixes_and_changes_nothing(page: Path) -> None:
    result = lint("Treaty.wiki", "--diff", "--select", "H107")
    assert result.exit_code == 1
    assert result.stdout == (
        "--- a/Treaty.wiki\n+++ b/Treaty.wiki\n@@ -1,6 +1,6 @@\n '''Treaty''' binds [[Japan]].\n \n"
        "-== History: ==\n+== History ==\n See [[Treaty#Terms|the terms]] and [[Anpo%20protests]].\n \n"
        " == Terms ==\n"
    )
    assert page.read_text(encoding="utf-8") == PAGE
    lint("Treaty.wiki", "--fix")
    assert lint("Treaty.wiki", "--diff").stdout == ""


def test_stdin_needs_a_title_and_cannot_be_fixed(page: Path) -> None:
    result = lint("-", "--title", "Treaty", input=PAGE)
    assert result.exit_code == 1 and result.stdout.startswith("<stdin>:3:11: H107 ")
    missing = lint("-", input=PAGE)
    assert missing.exit_code == 2
    assert missing.stderr == "wikitools: <stdin>: reading stdin needs --title to name the page\n"
    assert lint("-", "--fix", "--title", "T", input=PAGE).exit_code == 2


def test_bad_inputs_exit_2_after_linting_the_good_ones(page: Path, tmp_path: Path) -> None:
    (tmp_path / "Bad.wiki").write_bytes(b"\xff== x ==\n")
    result = lint("Bad.wiki", "Treaty.wiki", "--select", "H107")
    assert result.exit_code == 2
    assert result.stdout == (
        "Treaty.wiki:3:11: H107 heading 'History:' ends with ':'\nFound 1 problem (1 fixable with --fix).\n"
    )
    assert result.stderr == "wikitools: Bad.wiki: not valid UTF-8 (byte 0xff at offset 0, line 1)\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.wiki"], "wikitools: missing.wiki: no such file or directory\n"),
        (
            ["Treaty.wiki", "--select", "Q1"],
            "wikitools: --select: unknown rule code 'Q1' (`wikitools rules` lists them)\n",
        ),
        (
            ["Treaty.wiki", "--severity", "H1"],
            "wikitools: --severity 'H1': expected CODE=LEVEL, e.g. L110=warning\n",
        ),
    ],
)
def test_usage_errors_exit_2(page: Path, args: list[str], message: str) -> None:
    result = lint(*args)
    assert (result.exit_code, result.stderr) == (2, message)


def test_config_file_and_flags_override_it(page: Path, tmp_path: Path) -> None:
    (tmp_path / "wikitools.toml").write_text(
        "[lint]\nselect = ['H107', 'L107']\nseverity = { L107 = 'info' }\nfail-on = 'error'\n",
        encoding="utf-8",
    )
    result = lint("Treaty.wiki")
    assert result.exit_code == 0 and result.stdout.count("\n") == 3
    assert lint("Treaty.wiki", "--fail-on", "warning").exit_code == 1
    assert lint("Treaty.wiki", "--select", "S").stdout.count(": S10") == 2


def test_per_path_ignores_in_pyproject(page: Path, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.wikitools.lint]\nper-path-ignores = { 'Treaty.wiki' = ['H', 'L', 'S104', 'S106'] }\n",
        encoding="utf-8",
    )
    result = lint("Treaty.wiki")
    assert (result.exit_code, result.stdout) == (0, "")


def test_bad_config_exits_2(page: Path, tmp_path: Path) -> None:
    (tmp_path / "wikitools.toml").write_text("[lint]\nselect = 'H'\n", encoding="utf-8")
    result = lint("Treaty.wiki")
    assert result.exit_code == 2 and "select must be a list of rule codes" in result.stderr


def test_jobs_give_identical_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for i in range(12):
        (tmp_path / f"P{i:02}.wiki").write_text(PAGE * (i % 3 + 1), encoding="utf-8")
    one, two = lint(".", "--format", "json"), lint(".", "--format", "json", "--jobs", "2")
    assert one.stdout == two.stdout and len(json.loads(one.stdout)) > 12


def test_default_jobs_use_every_core_on_a_big_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --jobs, 1 MB or more of pages is linted by worker processes (their CPU time shows in this
    process's children), with the output of --jobs 1; a small input stays in this process."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(jobs, "usable_cores", lambda: 2)  # a 1-core CI machine still starts a pool
    prose = "Some prose about [[Japan]] and [[Okinawa]], without problems.\n\n" * 420  # 27 KB
    for i in range(40):
        (tmp_path / f"P{i:02}.wiki").write_text(PAGE + prose, encoding="utf-8")
    assert sum(f.stat().st_size for f in tmp_path.iterdir()) >= jobs.POOL_MIN_BYTES
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    default = lint(".", "--format", "json")
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime > before
    assert default.stdout == lint(".", "--format", "json", "--jobs", "1").stdout
    small = tmp_path / "small"
    small.mkdir()
    (small / "Page.wiki").write_text(PAGE, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    assert lint("small").exit_code == 1
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime == before


def test_directory_walk_xml_and_targets_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "Japan.wiki").write_text("Links [[Okinawa]] and [[Atlantis]].\n", encoding="utf-8")
    (tmp_path / "pages" / "Okinawa.wiki").write_text("#REDIRECT [[Okinawa Prefecture]]\n", encoding="utf-8")
    (tmp_path / "pages" / "notes.md").write_text("not linted", encoding="utf-8")
    result = lint("pages", "--check-targets", "--select", "W")
    assert result.stdout == (
        "pages/Japan.wiki:1:7: W102 'Okinawa' redirects to 'Okinawa Prefecture'\n"
        "pages/Japan.wiki:1:23: W101 'Atlantis' does not exist (red link)\n"
        "Found 2 problems.\n"
    )
    (tmp_path / "titles.txt").write_text("Okinawa\nAtlantis\n", encoding="utf-8")
    assert lint("pages", "--titles", "titles.txt", "--select", "W").exit_code == 0


def test_xml_export_is_linted_page_by_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = lint(str(DATA / "two_pages.xml"), "--select", "H101,L102")
    assert result.stdout == (
        f"{DATA / 'two_pages.xml'}[First page]:3:1: H101 level-1 heading 'Top'; use level 2\n"
        f"{DATA / 'two_pages.xml'}[Second page]:1:6: L102 link has no target\n"
        "Found 2 problems.\n"
    )
    as_json = json.loads(lint(str(DATA / "two_pages.xml"), "--select", "L102", "--format", "json").stdout)
    assert as_json[0]["title"] == "Second page"


def test_txt_input_reports_txt_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Some_article.txt").write_text(
        "Some article\n\nLead about things.\n\nHistory\n\nBody.\n\nSee also\n\n  • Japan\n\n  • Japan",
        encoding="utf-8",
    )
    result = lint("Some_article.txt", "--select", "S")
    assert result.stdout == (
        "Some_article.txt:13:1: S105 'Japan' is already listed in See also on line 11\nFound 1 problem.\n"
    )


def test_rules_lists_every_rule_and_explains_one() -> None:
    listing = CliRunner().invoke(main, ["rules"])
    assert listing.exit_code == 0
    assert [line.split()[0] for line in listing.stdout.splitlines()] == [r.code for r in all_rules()]
    one = CliRunner().invoke(main, ["rules", "empty-see-also"])
    assert one.exit_code == 0
    assert one.stdout.startswith("S101 empty-see-also\nSee also section with no entries\n")
    assert "What it does\n" in one.stdout and "Use instead\n" in one.stdout
    unknown = CliRunner().invoke(main, ["rules", "X999"])
    assert unknown.exit_code == 2
    assert unknown.stderr == "wikitools: no rule 'X999' (`wikitools rules` lists them)\n"


def test_rules_doc_is_up_to_date() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(), (
        "regenerate with: wikitools rules --markdown > docs/rules.md"
    )


def test_ci_integration_files() -> None:
    import yaml  # a test dependency: the files must parse as the tools that read them parse them

    hooks_text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    action_text = (ROOT / "action.yml").read_text(encoding="utf-8")
    assert "- id: wikitools-lint" in hooks_text and "entry: wikitools lint" in hooks_text
    assert "using: composite" in action_text and "wikitools lint --format" in action_text
    [hook] = yaml.safe_load(hooks_text)
    assert (hook["id"], hook["entry"], hook["language"]) == ("wikitools-lint", "wikitools lint", "python")
    action = yaml.safe_load(action_text)
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"paths", "format", "fail-on", "args", "python-version"}


def test_a_fix_that_cannot_be_written_is_an_input_error(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path, data):
        raise InputError("permission denied", subject=path)

    monkeypatch.setattr("wikitools.lint.jobs.atomic_write", refuse)
    result = lint("Treaty.wiki", "--fix")
    assert (result.exit_code, result.stderr) == (2, "wikitools: Treaty.wiki: permission denied\n")
    assert page.read_text(encoding="utf-8") == PAGE


def test_a_title_mediawiki_forbids_is_refused() -> None:
    result = CliRunner().invoke(main, ["lint", "--title", "A<b>", "-"], input="Text.")
    assert result.exit_code == 2
    assert result.output == "wikitools: A<b>: the title contains characters MediaWiki forbids: < >\n"
