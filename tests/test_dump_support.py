"""Shared pieces of the dump tests: generated pages, multistream dumps built from them, the CLI."""

from __future__ import annotations

import bz2
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from wikitools.dump import lint_dump
from wikitools.formats.multistream import index_path_for, read_streams, write_multistream
from wikitools.model import Page, Revision

SRC = str(Path(__file__).resolve().parents[1] / "src")
# 400 KB of headings: the lint engine takes about a second and ~130 MB on it (a finding per heading).
HEAVY_TEXT = "== h ==\n" * 50_000
# 1.6 MB of headings: about five seconds.
SLOW_TEXT = "== h ==\n" * 200_000


def page_text(number: int, version: int = 0) -> str:
    """Small wikitext with a few findings that depend on the page: a self-link, an empty section,
    a skipped heading level on some pages."""
    lines = [f"'''Page {number}''' is page number {number} (version {version}). See [[Page {number}]]."]
    if number % 3 == 0:
        lines.append("=== Skipped level ===\nText.")
    lines.append("== Empty ==")
    if number % 4 == 0:
        lines.append("== History ==\nSome [[Page 1|history]] here.")
    return "\n".join(lines) + "\n"


def make_page(number: int, text: str | None = None, *, namespace: int = 0, title: str | None = None) -> Page:
    name = title or (f"Talk:Page {number}" if namespace == 1 else f"Page {number}")
    revision = Revision(
        id=100_000 + number,
        text=page_text(number) if text is None else text,
        timestamp="2024-01-01T00:00:00Z",
    )
    return Page(title=name, namespace=namespace, id=number, revisions=(revision,))


def make_pages(count: int, *, talk_every: int = 7) -> list[Page]:
    """Pages 1..count; every ``talk_every``-th one in namespace 1."""
    return [make_page(n, namespace=1 if n % talk_every == 0 else 0) for n in range(1, count + 1)]


def build_dump(
    directory: Path, pages: Iterable[Page], *, name: str = "testwiki", per_stream: int = 10
) -> Path:
    """A multistream dump and its index (beside it, named as Wikimedia names them)."""
    path = directory / f"{name}-pages-articles-multistream.xml.bz2"
    write_multistream(pages, path, pages_per_stream=per_stream)
    return path


def replace_stream(dump: Path, number: int, data: bytes, *, keep_ids: set[str] | None = None) -> None:
    """Put ``data`` (bzip2) in place of page stream ``number`` of a multistream dump, and shift the
    index to match; with ``keep_ids``, only those pages of the stream stay in the index."""
    streams, _ = read_streams(dump, index_path_for(dump))
    old = streams[number]
    content = dump.read_bytes()
    dump.write_bytes(content[: old.start] + data + content[old.end :])
    shift = len(data) - (old.end - old.start)
    index = index_path_for(dump)
    lines = []
    for line in bz2.decompress(index.read_bytes()).decode().splitlines():
        offset, page_id, title = line.split(":", 2)
        if old.start < int(offset):
            offset = str(int(offset) + shift)
        if int(offset) != old.start or keep_ids is None or page_id in keep_ids:
            lines.append(f"{offset}:{page_id}:{title}\n")
    index.write_bytes(bz2.compress("".join(lines).encode()))


def lint_text(path: Path, **options: object) -> str:
    """What ``lint_dump`` writes for ``path`` (JSON Lines)."""
    out = io.StringIO()
    lint_dump([path], out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def check_set_aside(output: str, reference: str, reason: str, bad: int) -> None:
    """``output`` is ``reference`` with page ``bad`` (built by :func:`make_page`) set aside for ``reason``."""
    lines = output.splitlines(keepends=True)
    aside = [line for line in lines if json.loads(line)["page_id"] == bad]
    assert [json.loads(line) for line in aside] == [
        {"page_id": bad, "rev_id": 100_000 + bad, "title": f"Page {bad}", "set_aside": reason}
    ]
    assert "".join(line for line in lines if line not in aside) == reference


def _children_rss_mb() -> dict[int, float]:
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(stat[1]) != os.getpid():
                continue
            status = (entry / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                found[int(entry.name)] = int(line.split()[1]) / 1024
    return found


def kill_big_child(run: threading.Thread, mb: float) -> int | None:
    """SIGKILL the first child process of this one to grow past ``mb`` MB while ``run`` runs (within a
    minute); its pid, or ``None``."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and run.is_alive():
        for pid, rss in _children_rss_mb().items():
            if rss > mb:
                os.kill(pid, signal.SIGKILL)
                return pid
        time.sleep(0.02)
    return None


def cli_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (SRC, os.environ.get("PYTHONPATH")) if p)}


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wikitools", *args], cwd=cwd, env=cli_env(), capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
