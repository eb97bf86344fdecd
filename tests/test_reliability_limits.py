"""Big and odd input through the real ``convert`` and ``lint`` commands, each in its own process so that
its wall time and peak memory (``VmHWM``) can be bounded: deep nesting, a 50 MB page,
a 10 MB line, invalid UTF-8, NUL bytes and titles with every forbidden character get a correct result
or one clear line on stderr, never a traceback."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from wikitools.formats.xml_write import dump_pages
from wikitools.model import Page, Revision

MAX_SECONDS = 60
MAX_PEAK_BYTES = 1.5 * 1024**3
DEPTH = 10_000
MEASURED: list[tuple[str, Run]] = []  # printed at the end of the module (pytest -s) for docs/reliability.md
FORBIDDEN = "<>[]{}|"  # with "#", every character MediaWiki never allows in a title


@dataclass(frozen=True)
class Run:
    code: int
    stdout: bytes
    stderr: str
    seconds: float
    peak_bytes: int


#: Runs wikitools and, at exit, copies /proc/self/status (VmHWM: this process's peak resident memory)
#: to the file named by the first argument. ru_maxrss is no use here: it keeps the forking parent's peak.
PEAK_PROBE = (
    "import atexit, runpy, sys; status = sys.argv.pop(1); "
    "atexit.register(lambda: open(status, 'w').write(open('/proc/self/status').read())); "
    "runpy.run_module('wikitools', run_name='__main__', alter_sys=True)"
)


def wikitools(*args: str | Path, cwd: Path) -> Run:
    """Run ``python -m wikitools ARGS`` and measure it; fails when it passes the time or memory bound."""
    out, err, status = cwd / "stdout", cwd / "stderr", cwd / "status"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-c", PEAK_PROBE, status, *map(str, args)], cwd=cwd, stdout=stdout, stderr=stderr
        )
        try:
            code = process.wait(MAX_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
        seconds = time.monotonic() - started
    peak_kb = next(
        int(line.split()[1]) for line in status.read_text().splitlines() if line.startswith("VmHWM")
    )
    run = Run(code, out.read_bytes(), err.read_text("utf-8"), seconds, peak_kb * 1024)
    MEASURED.append((" ".join(map(str, args)), run))
    assert run.seconds < MAX_SECONDS, f"{args} took {run.seconds:.1f} s"
    assert run.peak_bytes < MAX_PEAK_BYTES, f"{args} peaked at {run.peak_bytes / 2**20:.0f} MB"
    assert "Traceback" not in run.stderr, run.stderr
    return run


@pytest.fixture(scope="module", autouse=True)
def report_measurements() -> None:
    yield
    for command, run in MEASURED:
        print(
            f"\n{run.seconds:6.1f} s {run.peak_bytes / 2**20:6.0f} MB  exit {run.code}  wikitools {command}"
        )


def lint_ok(run: Run) -> None:
    """lint's answer to odd but readable input: findings or none (exit 1 or 0), nothing on stderr."""
    assert (run.code, run.stderr) in ((0, ""), (1, ""))


def test_10000_nested_templates(tmp_path: Path) -> None:
    # mwparserfromhell nests at most 40 levels (as MediaWiki expands at most 40): deeper braces read as
    # text, so the rendering keeps some "}}" but stays bounded and drops every template it parsed.
    (tmp_path / "Nested.wiki").write_text("Lead " + "{{t|" * DEPTH + "x" + "}}" * DEPTH + "\n", "utf-8")
    run = wikitools("convert", "Nested.wiki", cwd=tmp_path)
    assert (run.code, run.stderr) == (0, "")
    assert run.stdout.startswith(b"Nested\n\nLead ") and b"{{" not in run.stdout
    lint_ok(wikitools("lint", "Nested.wiki", cwd=tmp_path))


def test_10000_list_levels(tmp_path: Path) -> None:
    (tmp_path / "Deep.wiki").write_text("*" * DEPTH + " deep item\n", "utf-8")
    (tmp_path / "deep.txt").write_text("Deep\n\n" + "  " * DEPTH + "• deep item", "utf-8")
    as_text = wikitools("convert", "Deep.wiki", cwd=tmp_path)
    assert (as_text.code, as_text.stderr) == (0, "")
    assert as_text.stdout == ("Deep\n\n" + "  " * DEPTH + "• deep item").encode()
    as_wikitext = wikitools("convert", "deep.txt", cwd=tmp_path)
    assert (as_wikitext.code, as_wikitext.stderr) == (0, "")
    assert as_wikitext.stdout == b"*" * DEPTH + b" deep item"
    lint_ok(wikitools("lint", "Deep.wiki", "deep.txt", cwd=tmp_path))


def fifty_mb_of_prose() -> str:
    paragraph = "Plain prose goes on here for a while, as articles do, and then some more words.\n\n"
    sections, size, n = [], 0, 0
    while size < 50_000_000:
        sections.append(f"== Section {n} ==\n{paragraph * 40}See [[Page {n}]].\n\n")
        size += len(sections[-1])
        n += 1
    return "Lead with a [[link]].\n\n" + "".join(sections)


def test_a_50_mb_page(tmp_path: Path) -> None:
    text = fifty_mb_of_prose()
    (tmp_path / "Big.wiki").write_text(text, "utf-8")
    lint_ok(wikitools("lint", "Big.wiki", cwd=tmp_path))
    run = wikitools("convert", "Big.wiki", cwd=tmp_path)  # the parse tree would need about 2.5 GB
    assert (run.code, run.stdout) == (2, b"")
    assert run.stderr == (
        f"wikitools: Big.wiki: the wikitext is too long to parse ({len(text):,} characters, at most "
        "16,777,216) (split the page; MediaWiki refuses pages over 2 MB by default)\n"
    )
    # in an XML export the page stops at the XML parser's 10 MB limit for one text, also with one line
    (tmp_path / "big.xml").write_bytes(dump_pages([Page("Big", 0, revisions=(Revision(text=text),))]))
    for command in ("convert", "lint"):
        run = wikitools(command, "big.xml", cwd=tmp_path)
        assert (run.code, run.stdout) == (2, b"")
        assert (
            run.stderr.startswith("wikitools: big.xml: a text at line 2")
            and "10 MB safety limit" in run.stderr
        )
    # the same article as plain text converts to wikitext (no parse tree is needed for that)
    plain = "Big\n\n" + text.replace("== ", "").replace(" ==\n", "\n\n").replace("[[", "").replace("]]", "")
    (tmp_path / "big.txt").write_text(plain, "utf-8")
    run = wikitools("convert", "big.txt", "-o", "big-out.wiki", cwd=tmp_path)
    assert (run.code, run.stdout, run.stderr) == (0, b"", "")
    written = (tmp_path / "big-out.wiki").read_text("utf-8")
    assert written.startswith("Lead with a link.\n\n== Section 0 ==\n") and len(written) > 49_000_000


def test_a_10_mb_line(tmp_path: Path) -> None:
    line = "word " * 2_000_000 + "end"
    (tmp_path / "Line.wiki").write_text(line + "\n", "utf-8")
    (tmp_path / "line.txt").write_text("Line\n\n" + line, "utf-8")
    run = wikitools("convert", "Line.wiki", cwd=tmp_path)
    assert (run.code, run.stdout, run.stderr) == (0, f"Line\n\n{line}".encode(), "")
    run = wikitools("convert", "line.txt", cwd=tmp_path)
    assert (run.code, run.stdout, run.stderr) == (0, line.encode(), "")
    lint_ok(wikitools("lint", "Line.wiki", "line.txt", cwd=tmp_path))


@pytest.mark.parametrize("command", ["convert", "lint"])
def test_invalid_utf8_and_nul_bytes_get_one_clear_line(tmp_path: Path, command: str) -> None:
    (tmp_path / "bad.wiki").write_bytes(b"Caf\xe9 [[x]]\n")
    (tmp_path / "nul.txt").write_bytes(b"Title\n\nSome\x00text\n")
    run = wikitools(command, "bad.wiki", cwd=tmp_path)
    assert (run.code, run.stdout, run.stderr) == (
        2, b"", "wikitools: bad.wiki: not valid UTF-8 (byte 0xe9 at offset 3, line 1)\n"
    )  # fmt: skip
    run = wikitools(command, "nul.txt", cwd=tmp_path)
    assert (run.code, run.stdout, run.stderr) == (
        2, b"", "wikitools: nul.txt: contains a NUL byte (line 3); is it a binary file?\n"
    )  # fmt: skip


def test_titles_with_every_forbidden_character(tmp_path: Path) -> None:
    (tmp_path / "ok.wiki").write_text("Some [[x]] text.\n", "utf-8")
    (tmp_path / "bad.txt").write_text(f"Bad {' '.join(FORBIDDEN)} title\n\nSome text.", "utf-8")
    problem = "the title contains characters MediaWiki forbids: < > [ ] { | }"
    # an XML export holds the title as a page name: a page MediaWiki would refuse is not written
    run = wikitools("convert", "ok.wiki", "-o", "out.xml", "--title", f"A{FORBIDDEN}", cwd=tmp_path)
    assert (run.code, run.stdout, run.stderr) == (2, b"", f"wikitools: A{FORBIDDEN}: {problem}\n")
    run = wikitools("convert", "bad.txt", "--to", "xml", cwd=tmp_path)
    assert (run.code, run.stdout, run.stderr) == (
        2,
        b"",
        f"wikitools: Bad < > [ ] {{ }} | title: {problem}\n",
    )
    assert not (tmp_path / "out.xml").exists()
    # as text the title is only shown, and wikitext does not hold it: both convert
    run = wikitools("convert", "ok.wiki", "--title", f"A{FORBIDDEN}", cwd=tmp_path)
    assert (run.code, run.stdout, run.stderr) == (0, f"A{FORBIDDEN}\n\nSome x text.".encode(), "")
    run = wikitools("convert", "bad.txt", cwd=tmp_path)
    assert (run.code, run.stdout, run.stderr) == (0, b"Some text.", "")
    # a file whose name (its title) holds them all: the same; lint uses the title only to spot self-links
    (tmp_path / f"A{FORBIDDEN}.wiki").write_text("Some [[x]] text.\n", "utf-8")
    run = wikitools("convert", f"A{FORBIDDEN}.wiki", "--to", "xml", cwd=tmp_path)
    assert (run.code, run.stdout, run.stderr) == (2, b"", f"wikitools: A{FORBIDDEN}: {problem}\n")
    for args in ((f"A{FORBIDDEN}.wiki",), ("ok.wiki", "--title", f"A{FORBIDDEN}")):
        run = wikitools("lint", *args, cwd=tmp_path)  # a clean page, or (better) one line refusing the title
        assert (run.code, run.stdout, run.stderr) == (0, b"", "") or (
            run.code == 2 and run.stderr.startswith("wikitools: ") and run.stderr.count("\n") == 1
        )
