"""``wikitools convert`` through the command line, as a user runs it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from wikitools import __version__
from wikitools.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
SEED = FIXTURES / "us_japan_security_treaty.txt"
SEED_HEADINGS = [
    "Background and genesis",
    "Provisions and structure",
    "Strategic rationale from a conservative perspective",
    "Controversies and debates",
    "Modern developments and direction",
    "See also",
]


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"wikitools, version {__version__}\n"


def test_python_dash_m_runs_the_cli():
    done = subprocess.run([sys.executable, "-m", "wikitools", "--version"], capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stdout == f"wikitools, version {__version__}\n"


def test_seed_converts_to_wikitext_with_headings_bullets_and_bold_title():
    result = run("convert", str(SEED))
    assert result.exit_code == 0, result.output
    wiki = result.output
    assert re.findall(r"^== (.*) ==$", wiki, re.M) == SEED_HEADINGS
    bullets = re.findall(r"^\* (.*)$", wiki, re.M)
    assert len(bullets) == 5
    assert bullets[0].startswith("Constitutional constraints and collective self-defense:")
    assert "\n".join(f"* {b}" for b in bullets) in wiki  # one list, not five
    assert wiki.startswith("The '''Us Japan Security Treaty''', formally the Treaty")
    assert wiki.count("'''") == 2


def test_seed_converts_back_byte_for_byte(tmp_path):
    wiki = tmp_path / "Us_Japan_Security_Treaty.wiki"
    assert run("convert", str(SEED), "-o", str(wiki)).exit_code == 0
    back = tmp_path / "back.txt"
    result = run("convert", str(wiki), "-o", str(back), "--edit-suffix")
    assert result.exit_code == 0, result.output
    assert back.read_bytes() == SEED.read_bytes()


def test_stdin_to_stdout_needs_a_title_for_wikitext():
    result = run("convert", "-", "--from", "wikitext", input="== A ==\nText.")
    assert result.exit_code == 2
    assert result.output == "wikitools: <stdin>: wikitext does not hold its page title (pass --title)\n"
    result = run("convert", "-", "--from", "wikitext", "--title", "Page", input="== A ==\nText.")
    assert result.exit_code == 0
    assert result.output == "Page\n\nA\n\nText."


def test_title_from_file_name_is_decoded(tmp_path):
    source = tmp_path / "AC%2FDC_live.wiki"
    source.write_text("Some '''bold''' text.")
    result = run("convert", str(source))
    assert result.output == "AC/DC live\n\nSome bold text."


def test_titles_file_links_and_repairs(tmp_path):
    result = run("convert", str(SEED), "--titles", str(FIXTURES / "us_japan_security_treaty.titles"))
    assert result.exit_code == 0
    wiki = result.output
    assert "a capable [[Japan Self-Defense Forces|Self-Defense Forces]] while" in wiki
    assert "notably [[Article 9 of the Japanese Constitution]], by" in wiki
    assert wiki.count("[[Okinawa]]") == 1


def test_json_output_and_input_round_trip(tmp_path):
    out = tmp_path / "seed.json"
    assert run("convert", str(SEED), "-o", str(out)).exit_code == 0
    data = json.loads(out.read_text())
    assert data["title"] == "Us Japan Security Treaty"
    assert [s["heading"] for s in data["sections"]] == SEED_HEADINGS
    result = run("convert", str(out), "--to", "text", "--edit-suffix")
    assert result.output == SEED.read_text()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "is a directory, not a file"),
        (
            lambda d: _write(d / "latin1.txt", b"Caf\xe9\n\nText."),
            "not valid UTF-8 (byte 0xe9 at offset 3, line 1)",
        ),
        (
            lambda d: _write(d / "nul.txt", b"Title\n\nA\x00B"),
            "contains a NUL byte (line 3); is it a binary file?",
        ),
        (lambda d: _write(d / "empty.txt", b""), "the file is empty"),
        (
            lambda d: _write(d / "page.doc", b"x"),
            "cannot tell the format from extension '.doc' "
            "(use --from/--to with one of: text, wikitext, json, xml)",
        ),
        (lambda d: _write(d / "bad.json", b"{"), "not a wikitools JSON document"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_no_output_file(tmp_path, make, message):
    source = make(tmp_path)
    out = tmp_path / "out" / "result.wiki"
    out.parent.mkdir()
    result = run("convert", str(source), "-o", str(out))
    assert result.exit_code == 2
    assert result.output.startswith(f"wikitools: {source}: {message}")
    assert result.output.count("\n") == 1
    assert "Traceback" not in result.output
    assert list(out.parent.iterdir()) == []


def test_unknown_target_format_is_refused():
    result = run("convert", str(SEED), "--to", "pdf")
    assert result.exit_code == 2
    assert result.output == "wikitools: unknown format 'pdf' (choose one of: text, wikitext, json, xml)\n"


def test_output_replaces_the_file_atomically(tmp_path):
    out = tmp_path / "page.wiki"
    out.write_text("old")
    assert run("convert", str(SEED), "-o", str(out)).exit_code == 0
    assert out.read_text().startswith("The '''Us Japan")
    assert [p.name for p in tmp_path.iterdir()] == ["page.wiki"]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_single_page_xml_in_and_out(tmp_path):
    xml = tmp_path / "page.xml"
    assert run("convert", str(SEED), "-o", str(xml)).exit_code == 0
    assert b"<title>Us Japan Security Treaty</title>" in xml.read_bytes()
    wiki = run("convert", str(xml), "--to", "wikitext")
    assert wiki.output == run("convert", str(SEED)).output
    back = run("convert", str(xml), "--to", "text", "--edit-suffix")
    assert back.exit_code == 0
    assert back.output == SEED.read_text()


def test_endless_input_is_refused_without_filling_memory():
    done = subprocess.run(
        [sys.executable, "-m", "wikitools", "convert", "/dev/zero", "--from", "wikitext", "--title", "T"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr == "wikitools: /dev/zero: larger than 256 MiB, the most wikitools reads\n"
