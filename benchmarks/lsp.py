"""``wikitools lsp`` latency and memory, over stdio with a real JSON-RPC client, beside peers in the same run.

Usage: python benchmarks/lsp.py [--corpus DIR] [--files N] [--edits N] [--requests N] [--skip-folder]

1. Diagnostics: a real article cut to 100 KB is opened, then edited ``--edits`` times (one character
   typed at a random place, incremental sync, each edit waiting for its diagnostics) 100 ms after the
   previous answer (typing), then ``--edits`` times more with no pause (a burst, which the server
   debounces); the time from ``didChange`` to the ``publishDiagnostics`` of that version, p50/p95.
   Peers: the same page linted in this process with the pure ``lint_page`` (what the server cannot go
   below), and one ``wikitools lint FILE`` process (what a plugin re-running the CLI on each change pays).
2. Folder: ``--files`` real articles (the corpus, cycled under new titles) written as ``.wiki`` files;
   the server's start (initialize until the first folder answer), then ``--requests`` completions
   (``[[`` plus two letters), references (to the most linked titles) and renames (of linked pages), p50/p95,
   and the server's resident memory. Peer for references: ``grep -rlF '[[Title'`` over the folder.

Reads the corpus from ``/work/shared/corpus`` (or ``--corpus``); writes only to a temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

from wikitools.formats.xml_read import iter_pages
from wikitools.lint import LintConfig, lint_page
from wikitools.lint.scan import PageScan
from wikitools.titles import title_to_filename

HERE = Path(__file__).resolve()
DEFAULT_CORPUS = next(
    (p / "shared" / "corpus" for p in HERE.parents if (p / "shared" / "corpus").is_dir()), None
)
SERVER = [sys.executable, "-m", "wikitools", "lsp"]
PAGE_BYTES = 100_000
TYPING_PAUSE = 0.1  # seconds between two keys: a fast typist


def corpus_pages(corpus: Path) -> Iterator[tuple[str, str]]:
    files = sorted(corpus.glob("*.bz2")) + sorted((corpus / "multilang").glob("*.xml.xz"))
    for path in files:
        for page in iter_pages(path, latest_only=True, on_warning=lambda _message: None):
            if page.latest is not None and page.latest.model == "wikitext" and not page.redirect:
                yield page.title, page.latest.text


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000


def row(name: str, samples: list[float], peer: float | None = None) -> str:
    p50, p95 = percentiles(samples)
    ratio = f"{p50 / (peer * 1000):8.2f}x" if peer else ""
    return f"  {name:<44} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms {ratio}"


class Client:
    """A pygls client driving one server process, recording the diagnostics' versions."""

    def __init__(self) -> None:
        self.lsp = LanguageClient("wikitools-benchmark", "1")
        self.versions: dict[str, asyncio.Future[int]] = {}

        @self.lsp.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def diagnostics(params: types.PublishDiagnosticsParams) -> None:
            waiting = self.versions.get(params.uri)
            if waiting is not None and not waiting.done() and params.version == self.expected.get(params.uri):
                waiting.set_result(len(params.diagnostics))

        self.expected: dict[str, int | None] = {}

    async def start(self, root: Path, options: dict[str, Any] | None = None) -> None:
        await self.lsp.start_io(*SERVER)
        await self.lsp.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(),
                root_uri=from_fs_path(str(root)),
                initialization_options=options or {},
            )
        )
        self.lsp.initialized(types.InitializedParams())

    def expect(self, uri: str, version: int) -> asyncio.Future[int]:
        self.expected[uri] = version
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.versions[uri] = future
        return future

    @property
    def pid(self) -> int:
        assert self.lsp._server is not None
        return self.lsp._server.pid

    async def stop(self) -> None:
        await self.lsp.shutdown_async(None)
        self.lsp.exit(None)
        await self.lsp.stop()


def memory_mb(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory of a process, in MB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def timed(samples: list[float], request: Callable[[], Awaitable[Any]]) -> Any:
    started = time.perf_counter()
    answer = await request()
    samples.append(time.perf_counter() - started)
    return answer


async def diagnostics_latency(title: str, text: str, edits: int, work: Path) -> None:
    size = len(text.encode("utf-8"))
    print(f"== didChange -> publishDiagnostics: {title!r}, {size:,} bytes, {edits} edits ==")
    path = work / "page" / title_to_filename(title)
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    uri = from_fs_path(str(path))
    client = Client()
    await client.start(path.parent)
    opened = client.expect(uri, 1)
    client.lsp.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "wikitext", 1, text))
    )
    found = await asyncio.wait_for(opened, 60)
    rng = random.Random(13)
    lines = text.split("\n")
    version = 1
    runs: dict[float, list[float]] = {}
    for pause in (TYPING_PAUSE, 0.0):
        samples = runs[pause] = []
        for _ in range(edits):
            version += 1
            line = rng.randrange(len(lines))
            column = rng.randrange(len(lines[line]) + 1)
            lines[line] = lines[line][:column] + "x" + lines[line][column:]
            at = types.Position(line, len(lines[line][:column].encode("utf-16-le")) // 2)
            await asyncio.sleep(pause)
            waiting = client.expect(uri, version)
            started = time.perf_counter()
            client.lsp.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    types.VersionedTextDocumentIdentifier(version=version, uri=uri),
                    [types.TextDocumentContentChangePartial(range=types.Range(at, at), text="x")],
                )
            )
            await asyncio.wait_for(waiting, 60)
            samples.append(time.perf_counter() - started)
    rss, peak = memory_mb(client.pid)
    await client.stop()
    options = LintConfig().options()
    inline = []
    for _ in range(20):
        started = time.perf_counter()
        lint_page(text, title, options, path=str(path))
        inline.append(time.perf_counter() - started)
    cli = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "wikitools", "lint", str(path)], capture_output=True, check=False
        )
        cli.append(time.perf_counter() - started)
    inline_p50 = statistics.median(inline)
    print(f"  diagnostics per version: {found} on open; server memory {rss:.0f} MB (peak {peak:.0f} MB)")
    for pause, samples in runs.items():
        name = f"server, typing ({pause * 1000:.0f} ms between keys)" if pause else "server, burst (no pause)"
        print(row(name, samples, inline_p50) + "  (ratio: to lint_page)")
    print(row("peer: lint_page in process (no server)", inline))
    print(row("peer: `wikitools lint FILE` process", cli, inline_p50) + "  (ratio: to lint_page)")


def write_folder(root: Path, files: int, pages: list[tuple[str, str]]) -> tuple[Counter[str], list[str]]:
    """``files`` .wiki files cycling the corpus pages; the most linked titles and every file's title."""
    root.mkdir()
    linked: Counter[str] = Counter()
    titles = []
    for index in range(files):
        title, text = pages[index % len(pages)]
        if index >= len(pages):
            title = f"{title} (copy {index // len(pages) + 1})"
        (root / title_to_filename(title)).write_text(text, encoding="utf-8")
        titles.append(title)
        if index < len(pages):
            linked.update({link.title for link in PageScan(text).article_links})
    return linked, titles


async def folder_requests(pages: list[tuple[str, str]], files: int, requests: int, work: Path) -> None:
    root = work / "folder"
    linked, titles = write_folder(root, files, pages)
    size = sum(p.stat().st_size for p in root.iterdir())
    print(f"== A folder of {files:,} articles ({size / 1e6:.0f} MB of wikitext), {requests} requests each ==")
    client = Client()
    started = time.perf_counter()
    await client.start(root, {"debounce": 0})
    probe = root / "Probe.wiki"
    probe_text = "\n".join(f"[[{title}]]" for title, _count in linked.most_common(requests)) + "\n[[Ab\n"
    probe_uri = from_fs_path(str(probe))
    opened = client.expect(probe_uri, 1)
    client.lsp.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(probe_uri, "wikitext", 1, probe_text))
    )
    await asyncio.wait_for(opened, 60)
    document = types.TextDocumentIdentifier(probe_uri)
    first = await client.lsp.text_document_references_async(
        types.ReferenceParams(
            text_document=document, position=types.Position(0, 3), context=types.ReferenceContext(False)
        )
    )
    print(f"  start: initialize until the first references answer {time.perf_counter() - started:.1f} s")
    rss, _peak = memory_mb(client.pid)
    rng = random.Random(7)
    prefixes = [
        "".join(rng.sample(sorted({t[:2] for t in titles if t[:2].isalpha()}), 1)) for _ in range(requests)
    ]
    completion: list[float] = []
    answers = 0
    last_line = probe_text.count("\n") - 1
    for version, prefix in enumerate(prefixes, start=2):
        change = types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(last_line, 2), types.Position(last_line, 4)), text=prefix
        )
        client.lsp.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(version=version, uri=probe_uri), [change]
            )
        )
        found = await timed(
            completion,
            lambda: client.lsp.text_document_completion_async(
                types.CompletionParams(document, types.Position(last_line, 4))
            ),
        )
        answers += len(found.items) if found else 0
    references: list[float] = []
    locations = 0
    for line in range(requests):
        found = await timed(
            references,
            lambda line=line: client.lsp.text_document_references_async(
                types.ReferenceParams(
                    text_document=document,
                    position=types.Position(line, 3),
                    context=types.ReferenceContext(False),
                )
            ),
        )
        locations += len(found or [])
    renames: list[float] = []
    edits = 0
    for line in range(min(requests, 20)):
        answer = await timed(
            renames,
            lambda line=line: client.lsp.text_document_rename_async(
                types.RenameParams(
                    text_document=document, position=types.Position(line, 3), new_name=f"Renamed {line}"
                )
            ),
        )
        edits += sum(len(c.edits) for c in answer.document_changes if isinstance(c, types.TextDocumentEdit))
    after_rss, after_peak = memory_mb(client.pid)
    await client.stop()
    grep: list[float] = []
    for title, _count in linked.most_common(min(requests, 10)):
        started = time.perf_counter()
        subprocess.run(["grep", "-rlF", f"[[{title}", str(root)], capture_output=True, check=False)
        grep.append(time.perf_counter() - started)
    grep_p50 = statistics.median(grep)
    print(f"  first answer: {len(first or [])} references to {linked.most_common(1)[0][0]!r}")
    print(
        row("completion ([[ + 2 letters)", completion) + f"  ({answers / len(prefixes):.0f} items on average)"
    )
    print(row("references (most linked titles)", references, grep_p50) + f"  ({locations / requests:.0f} "
          "locations on average; ratio: to grep)")  # fmt: skip
    print(row("rename (linked pages)", renames) + f"  ({edits / len(renames):.0f} link edits on average)")
    print(row("peer: grep -rlF '[[Title' over the folder", grep))
    print(f"  server memory after start {rss:.0f} MB, after the requests {after_rss:.0f} MB", end="")
    print(f" (peak {after_peak:.0f} MB)")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, required=DEFAULT_CORPUS is None)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--skip-folder", action="store_true")
    args = parser.parse_args()
    pages = list(corpus_pages(args.corpus))
    title, text = min(
        ((t, x) for t, x in pages if len(x.encode("utf-8")) >= PAGE_BYTES),
        key=lambda p: len(p[1].encode("utf-8")),
    )
    text = text.encode("utf-8")[:PAGE_BYTES].decode("utf-8", "ignore")
    with tempfile.TemporaryDirectory(prefix="wikitools-lsp-bench-") as work:
        await diagnostics_latency(title, text, args.edits, Path(work))
        if not args.skip_folder:
            await folder_requests(pages, args.files, args.requests, Path(work))


if __name__ == "__main__":
    asyncio.run(main())
