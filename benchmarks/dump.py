"""Linting a whole dump: one core, two cores, Dask, an incremental re-run, worker memory, and WikiLint.

Usage: python benchmarks/dump.py [--corpus DIR] [--mb 500] [--workdir /tmp/wikitools-dump-bench]
                                 [--peer-mb 20] [--skip-peer] [--engines-only ROUNDS] [--breakdown-only]
                                 [--single-file-only] [--scaling-only ROUNDS [--big]]

1. Builds a multistream dump (``write_multistream``, 100 pages a stream, bzip2 level 9) of at least
   ``--mb`` MB of XML from the corpus pages, repeated under new ids and titles, under ``--workdir``
   (never in the repository); a second dump of one copy only, for memory; and a copy of the big dump
   with 1 % of its pages changed. Built once, reused by later runs.
2. Where one core's time goes, in CPU seconds of this process: bzip2, the page splitter, decoding
   and unescaping, ``lint_page``, and the lxml reader the splitter replaces.
3. In one run, through :func:`wikitools.dump.lint_dump` (findings written as JSON Lines to a file):
   ``--jobs 1`` (end to end: bzip2, XML, lint, output), ``--jobs 2``, a 2-worker Dask ``LocalCluster``
   (1 thread each), a full run that fills a cache, then the changed dump linted in full and
   incrementally from the cache (same output required). Each run reports wall time, the workers' CPU
   and this client process's CPU (a loaded machine stretches the wall time, not these). Peak memory
   is each worker process's maximum resident set, for the one-copy dump and the big one (flat: the
   same). Then the one-copy dump as a single file without its index against the multistream dump,
   ``--jobs 2`` each: the client's watched reader cutting one file into batches, against workers
   reading their own streams.
4. WikiLint (``npm install wikilint`` into ``~/.cache/wikitools-bench``) on the first ``--peer-mb`` MB of
   the same pages unpacked as ``.wiki`` files, one Node process, against ``lint_page`` on the same files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from wikitools.dump import DumpPage, lint_dump, lint_page
from wikitools.formats.multistream import write_multistream
from wikitools.formats.xml_read import iter_pages
from wikitools.model import Page, Revision

# ../shared/corpus from the main checkout, ../../shared/corpus from a worktree under /work/wt
DEFAULT_CORPUS = next(
    (p / "shared" / "corpus" for p in Path(__file__).resolve().parents if (p / "shared" / "corpus").is_dir()),
    Path("shared/corpus"),
)
PEER_DIR = Path.home() / ".cache" / "wikitools-bench"
PEER_SCRIPT = """const Parser = require('wikilint');
const fs = require('fs');
Parser.config = 'enwiki';
let findings = 0;
const start = process.hrtime.bigint();
for (const f of fs.readFileSync(process.argv[2], 'utf8').split('\\n').filter(Boolean)) {
  findings += Parser.parse(fs.readFileSync(f, 'utf8')).lint().length;
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.stdout.write(JSON.stringify({findings, seconds}));
"""


def corpus_pages(corpus: Path, *, english_only: bool = False) -> list[tuple[str, int, str]]:
    files = sorted(corpus.glob("*.bz2"))
    if not english_only:
        files += sorted((corpus / "multilang").glob("*.xml.xz"))
    pages = []
    for path in files:
        for page in iter_pages(path, latest_only=True, on_warning=lambda _message: None):
            if page.latest is not None and page.latest.model == "wikitext":
                pages.append((page.title, page.namespace, page.latest.text))
    return pages


def repeated(source: list[tuple[str, int, str]], copies: int, changed_every: int = 0) -> Iterator[Page]:
    """``copies`` copies of the corpus pages under new ids; every ``changed_every``-th page edited."""
    number = 0
    for copy in range(copies):
        for title, namespace, text in source:
            number += 1
            if changed_every and number % changed_every == 0:
                text += "\n\nChanged in the newer dump."
            revision = Revision(id=number, text=text, timestamp="2024-01-01T00:00:00Z")
            name = title if copy == 0 else f"{title} (copy {copy})"
            yield Page(title=name, namespace=namespace, id=number, revisions=(revision,))


def build(path: Path, pages: Iterator[Page]) -> Path:
    if not path.exists():
        started = time.perf_counter()
        count = write_multistream(pages, path)
        print(f"built {path.name}: {count:,} pages, {path.stat().st_size / 1e6:,.0f} MB bz2 "
              f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
    return path


def timed(label: str, path: Path, out: Path, **options: object) -> tuple[float, object]:
    """One ``lint_dump`` run; prints wall and CPU time (the workers' and this client process's)."""
    client = time.process_time()
    with out.open("w", encoding="utf-8") as stream:
        summary = lint_dump([path], stream, **options)  # type: ignore[arg-type]
    summary.client_cpu = time.process_time() - client  # type: ignore[attr-defined]
    seconds = summary.seconds
    mb = summary.xml_bytes / 1e6
    print(f"{label:<34} {seconds:6.1f} s {mb / seconds:5.1f} MB/s {summary.pages / seconds:6,.0f} pages/s | "
          f"CPU {summary.cpu_seconds:6.1f} s, {mb / max(summary.cpu_seconds, 1e-9):5.1f} MB/CPU-s, "
          f"client {summary.client_cpu:5.1f} s | "  # type: ignore[attr-defined]
          f"peak/worker {summary.peak_memory:4.0f} MB | "
          f"linted {summary.linted:,}, cached {summary.from_cache:,} | "
          f"load {os.getloadavg()[0]:.1f}")  # fmt: skip
    return seconds, summary


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def peer(source: list[tuple[str, int, str]], workdir: Path, megabytes: float) -> None:
    print(f"== WikiLint on the same pages as files (first {megabytes:g} MB of wikitext) ==")
    if shutil.which("npm") is None:
        print("npm not found: WikiLint skipped")
        return
    PEER_DIR.mkdir(parents=True, exist_ok=True)
    if not (PEER_DIR / "node_modules" / "wikilint").is_dir():
        subprocess.run(["npm", "install", "--silent", "wikilint"], cwd=PEER_DIR, check=True)
    (PEER_DIR / "dumpbench.js").write_text(PEER_SCRIPT)
    files = workdir / "files"
    shutil.rmtree(files, ignore_errors=True)
    files.mkdir()
    chosen: list[tuple[Path, DumpPage]] = []
    size = 0
    for number, (title, namespace, text) in enumerate(source, 1):
        if size >= megabytes * 1e6:
            break
        path = files / f"{number}.wiki"
        path.write_text(text, encoding="utf-8")
        chosen.append((path, DumpPage(number, number, title, namespace, text)))
        size += len(text.encode("utf-8"))
    listing = workdir / "files.txt"
    listing.write_text("\n".join(str(path) for path, _ in chosen))
    started = time.perf_counter()
    result = subprocess.run(
        ["node", str(PEER_DIR / "dumpbench.js"), str(listing)], capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - started
    figures = json.loads(result.stdout)
    started = time.perf_counter()
    ours = sum(len(lint_page(DumpPage(p.page_id, p.rev_id, p.title, p.namespace, path.read_text("utf-8"))))
               for path, p in chosen)  # fmt: skip
    our_seconds = time.perf_counter() - started
    mb = size / 1e6
    print(
        f"WikiLint: {len(chosen):,} files, {mb:.1f} MB: {figures['seconds']:.1f} s linting "
        f"({wall:.1f} s with Node start-up), {mb / figures['seconds']:.2f} MB/s, "
        f"{figures['findings']:,} findings"
    )
    print(f"wikitools lint_page on the same files: {our_seconds:.1f} s, {mb / our_seconds:.2f} MB/s, "
          f"{ours:,} findings; ratio {figures['seconds'] / our_seconds:.1f}x")  # fmt: skip


def breakdown(path: Path, partitions_wanted: int, rounds: int = 3) -> None:
    """Where one core's time goes, in this process, in CPU seconds (the least of ``rounds`` rounds,
    the steps interleaved, so that the machine's other load weighs on all alike): bzip2 alone; the
    byte-level page splitter; decoding and unescaping the texts; the whole reader (bzip2 and the
    splitter); lxml (the safe reader: bzip2, parsing, decoding) instead; and ``lint_page``, once."""
    from wikitools.dump import partitions
    from wikitools.dump.pagesplit import split_pages
    from wikitools.dump.partitions import PageReader
    from wikitools.formats.multistream import decompress_range, open_stream
    from wikitools.formats.xml_read import DumpReader

    parts = partitions([path])[:partitions_wanted]
    clock = time.process_time
    best: dict[str, float] = {}

    def step(name: str, work: Callable[[], object]) -> object:
        started = clock()
        result = work()
        best[name] = min(best.get(name, float("inf")), clock() - started)
        return result

    def lxml() -> None:
        for part in parts:
            stream = open_stream(part.source, part.start, part.end, part.header)  # type: ignore[arg-type]
            for _ in DumpReader(stream, latest_only=True, verify=False, on_warning=lambda _m: None):
                pass

    for _ in range(rounds):
        bodies: list[bytes] = step(  # type: ignore[assignment]
            "bzip2",
            lambda: [b"".join(decompress_range(p.source, p.start, p.end, skip_closing=True)) for p in parts],
        )
        split: list[object] = step("split", lambda b=bodies: [split_pages(body) for body in b])  # type: ignore[assignment]
        entries = step("reader", lambda: [e for part in parts for e in PageReader(part).entries()])
        pages = step("decode", lambda e=entries: [entry.page() for entry in e])  # type: ignore[attr-defined]
        step("lxml", lxml)
    step("lint", lambda: [lint_page(page) for page in pages])  # type: ignore[attr-defined]
    xml = sum(len(body) for body in bodies) / 1e6
    fast = sum(1 for found in split if found is not None)
    rate = {name: f"{seconds:.2f} s, {xml / seconds:.1f} MB/s" for name, seconds in best.items()}
    print(f"{path.name}, {len(parts)} streams ({fast} by the splitter), {xml:.1f} MB of XML, CPU: "
          f"bzip2 {rate['bzip2']}; split {rate['split']}; decode+unescape {rate['decode']}; "
          f"whole reader (bzip2 + split) {rate['reader']}; lxml reader instead {rate['lxml']}; "
          f"lint_page {rate['lint']}; all {xml / (best['reader'] + best['decode'] + best['lint']):.1f} MB/s, "
          f"all but lint {xml / (best['reader'] + best['decode']):.1f} MB/s")  # fmt: skip


def engines(path: Path, out: Path, rounds: int) -> None:
    """--jobs 2 against a 2-worker Dask LocalCluster, alternating, best of ``rounds`` each: the engine's
    overhead with the machine's other load spread over both."""
    from distributed import LocalCluster

    print(f"== --jobs 2 against Dask, alternating, best of {rounds} ({path.name}) ==")
    best = {"jobs": float("inf"), "dask": float("inf")}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        for _ in range(rounds):
            best["jobs"] = min(best["jobs"], timed("--jobs 2", path, out / "e-jobs.jsonl", jobs=2)[0])
            dask, _ = timed(
                "Dask, 2 workers", path, out / "e-dask.jsonl", scheduler=cluster.scheduler_address
            )
            best["dask"] = min(best["dask"], dask)
    print(f"Dask / --jobs 2, best times: {best['dask'] / best['jobs']:.2f} (target <= 1.10)")


def jobs_scaling(path: Path, out: Path, rounds: int) -> None:
    """--jobs 1 against --jobs 2, alternating, best of ``rounds`` each, with the load average before
    each run: the speed-up is only meaningful while nothing else wants the second core."""
    print(f"== --jobs 1 against --jobs 2, alternating, best of {rounds} ({path.name}) ==")
    best = {1: float("inf"), 2: float("inf")}
    for _ in range(rounds):
        for jobs in (1, 2):
            seconds, _ = timed(f"--jobs {jobs}", path, out / f"s-jobs{jobs}.jsonl", jobs=jobs)
            best[jobs] = min(best[jobs], seconds)
    same = digest(out / "s-jobs1.jsonl") == digest(out / "s-jobs2.jsonl")
    print(f"--jobs 2 / --jobs 1 speed-up, best times: {best[1] / best[2]:.2f}x (target >= 1.7x); "
          f"identical output: {same}")  # fmt: skip


def single_file(small: Path, out: Path) -> None:
    """The one-copy dump as an ordinary export file (its multistream bytes without the index: one
    bzip2 file to any reader), linted with --jobs 2: the client's watched reader cuts it into batches
    for the workers. Against the same pages as a multistream dump, which workers read on their own."""
    single = small.with_name("bench1-single.xml.bz2")
    if not single.exists():
        shutil.copyfile(small, single)
    print(f"== One file without an index against the multistream dump, --jobs 2 ({small.name}) ==")
    tm, _ = timed("--jobs 2, multistream", small, out / "multistream2.jsonl", jobs=2)
    ts, _ = timed("--jobs 2, a single file", single, out / "single2.jsonl", jobs=2)
    same = digest(out / "multistream2.jsonl") == digest(out / "single2.jsonl")
    print(f"single file / multistream: {ts / tm:.2f} of the time; identical output: {same}")


def main() -> None:
    # Run as a script, this folder is sys.path[0], and its xml.py would shadow the standard library's
    # xml package that Dask imports.
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--mb", type=float, default=500)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/wikitools-dump-bench"))
    parser.add_argument("--peer-mb", type=float, default=20)
    parser.add_argument("--skip-peer", action="store_true")
    parser.add_argument(
        "--engines-only",
        type=int,
        metavar="ROUNDS",
        help="only compare --jobs 2 and Dask on the one-copy dump",
    )
    parser.add_argument("--breakdown-only", action="store_true", help="only where one core's time goes")
    scaling_help = "only compare --jobs 1 and --jobs 2 on the one-copy dump (or the --mb dump with --big)"
    parser.add_argument("--scaling-only", type=int, metavar="ROUNDS", help=scaling_help)
    parser.add_argument("--big", action="store_true", help="--scaling-only on the --mb dump")
    parser.add_argument(
        "--single-file-only", action="store_true", help="only a single big file against the multistream dump"
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    source = corpus_pages(args.corpus)
    english_titles = {title for title, _, _ in corpus_pages(args.corpus, english_only=True)}
    if not source:
        raise SystemExit(f"no corpus pages in {args.corpus} (use --corpus DIR)")
    one_copy_mb = sum(len(text.encode("utf-8")) + 450 for _, _, text in source) / 1e6
    copies = max(1, int(-(-args.mb // one_copy_mb)))
    print(f"load {os.getloadavg()[0]:.1f}; corpus: {len(source):,} wikitext pages, "
          f"~{one_copy_mb:.0f} MB of XML a copy; {copies} copies; {os.cpu_count()} cores")  # fmt: skip
    small = build(args.workdir / "bench1-multistream.xml.bz2", repeated(source, 1))
    big = build(args.workdir / f"bench{copies}-multistream.xml.bz2", repeated(source, copies))
    newer = build(args.workdir / f"bench{copies}-newer-multistream.xml.bz2", repeated(source, copies, 100))
    out = args.workdir / "out"
    out.mkdir(exist_ok=True)
    if args.engines_only:
        engines(small, out, args.engines_only)
        return
    if args.scaling_only:
        jobs_scaling(big if args.big else small, out, args.scaling_only)
        return
    if args.single_file_only:
        single_file(small, out)
        return
    cache = args.workdir / "cache"
    cache_copy = args.workdir / "cache-copy"
    shutil.rmtree(cache, ignore_errors=True)

    english = build(
        args.workdir / "english-multistream.xml.bz2",
        repeated([p for p in source if p[0] in english_titles], 10),
    )
    print("== Where one core's time goes (this process) ==")
    breakdown(english, 10**6)
    breakdown(small, 10**6)
    if args.breakdown_only:
        return
    print("== One dump, same run ==")
    from distributed import LocalCluster

    timed("--jobs 1, one copy (memory)", small, out / "small.jsonl", jobs=1)
    t1, s1 = timed("--jobs 1", big, out / "jobs1.jsonl", jobs=1)
    t2, _ = timed("--jobs 2", big, out / "jobs2.jsonl", jobs=2)

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        td, _ = timed(
            "Dask LocalCluster, 2 workers", big, out / "dask.jsonl", scheduler=cluster.scheduler_address
        )
    same = digest(out / "jobs1.jsonl") == digest(out / "jobs2.jsonl") == digest(out / "dask.jsonl")
    single_file(small, out)
    timed("--jobs 2, filling the cache", big, out / "cached.jsonl", jobs=2, cache=cache)
    # full and incremental alternate, twice, each incremental run from a copy of the filled cache
    # (a run stores what it read: a second one would reuse whole streams); the best of each counts
    runs: dict[str, list[tuple[float, object]]] = {"full": [], "incremental": []}
    for order in (("full", "incremental"), ("incremental", "full")):
        for kind in order:
            if kind == "full":
                runs[kind].append(
                    timed("newer dump, --jobs 2, full", newer, out / "newer-full.jsonl", jobs=2)
                )
                continue
            shutil.rmtree(cache_copy, ignore_errors=True)
            shutil.copytree(cache, cache_copy)
            runs[kind].append(
                timed(
                    "newer dump, --jobs 2, incremental",
                    newer,
                    out / "newer-incremental.jsonl",
                    jobs=2,
                    cache=cache_copy,
                )
            )
    tf = min(seconds for seconds, _ in runs["full"])
    ti = min(seconds for seconds, _ in runs["incremental"])
    cpu = {
        kind: min(s.cpu_seconds + s.client_cpu for _, s in found)  # type: ignore[attr-defined]
        for kind, found in runs.items()
    }
    identical = digest(out / "newer-full.jsonl") == digest(out / "newer-incremental.jsonl")
    print("== Ratios ==")
    print(f"--jobs 2 / --jobs 1 speed-up: {t1 / t2:.2f}x (target >= 1.7x)")
    print(f"Dask 2 workers vs --jobs 2: {td / t2:.2f} of the time (target <= 1.10)")
    print(f"outputs of --jobs 1, --jobs 2 and Dask byte-identical: {same}")
    print(f"incremental (1 % changed) / full, best of 2 each: wall {ti / tf:.2f}, "
          f"CPU (workers + client) {cpu['incremental'] / cpu['full']:.2f} (target <= 0.40); "
          f"identical output: {identical}")  # fmt: skip
    wall_rate = s1.xml_bytes / 1e6 / t1  # type: ignore[attr-defined]
    per_core = s1.xml_bytes / 1e6 / s1.cpu_seconds  # type: ignore[attr-defined]
    scaling = min(1.0, (t1 / t2) / 2)
    print(f"one core end to end: {wall_rate:.1f} MB/s wall, {per_core:.1f} MB per worker CPU second "
          f"(target >= 10); scaling efficiency at 2 workers: {scaling:.2f}")  # fmt: skip
    print("== Projection: English Wikipedia, 100 GB of XML, 19 M pages, from MB per CPU second ==")
    for cores in (8, 32, 128):
        ideal = 100_000 / (per_core * cores) / 3600
        print(
            f"{cores:>4} cores: {ideal:5.2f} h at full efficiency, {ideal / scaling:5.2f} h at {scaling:.2f}"
        )
    if not args.skip_peer:
        peer(source, args.workdir, args.peer_mb)


if __name__ == "__main__":
    main()
