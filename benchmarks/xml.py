"""XML reader benchmark: wikitools' streaming reader beside a bare lxml ``iterparse`` loop, same run.

    python3 benchmarks/xml.py [--corpus /work/shared/corpus] [--repeat 3] [--scale 3]

Every measurement runs in a fresh Python process, so its peak resident memory (``ru_maxrss``) is its
own. The bare loop is the least a streaming reader can do: ``iterparse(events=("end",),
tag="{*}page")``, clearing each page and dropping it from the root; it extracts nothing. wikitools builds
a :class:`~wikitools.model.Page` per page with every field and checks each text's sha1 and size.

Three measurements, each with the best time of ``--repeat`` alternating runs:

1. each corpus file as stored (bz2/xz; both sides decompress the same way);
2. the multilang corpus decompressed into one document (about 105 MB): the parser alone;
3. that document's pages repeated ``--scale`` times in one stream: peak memory must not grow.

Throughput is MB of XML (decompressed) per second.

    python3 benchmarks/xml.py --check [--corpus DIR]

reads every export file under the corpus with the default reader instead, and prints its pages and
warnings; it exits 1 if any file fails to read.
"""

from __future__ import annotations

import argparse
import bz2
import io
import json
import lzma
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

from lxml import etree

from wikitools.errors import WikitoolsError
from wikitools.formats.xml_read import iter_pages

DEFAULT_CORPUS = Path("/work/shared/corpus")
TOOLS = ("wikitools", "wikitools-noverify")  # the default reader; the same with verify=False


class _Ranges(io.RawIOBase):
    """One file's byte ranges read one after another, as a single stream."""

    def __init__(self, path: Path, ranges: list[tuple[int, int]]) -> None:
        super().__init__()
        self.handle = path.open("rb")
        self.ranges = list(ranges)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while self.ranges:
            start, end = self.ranges[0]
            if start >= end:
                self.ranges.pop(0)
                continue
            self.handle.seek(start)
            data = self.handle.read(min(len(buffer), end - start))
            self.ranges[0] = (start + len(data), end)
            buffer[: len(data)] = data
            return len(data)
        return 0


def _open_source(spec: str) -> IO[bytes]:
    """``PATH`` (decompressed by its first bytes) or ``PATH@start:end,start:end,...`` (byte ranges)."""
    if "@" in spec:
        path, ranges = spec.split("@", 1)
        pairs = [tuple(int(x) for x in part.split(":")) for part in ranges.split(",")]
        return io.BufferedReader(_Ranges(Path(path), pairs), buffer_size=1 << 16)  # type: ignore[arg-type]
    with open(spec, "rb") as probe:
        head = probe.read(6)
    if head.startswith(b"BZh"):
        return bz2.open(spec, "rb")
    if head.startswith(b"\xfd7zXZ"):
        return lzma.open(spec, "rb")
    return open(spec, "rb")


def _worker(tool: str, specs: list[str]) -> None:
    pages = 0
    started = time.perf_counter()
    for spec in specs:
        with _open_source(spec) as stream:
            if tool == "bare":
                for _, element in etree.iterparse(stream, events=("end",), tag="{*}page"):
                    pages += 1
                    element.clear()
                    while element.getprevious() is not None:
                        del element.getparent()[0]
            else:
                warnings: list[str] = []
                verify = tool == "wikitools"
                pages += sum(1 for _ in iter_pages(stream, on_warning=warnings.append, verify=verify))
    seconds = time.perf_counter() - started
    peak_kb = _peak_rss_kb()
    print(json.dumps({"pages": pages, "seconds": seconds, "peak_kb": peak_kb}))


def _peak_rss_kb() -> int:
    """This process's peak resident memory. Not ``ru_maxrss``: Linux carries that over from the parent
    across fork and exec, so a child started by a big parent would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _measure(tool: str, specs: list[str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", tool, *specs], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def _compare(
    label: str, specs: list[str], xml_bytes: int, repeat: int, tool: str = "wikitools"
) -> dict[str, dict[str, float]]:
    best: dict[str, dict[str, float]] = {}
    for _ in range(repeat):
        for tool_name in ("bare", tool):
            result = _measure(tool_name, specs)
            kept = best.setdefault("bare" if tool_name == "bare" else "wikitools", result)
            kept["seconds"] = min(kept["seconds"], result["seconds"])
            kept["peak_kb"] = max(kept["peak_kb"], result["peak_kb"])
    bare, ours = best["bare"], best["wikitools"]
    if bare["pages"] != ours["pages"]:
        raise SystemExit(f"{label}: page counts differ: bare {bare['pages']}, wikitools {ours['pages']}")
    mb = xml_bytes / 1e6
    cells = [
        label,
        f"{mb:.1f}",
        f"{ours['pages']:,}",
        f"{mb / bare['seconds']:.0f}",
        f"{mb / ours['seconds']:.0f}",
        f"{bare['seconds'] / ours['seconds']:.2f}x",
        f"{bare['peak_kb'] / 1024:.0f}",
        f"{ours['peak_kb'] / 1024:.0f}",
    ]
    print("| " + " | ".join(cells) + " |", flush=True)
    return best


def _decompressed(path: Path) -> bytes:
    with _open_source(str(path)) as stream:
        return stream.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool (best kept)")
    parser.add_argument("--scale", type=int, default=3, help="page repeats in measurement 3")
    parser.add_argument("--check", action="store_true", help="read every corpus file; report errors")
    parser.add_argument("--worker", choices=("bare", *TOOLS), help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.worker:
        _worker(args.worker, rest)
        return
    if args.check:
        raise SystemExit(_check(args.corpus))

    files = sorted(args.corpus.glob("*.bz2")) + sorted((args.corpus / "multilang").glob("*.xml.xz"))
    if not files:
        raise SystemExit(f"no corpus files under {args.corpus}")
    print(
        "| input | XML MB | pages | bare lxml MB/s | wikitools MB/s | ratio "
        "| bare peak MB | wikitools peak MB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    sizes = {}
    for path in files:
        sizes[path] = len(_decompressed(path))
        _compare(f"{path.name} (as stored)", [str(path)], sizes[path], args.repeat)

    multilang = [p for p in files if p.parent.name == "multilang"]
    with tempfile.TemporaryDirectory() as tmp:
        merged = Path(tmp) / "multilang.xml"
        body_start, body_end = _merge(multilang, merged)
        total = merged.stat().st_size
        _compare("multilang, decompressed, one document", [str(merged)], total, args.repeat)
        _compare("same, verify=False", [str(merged)], total, args.repeat, "wikitools-noverify")
        body = f"{body_start}:{body_end}"
        small = f"{merged}@0:{body_start},{body},{body_end}:{total}"
        large = f"{merged}@0:{body_start}," + ",".join([body] * args.scale) + f",{body_end}:{total}"
        one = _compare("multilang pages x1, one stream", [small], total, args.repeat)
        scaled_bytes = total + (args.scale - 1) * (body_end - body_start)
        many = _compare(f"multilang pages x{args.scale}, one stream", [large], scaled_bytes, args.repeat)
    growth = (many["wikitools"]["peak_kb"] - one["wikitools"]["peak_kb"]) / 1024
    print(f"\nwikitools peak memory grew by {growth:+.1f} MB when the input grew {args.scale}x")


def _check(corpus: Path) -> int:
    """Read every export file under ``corpus``; the number of files that failed."""
    failed = 0
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and re.search(r"\.(xml|bz2|gz|xz)$", p.name))
    for path in files:
        warnings: list[str] = []
        try:
            pages = sum(1 for _ in iter_pages(path, on_warning=warnings.append))
        except WikitoolsError as error:
            failed += 1
            print(f"FAILED {error}")
            continue
        print(f"ok {path.relative_to(corpus)}: {pages} pages, {len(warnings)} warnings")
        for message in warnings:
            print(f"   warning: {message.removeprefix(str(path) + ': ')}")
    print(f"{len(files) - failed} of {len(files)} files read without error")
    return 1 if failed else 0


def _merge(files: list[Path], target: Path) -> tuple[int, int]:
    """Write the pages of ``files`` as one export document; return where its pages start and end."""
    first_page = re.compile(rb"\n  <page>")
    with target.open("wb") as out:
        for index, path in enumerate(files):
            data = _decompressed(path)
            start = first_page.search(data).start() + 1  # type: ignore[union-attr]
            end = data.rindex(b"</mediawiki>")
            if index == 0:
                out.write(data[:start])
                body_start = out.tell()
            out.write(data[start:end])
        body_end = out.tell()
        out.write(b"</mediawiki>\n")
    return body_start, body_end


if __name__ == "__main__":
    main()
