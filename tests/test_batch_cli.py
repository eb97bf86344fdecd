"""``wikitools convert`` with several inputs and folders, as a user runs it: exit codes, the lines it
prints, --check, --force, --jobs and the progress bar."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import IO

from click.testing import CliRunner

import wikitools
from tests.test_batch import tree, write
from wikitools.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
SEED = FIXTURES / "us_japan_security_treaty.txt"


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def articles(root: Path) -> Path:
    write(root / "seed.txt", SEED.read_bytes())
    write(root / "more" / "two.txt", "Second page\n\nIts text.")
    return root


def test_a_folder_converts_in_one_command_byte_for_byte_as_each_file_alone(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    articles(Path("in"))
    result = run("convert", "in", "-d", "out")
    assert (result.exit_code, result.output) == (0, "2 files: 2 written\n")
    assert sorted(tree(Path("out"))) == ["Us_Japan_Security_Treaty.wiki", "more/Second_page.wiki"]
    alone = run("convert", "in/more/two.txt", "-o", "alone.wiki")
    assert alone.exit_code == 0
    assert Path("alone.wiki").read_bytes() == Path("out/more/Second_page.wiki").read_bytes()
    back = run("convert", "out", "--to", "text", "--edit-suffix", "-d", "back")
    assert (back.exit_code, back.output) == (0, "2 files: 2 written\n")
    assert Path("back/Us_Japan_Security_Treaty.txt").read_bytes() == SEED.read_bytes()


def test_one_file_with_out_dir_is_named_by_its_title(tmp_path):
    result = run("convert", str(SEED), "-d", str(tmp_path))
    assert (result.exit_code, result.output) == (0, "1 file: 1 written\n")
    assert [p.name for p in tmp_path.iterdir()] == ["Us_Japan_Security_Treaty.wiki"]


def test_failures_are_listed_the_others_converted_and_the_exit_code_is_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    articles(Path("in"))
    write(Path("in/more/empty.txt"), "")
    write(Path("in/bad.txt"), b"Caf\xe9\n\nText.")
    result = run("convert", "in", "missing.txt", "-d", "out")
    assert result.exit_code == 2
    assert result.output == (
        "wikitools: in/bad.txt: not valid UTF-8 (byte 0xe9 at offset 3, line 1)\n"
        "wikitools: in/more/empty.txt: the file is empty\n"
        "wikitools: missing.txt: no such file\n"
        "5 files: 2 written, 3 failed\n"
    )
    assert sorted(tree(Path("out"))) == ["Us_Japan_Security_Treaty.wiki", "more/Second_page.wiki"]


def test_an_output_that_would_change_is_refused_with_one_line_unless_forced(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    articles(Path("in"))
    assert run("convert", "in", "-d", "out").exit_code == 0
    write(Path("out/more/Second_page.wiki"), "Edited by hand.")
    result = run("convert", "in", "-d", "out")
    assert result.exit_code == 1
    assert result.output == (
        "wikitools: out/more/Second_page.wiki: holds something other than the conversion of "
        "in/more/two.txt (pass --force to replace it)\n"
        "2 files: 1 unchanged, 1 refused\n"
    )
    assert Path("out/more/Second_page.wiki").read_text() == "Edited by hand."
    forced = run("convert", "in", "-d", "out", "--force")
    assert (forced.exit_code, forced.output) == (0, "2 files: 1 written, 1 unchanged\n")
    assert Path("out/more/Second_page.wiki").read_text() == "Its text."


def test_check_lists_what_would_change_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    articles(Path("in"))
    write(Path("out/more/Second_page.wiki"), "Stale.")
    result = run("convert", "in", "-d", "out", "--check")
    assert result.exit_code == 1
    assert (
        result.stdout
        == "would create out/Us_Japan_Security_Treaty.wiki\nwould change out/more/Second_page.wiki\n"
    )
    assert result.stderr == "2 files: 2 would change\n"
    assert tree(Path("out")) == {"more/Second_page.wiki": b"Stale."}
    assert run("convert", "in", "-d", "out", "--force").exit_code == 0
    in_step = run("convert", "in", "-d", "out", "--check")
    assert (in_step.exit_code, in_step.output) == (0, "2 files: 2 unchanged\n")


def test_jobs_give_the_same_tree_and_lines(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for n in range(9):
        write(Path(f"in/{n % 2}/p{n}.txt"), f"Page {n}\n\nText {n}.")
    write(Path("in/1/p5.txt"), "")
    one = run("convert", "in", "-d", "one")
    two = run("convert", "in", "-d", "two", "--jobs", "2")
    assert (
        (two.exit_code, two.output)
        == (one.exit_code, one.output)
        == (
            2,
            "wikitools: in/1/p5.txt: the file is empty\n9 files: 8 written, 1 failed\n",
        )
    )
    assert tree(Path("one")) == tree(Path("two"))


def test_options_that_need_one_input_or_files_are_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = articles(tmp_path / "in")
    cases = {
        ("convert", str(source), "-o", "x.wiki"): f"wikitools: {source}: is a directory, not a file "
        "(use -d OUTDIR for folders)\n",
        ("convert", str(SEED), str(SEED), "-o", "x.wiki"): "wikitools: -o names the output of a single "
        "input file (use -d OUTDIR for several)\n",
        ("convert", str(source), "--title", "T", "-d", "o"): "wikitools: --title names one page "
        "(convert that input in its own command)\n",
        ("convert", "-", str(SEED), "-d", "o"): "wikitools: stdin (-) converts alone, to -o FILE or "
        "stdout (without -d OUTDIR)\n",
        ("convert", "-", "-d", "o"): "wikitools: stdin (-) converts alone, to -o FILE or stdout "
        "(without -d OUTDIR)\n",
        ("convert", str(SEED), "--check"): "wikitools: --check compares output files (give -d OUTDIR)\n",
        ("convert", str(source), "--to", "pdf", "-d", "o"): "wikitools: unknown format 'pdf' "
        "(choose one of: text, wikitext, json, xml)\n",
    }
    for args, message in cases.items():
        result = run(*args)
        assert (result.exit_code, result.output) == (2, message), args
    assert not Path("o").exists() and not Path("x.wiki").exists()


def test_an_empty_folder_has_nothing_to_convert(tmp_path):
    result = run("convert", str(tmp_path), "-d", str(tmp_path / "out"))
    assert (result.exit_code, result.output) == (0, "no files to convert\n")


def test_a_progress_bar_shows_on_a_terminal_only(tmp_path):
    articles(tmp_path / "in")
    env = {**os.environ, "PYTHONPATH": str(Path(wikitools.__file__).resolve().parents[1])}
    command = [sys.executable, "-m", "wikitools", "convert", "in", "-d"]
    parent, child = pty.openpty()
    with os.fdopen(parent, "rb", buffering=0) as terminal:
        done = subprocess.run([*command, "tty"], cwd=tmp_path, env=env, stderr=child, stdout=subprocess.PIPE)
        os.close(child)
        shown = b""  # the little the bar writes fits in the terminal's buffer; read it to the end
        while chunk := _read(terminal):
            shown += chunk
    assert done.returncode == 0
    assert b"Converting" in shown and b"100%" in shown and b"2 files: 2 written" in shown
    piped = subprocess.run([*command, "pipe"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert (piped.returncode, piped.stderr) == (0, "2 files: 2 written\n")


def _read(terminal: IO[bytes]) -> bytes:
    try:
        return terminal.read(4096)
    except OSError:  # EIO: the process has exited and closed its side
        return b""
