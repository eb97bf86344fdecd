"""Lint throughput, headings found and memory, beside a bare ``mwparserfromhell.parse`` of the same pages.

Usage: python benchmarks/lint.py [--corpus DIR] [--skip-throughput] [--skip-jobs] [--skip-memory]
                                 [--repeat N] [--fix-check]

1. Throughput (CPU time of this process, so a loaded machine skews it less): each corpus file's pages
   are read once into memory (XML reading is not timed);
   then every page is linted with every page rule (``lint_page``) and, in the same run, parsed with
   ``mwparserfromhell.parse``. MB are UTF-8 bytes of wikitext.
2. Headings: the lint scan's headings against mwparserfromhell's top-level headings (which lose the
   headings after an unclosed ``''``) and its recursive ones (every heading node anywhere in the tree).
3. ``--jobs``: the whole multilang corpus through :func:`wikitools.lint.lint_paths` (XML read, lint,
   report to nowhere) with 1 and with 2 processes, alternating, best of ``--repeat`` runs each (the
   machine may be shared: a busy-loop control says how much of a second core it gave meanwhile).
4. Peak memory: maximum resident set size of a child process that streams the pages of one file and of
   every file through lint, and through the bare parse: flat means the same peak for 1 file and for 8.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import mwparserfromhell

from wikitools.formats.xml_common import redirect_target
from wikitools.formats.xml_read import iter_pages
from wikitools.lint import Finding, LintConfig, LintOptions, RunSummary, lint_paths
from wikitools.lint.engine import PageInput, lint_input
from wikitools.lint.fixes import fix_text
from wikitools.lint.reporters import make_reporter
from wikitools.lint.scan import PageScan

OPTIONS = LintOptions()
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("*.bz2")) + sorted((corpus / "multilang").glob("*.xml.xz"))


def load(path: Path) -> list[PageInput]:
    pages = iter_pages(path, latest_only=True, on_warning=lambda _message: None)
    return [
        PageInput(path.name, p.latest.text, p.title, p.namespace, redirect_to=p.redirect, fix_path=path.name)
        for p in pages
        if p.latest is not None and p.latest.model == "wikitext"
    ]


def throughput(files: list[Path]) -> None:
    print("== Throughput (same pages, same run) ==")
    print(f"{'file':<48} {'pages':>6} {'MB':>7} {'lint MB/s':>10} {'parse MB/s':>11} {'ratio':>6}")
    totals = {"pages": 0, "bytes": 0, "lint": 0.0, "parse": 0.0, "ours": 0, "broken": 0, "top": 0, "all": 0}
    totals["short"] = 0
    for path in files:
        pages = load(path)
        size = sum(len(page.text.encode("utf-8")) for page in pages)
        start = time.process_time()
        for page in pages:
            lint_input(page, OPTIONS)
        lint_time = time.process_time() - start
        parse_time = 0.0
        for page in pages:
            # Each tree is dropped before the next parse, as lint drops its scan: keeping thousands of live
            # trees makes the garbage collector's full passes walk them all and nearly doubles the parse time.
            start = time.process_time()
            tree = mwparserfromhell.parse(page.text)
            parse_time += time.process_time() - start
            scan = PageScan(page.text)
            every = len(tree.filter_headings())
            totals["ours"] += len(scan.headings)
            totals["broken"] += len(scan.broken_headings)
            totals["top"] += len(tree.filter_headings(recursive=False))
            totals["all"] += every
            totals["short"] += every > len(scan.headings) + len(scan.broken_headings)
        totals["pages"] += len(pages)
        totals["bytes"] += size
        totals["lint"] += lint_time
        totals["parse"] += parse_time
        mb = size / 1e6
        print(
            f"{path.name:<48} {len(pages):>6} {mb:>7.1f} {mb / lint_time:>10.2f} {mb / parse_time:>11.2f} "
            f"{parse_time / lint_time:>5.1f}x"
        )
    mb = totals["bytes"] / 1e6
    print(
        f"{'all':<48} {totals['pages']:>6} {mb:>7.1f} {mb / totals['lint']:>10.2f} "
        f"{mb / totals['parse']:>11.2f} {totals['parse'] / totals['lint']:>5.1f}x"
    )
    print(
        f"pages/s: lint {totals['pages'] / totals['lint']:.0f}, parse {totals['pages'] / totals['parse']:.0f}"
    )
    print(
        f"headings: lint {totals['ours']} rendered + {totals['broken']} broken heading lines reported; "
        f"mwparserfromhell top-level {totals['top']}, recursive {totals['all']}"
    )
    print(f"pages where the recursive tree has more headings than lint found or reported: {totals['short']}")


def jobs(files: list[Path], repeat: int) -> None:
    multilang = [str(f) for f in files if f.parent.name == "multilang"]
    print(f"== --jobs on the multilang corpus (read + lint + report), best of {repeat} alternating runs ==")
    cpus, load = len(os.sched_getaffinity(0)), os.getloadavg()[0]
    print(f"CPUs available to this process: {cpus}; load average before: {load:.2f}")
    best: dict[int, tuple[float, float]] = {}
    for _ in range(repeat):
        for processes in (1, 2):
            before, start = os.times(), time.perf_counter()
            summary = RunSummary()
            reporter = make_reporter("json", io.StringIO())
            reporter.start()
            for result in lint_paths(multilang, LintConfig(), processes=processes):
                summary.add(result)
                reporter.handle(result)
            reporter.finish()
            wall = time.perf_counter() - start
            after = os.times()
            cpu = sum(after[i] - before[i] for i in range(4))  # user + system, this process and its workers
            if processes not in best or wall < best[processes][0]:
                best[processes] = (wall, cpu)
    for processes, (wall, cpu) in sorted(best.items()):
        print(
            f"--jobs {processes}: {wall:.1f} s wall, {cpu:.1f} s CPU ({cpu / wall:.2f} cores busy), "
            f"{summary.pages} pages, {summary.findings} findings"
        )
    print(f"speed-up --jobs 2 / --jobs 1: {best[1][0] / best[2][0]:.2f}x")
    control = busy_loop_speedup()
    print(f"control: a pure-Python busy loop runs {control:.2f}x faster in 2 processes than in 1 right now")


def _busy(_: int) -> int:
    total = 0
    for i in range(15_000_000):
        total += i
    return total


def busy_loop_speedup() -> float:
    """How much parallelism the machine gives right now (2.0 on two idle cores)."""
    start = time.perf_counter()
    _busy(0), _busy(0)
    serial = time.perf_counter() - start
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_busy, [0, 0])
    return serial / (time.perf_counter() - start)


def fix_check(files: list[Path]) -> None:
    """Apply --fix's logic to every page: a second pass must change nothing, and no heading or link may
    disappear except the See also entries S104/S105 remove."""
    print("== --fix on every page (in memory) ==")
    pages = changed = 0
    fixed_codes: Counter[str] = Counter()
    problems: list[str] = []
    for path in files:
        for page in load(path):
            if page.redirect_to is not None or redirect_target(page.text):
                continue
            title, text = page.title, page.text

            def lint(version: str, page: PageInput = page) -> list[Finding]:
                return lint_input(replace(page, text=version), OPTIONS).findings

            before = lint(text)
            pages += 1
            fixed, count = fix_text(text, lint)
            if not count:
                continue
            changed += 1
            fixed_codes.update(f.code for f in before if f.fixable)
            if fix_text(fixed, lint)[1]:
                problems.append(f"{title}: a second --fix changes it again")
            old, new = PageScan(text), PageScan(fixed)
            removed = sum(f.code in ("S104", "S105") for f in before)
            if len(new.headings) < len(old.headings):
                problems.append(f"{title}: lost a heading")
            if _links(new) < _links(old) - removed:
                problems.append(f"{title}: lost a link")
    print(f"{changed} of {pages} pages changed; fixes offered: {dict(fixed_codes.most_common())}")
    print(f"problems: {problems or 'none'}")


def _links(scan: PageScan) -> int:
    return sum(link.kind in ("article", "section") for link in scan.links)


def probe(kind: str, paths: list[str]) -> None:
    """Child process: stream the pages of ``paths`` through lint or the parse; print peak RSS in MB."""
    for path in paths:
        for page in iter_pages(path, latest_only=True, on_warning=lambda _message: None):
            if page.latest is None:
                continue
            if kind == "lint":
                lint_input(PageInput(path, page.latest.text, page.title, page.namespace), OPTIONS)
            else:
                mwparserfromhell.parse(page.latest.text)
    print(peak_resident_mb())


def peak_resident_mb() -> float:
    """This process's peak resident set (VmHWM: unlike ru_maxrss it does not carry the parent's peak
    over fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory(files: list[Path]) -> None:
    print("== Peak resident memory, streaming (child process, MB) ==")
    for kind in ("lint", "parse"):
        peaks = []
        for chosen in (files[:1], files):
            command = [sys.executable, __file__, "--probe", kind, *map(str, chosen)]
            peaks.append(float(subprocess.run(command, capture_output=True, text=True, check=True).stdout))
        print(f"{kind:<6} 1 file: {peaks[0]:.0f} MB   all {len(files)} files: {peaks[1]:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-jobs", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="alternating --jobs 1/2 runs (best is kept)")
    parser.add_argument("--fix-check", action="store_true", help="also check --fix on every page")
    parser.add_argument("--probe", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(args.probe[0], args.probe[1:])
        return
    files = corpus_files(args.corpus)
    if not files:
        sys.exit(f"no corpus files under {args.corpus}")
    if not args.skip_throughput:
        throughput(files)
    if not args.skip_jobs:
        jobs(files, args.repeat)
    if not args.skip_memory:
        memory(files)
    if args.fix_check:
        fix_check(files)


if __name__ == "__main__":
    main()
