"""The defects issue 10 lists under Why, each reproduced from the outside (CLI or library)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from wikitools.cli import main
from wikitools.lint import LintConfig, lint_paths, lint_text

DATA = Path(__file__).parent / "data" / "lint"


def lint(*args: str) -> object:
    return CliRunner().invoke(main, ["lint", *args])


def codes(text: str, select: str, title: str = "Test page") -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in lint_text(text, title, config=LintConfig(select=(select,)))]


@pytest.mark.parametrize("entity", ["&quot;", "&gt;", "&#61;", "&#x22;", "&amp;"])
def test_h107_leaves_a_heading_ending_in_a_character_reference_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entity: str
) -> None:
    monkeypatch.chdir(tmp_path)
    text = f"Intro [[Japan]].\n\n== The {entity}Big Four{entity} ==\nText.\n"
    Path("Page.wiki").write_text(text, encoding="utf-8")
    result = lint("Page.wiki", "--select", "H107", "--fix")
    assert result.exit_code == 0, result.output
    assert Path("Page.wiki").read_text(encoding="utf-8") == text


def test_h107_fix_removes_a_whole_character_reference_that_is_punctuation() -> None:
    from wikitools.lint.fixes import fix_text

    text = "== Early life&#58; ==\nText.\n"
    fixed, applied = fix_text(text, lambda t: lint_text(t, "T", config=LintConfig(select=("H107",))))
    assert (fixed, applied) == ("== Early life ==\nText.\n", 1)


@pytest.mark.parametrize(
    "content",
    [
        "<pre>\nx = 1\n</pre>",
        "<math>E = mc^2</math>",
        "<nowiki>[[not a link]]</nowiki>",
        '<syntaxhighlight lang="python">\nprint(1)\n</syntaxhighlight>',
    ],
)
def test_h112_a_section_of_preformatted_content_is_not_empty(content: str) -> None:
    assert codes(f"[[Japan]].\n== Code ==\n{content}\n== Next ==\nText.\n", "H112") == []


@pytest.mark.parametrize("code", ["L110", "S104", "S105"])
def test_one_unclosed_link_does_not_silence_the_rest_of_the_page(code: str) -> None:
    text = (
        "Lead about [[Japan]], and a broken [[Kyushu link.\n\n"
        "== Body ==\n" + "A sentence of prose in between. " * 100 + "\n\n"
        "More about [[Okinawa]].\n\nThen [[Okinawa]] again, right after.\n\n"
        "== See also ==\n* [[Japan]]\n* [[Hokkaido]]\n* [[Hokkaido]]\n"
    )
    expected = {"L110": [("L110", 8)], "S104": [("S104", 11)], "S105": [("S105", 13)]}
    assert codes(text, code) == expected[code]
    assert ("L101", 1) in codes(text, "L101")


def test_conflict_markers_are_their_own_error() -> None:
    text = "[[Japan]].\n== History ==\n<<<<<<< HEAD\nOur text.\n=======\nTheir text.\n>>>>>>> other\nMore.\n"
    findings = lint_text(text, "Test page")
    assert [(f.code, f.line, f.severity.label) for f in findings] == [
        ("G101", 3, "error"),
        ("G101", 5, "error"),
        ("G101", 7, "error"),
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_fix_writes_through_a_symlink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("real").mkdir()
    target = Path("real/Page.wiki")
    target.write_text("[[Japan]].\n== History: ==\nText.\n", encoding="utf-8")
    Path("Page.wiki").symlink_to(target)
    result = lint("Page.wiki", "--fix")
    assert result.exit_code == 0, result.output
    assert Path("Page.wiki").is_symlink()
    assert target.read_text(encoding="utf-8") == "[[Japan]].\n== History ==\nText.\n"


def test_fix_keeps_a_byte_order_mark(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("Page.wiki").write_bytes(b"\xef\xbb\xbf[[Japan]].\r\n== History: ==\r\nText.\r\n")
    result = lint("Page.wiki", "--fix")
    assert result.exit_code == 0, result.output
    assert Path("Page.wiki").read_bytes() == b"\xef\xbb\xbf[[Japan]].\r\n== History ==\r\nText.\r\n"


def test_sarif_uris_are_percent_encoded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    name = "Q%3A_What,_now%3F.wiki"
    Path(name).write_text("= Top =\nText about [[Japan]].\n", encoding="utf-8")
    result = lint(name, "--format", "sarif")
    [location] = json.loads(result.stdout)["runs"][0]["results"][0]["locations"]
    uri = location["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "Q%253A_What%2C_now%253F.wiki" and unquote(uri) == name


def test_txt_findings_quote_what_the_user_wrote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("Pipes.txt").write_text(
        "Pipes\n\nLead about pipes.\n\nA | B & C\n\nBody.\n\nA | B & C\n\nMore.", encoding="utf-8"
    )
    result = lint("Pipes.txt", "--select", "H111")
    assert result.stdout == (
        "Pipes.txt:9:1: H111 heading 'A | B & C' repeats the heading on line 5\nFound 1 problem.\n"
    )


def test_a_directory_with_nothing_to_lint_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("empty").mkdir()
    (Path("empty") / "notes.md").write_text("# not wikitext\n", encoding="utf-8")
    result = lint("empty")
    assert result.exit_code == 2
    assert result.stderr.startswith("wikitools: empty: no file to lint in this directory (lintable: .wiki")


def test_per_path_ignores_are_relative_to_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "wikitools.toml").write_text("[lint]\nper-path-ignores = { 'drafts/*' = ['H'] }\n")
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "Page.wiki").write_text("= Top =\nText about [[Japan]].\n", encoding="utf-8")
    monkeypatch.chdir(drafts)
    assert lint("Page.wiki").exit_code == 0
    monkeypatch.chdir(tmp_path)
    assert lint("drafts/Page.wiki").exit_code == 0
    assert lint(str(drafts / "Page.wiki")).exit_code == 0


def test_xml_lint_skips_sha1_verification_unless_asked() -> None:
    path = str(DATA / "two_pages.xml")  # its sha1 elements do not match the texts
    assert all(not r.warnings for r in lint_paths([path]))
    assert any("sha1" in w for r in lint_paths([path], verify_xml=True) for w in r.warnings)
