"""The per-page watchdog and resuming: a slow or huge page is set aside and the run goes on; a worker
killed mid-partition is replaced and the partition resumes after the page it was on; a whole run
killed with SIGKILL resumes from its cache with identical output; a stream that explodes or hangs
while it is decompressed has the rest of its partition set aside."""

from __future__ import annotations

import bz2
import contextlib
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.test_dump_support import (
    HEAVY_TEXT,
    SLOW_TEXT,
    build_dump,
    check_set_aside,
    cli_env,
    kill_big_child,
    lint_text,
    make_page,
    make_pages,
    replace_stream,
    run_cli,
)
from wikitools.dump import lint_dump
from wikitools.formats.multistream import index_path_for, read_streams

BAD = 15


def _dumps(tmp_path: Path, text: str) -> tuple[Path, Path]:
    """A dump of pages 1–30 where page 15 has ``text``, and the same dump without page 15."""
    pages = make_pages(30)
    (tmp_path / "with").mkdir()
    (tmp_path / "without").mkdir()
    bad = [*pages[: BAD - 1], make_page(BAD, text), *pages[BAD:]]
    return (
        build_dump(tmp_path / "with", bad, per_stream=10),
        build_dump(tmp_path / "without", [p for p in pages if p.id != BAD], per_stream=10),
    )


def _check_set_aside(output: str, reference: str, reason: str) -> None:
    check_set_aside(output, reference, reason, BAD)


def test_a_slow_page_is_set_aside_and_the_run_goes_on(tmp_path: Path) -> None:
    slow, reference = _dumps(tmp_path, SLOW_TEXT)
    started = time.monotonic()
    output = lint_text(slow, page_timeout=1.0, jobs=1)
    assert time.monotonic() - started < 30  # the page alone takes seconds and would give 400,000 findings
    _check_set_aside(output, lint_text(reference), "took longer than 1 s")


def test_a_page_that_makes_the_worker_too_big_is_set_aside(tmp_path: Path) -> None:
    huge, reference = _dumps(tmp_path, HEAVY_TEXT)
    _check_set_aside(
        lint_text(huge, max_memory=100, page_timeout=60, jobs=2),
        lint_text(reference),
        "used more than 100 MB",
    )


def test_a_worker_killed_mid_partition_is_replaced_and_resumes_after_the_page(tmp_path: Path) -> None:
    slow, reference = _dumps(tmp_path, SLOW_TEXT)
    result: list[str] = []
    run = threading.Thread(target=lambda: result.append(lint_text(slow, page_timeout=120, jobs=1)))
    run.start()
    killed = kill_big_child(run, 150)  # only the slow page makes a worker this big
    run.join(120)
    assert killed is not None and result
    _check_set_aside(result[0], lint_text(reference), "the worker died (SIGKILL)")


def test_a_killed_run_resumes_from_its_cache_with_identical_output(tmp_path: Path) -> None:
    pages = make_pages(60)
    for number in (35, 55):
        pages[number - 1] = make_page(number, HEAVY_TEXT)
    dump = build_dump(tmp_path, pages, per_stream=10)
    command = ["lint", str(dump), "--jobs", "1", "--format", "jsonl", "--page-timeout", "60"]
    clean = run_cli(*command, "-o", "clean.jsonl", cwd=tmp_path)
    assert clean.returncode == 1, clean.stderr
    process = subprocess.Popen(
        [sys.executable, "-m", "wikitools", *command, "--cache", "cache", "-o", "resumed.jsonl"],
        cwd=tmp_path, env=cli_env(), start_new_session=True, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    database = tmp_path / "cache" / "lint-cache.sqlite3"
    deadline = time.monotonic() + 120
    done = 0
    while process.poll() is None and time.monotonic() < deadline and done < 3:
        if database.exists():
            with contextlib.closing(sqlite3.connect(database)) as db, contextlib.suppress(sqlite3.Error):
                done = db.execute("SELECT count(*) FROM partitions").fetchone()[0]
        time.sleep(0.02)
    assert process.poll() is None, "the run ended before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert not (tmp_path / "resumed.jsonl").exists()  # output is written whole or not at all
    resumed = run_cli(*command, "--cache", "cache", "-o", "resumed.jsonl", cwd=tmp_path)
    assert resumed.returncode == 1, resumed.stderr
    assert (tmp_path / "resumed.jsonl").read_bytes() == (tmp_path / "clean.jsonl").read_bytes()
    assert "from the cache" in resumed.stderr


def test_a_big_client_does_not_make_its_workers_look_big(tmp_path: Path) -> None:
    """A worker's memory is its own: not the client's at the moment it was started."""
    _, reference = _dumps(tmp_path, "")
    ballast = bytearray(300 * 2**20)  # the client holds 300 MB while it starts its workers
    ballast[::4096] = b"x" * len(ballast[::4096])  # touched, so resident
    output = lint_text(reference, max_memory=200, jobs=1)
    del ballast
    assert "set_aside" not in output and output == lint_text(reference)


def _with_bomb(directory: Path) -> tuple[Path, Path]:
    """A dump of pages 1–30 whose second stream (pages 11–20) is replaced by a bzip2 bomb: a few KB
    that decompress to one page of 400 MB; and the dump without those pages."""
    pages = make_pages(30)
    (directory / "bomb").mkdir()
    (directory / "reference").mkdir()
    dump = build_dump(directory / "bomb", pages, per_stream=10)
    reference = build_dump(directory / "reference", [*pages[:10], *pages[20:]], per_stream=10)
    start = b"  <page>\n    <title>Page 15</title>\n    <ns>0</ns>\n    <id>15</id>\n    <revision>\n"
    start += b'      <id>100015</id>\n      <text xml:space="preserve">'
    bomb = bz2.compress(start) + bz2.compress(b"a" * (16 << 20)) * 25  # bzip2 streams concatenate
    bomb += bz2.compress(b"</text>\n    </revision>\n  </page>\n")
    replace_stream(dump, 1, bomb, keep_ids={"15"})
    return dump, reference


@pytest.mark.parametrize(
    ("limits", "reason"),
    [
        ({"max_memory": 200, "page_timeout": 60}, "reading used more than 200 MB"),
        ({"max_memory": 4000, "page_timeout": 0.5}, "reading took longer than 0.5 s"),
    ],
)
def test_a_stream_that_explodes_when_decompressed_is_set_aside(
    tmp_path: Path, limits: dict[str, float], reason: str
) -> None:
    dump, reference = _with_bomb(tmp_path)
    started = time.monotonic()
    out = io.StringIO()
    summary = lint_dump([dump], out, jobs=1, **limits)  # type: ignore[arg-type]
    assert time.monotonic() - started < 30
    lines = out.getvalue().splitlines(keepends=True)
    where = f"{dump.resolve()} (bytes {read_streams(dump, index_path_for(dump))[0][1].start}–"
    [aside] = [json.loads(line) for line in lines if "partition" in line]
    assert aside["partition"].startswith(where) and aside["set_aside"] == reason
    assert "".join(line for line in lines if "partition" not in line) == lint_text(reference)
    assert summary.partitions_set_aside == [f"{aside['partition']}: {reason}"]
    assert summary.errors == [] and summary.pages == 20
