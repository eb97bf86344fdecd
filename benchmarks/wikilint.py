"""wikitools lint beside WikiLint (the linter of wikiparser-node) on the same English articles.

Usage: python benchmarks/wikilint.py [--corpus DIR] [--cache DIR] [--repeat N] [--show N]
                                     [--skip-speed] [--skip-agreement]

WikiLint is installed from the npm registry into ``--cache`` (default ``~/.cache/wikitools-bench``) the first
time; it is never a dependency of wikitools. The 106 real English articles of the corpus are written to a
temporary directory as ``.wiki`` files (nothing from the corpus stays on disk), then:

1. Speed, whole process, same files, best of ``--repeat`` alternating runs: ``wikilint`` (its CLI) against
   ``python -m wikitools lint`` (every rule), and in-process ``lint_page`` against a bare
   ``mwparserfromhell.parse`` of the same pages.
2. Agreement: WikiLint's findings (its JavaScript API, enwiki configuration) per rule, and for every rule that
   wikitools maps (its rules' ``wikilint`` names) how many of its lines wikitools reports in a mapped code;
   ``--show`` prints that many of the lines it misses per rule.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import mwparserfromhell

from wikitools.formats.xml_common import redirect_target
from wikitools.formats.xml_read import iter_pages
from wikitools.lint import all_rules, lint_page

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
ENGLISH = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
WIKILINT_VERSION = "2.35.1"


def wikilint_map() -> dict[str, tuple[str, ...]]:
    """WikiLint rule -> the wikitools codes that name it (each rule's ``wikilint`` attribute)."""
    found: dict[str, list[str]] = defaultdict(list)
    for rule in all_rules():
        for name in rule.wikilint:
            found[name].append(rule.code)
    return {name: tuple(codes) for name, codes in found.items()}


_NODE_LINT = """
const Parser = require('wikilint');
const fs = require('fs');
Parser.config = 'enwiki';
const out = {};
for (const f of process.argv.slice(2)) {
  const text = fs.readFileSync(f, 'utf8');
  out[f] = Parser.parse(text).lint().map(e => ({rule: e.rule, line: e.startLine + 1, message: e.message}));
}
process.stdout.write(JSON.stringify(out));
"""


def install_wikilint(cache: Path) -> Path:
    """The wikilint package directory in ``cache``, installed from npm if it is not there yet."""
    package = cache / "node_modules" / "wikilint"
    if not package.exists():
        cache.mkdir(parents=True, exist_ok=True)
        if not (cache / "package.json").exists():
            (cache / "package.json").write_text('{"private": true}\n', encoding="utf-8")
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", f"wikilint@{WIKILINT_VERSION}"],
            cwd=cache,
            check=True,
        )
    return package


def english_articles(corpus: Path) -> list[tuple[str, str]]:
    """``(title, wikitext)`` of the real articles (namespace 0, not redirects) of the English file."""
    pages = iter_pages(corpus / ENGLISH, latest_only=True, on_warning=lambda _message: None)
    return [
        (p.title, p.latest.text)
        for p in pages
        if p.latest is not None and p.namespace == 0 and not p.redirect and not redirect_target(p.latest.text)
    ]


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall time and CPU time (user + system of the child and its children) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def speed(files: list[Path], articles: list[tuple[str, str]], cache: Path, repeat: int) -> None:
    print(f"== Speed: {len(files)} articles, {sum(len(t.encode()) for _, t in articles) / 1e6:.1f} MB ==")
    cli = str(cache / "node_modules" / "wikilint" / "bin" / "cli.js")
    names = [str(f) for f in files]
    ours = [sys.executable, "-m", "wikitools", "lint", "--select", "ALL", "--format", "json", *names]
    # both as a user runs them: WikiLint's CLI lints on several threads, wikitools on every core by
    # default (this input is over 1 MB); "--jobs 1" shows the one-process figure beside them
    commands = {
        "wikilint": ["node", cli, "--config", "enwiki", *names],
        "wikitools": ours,
        "wikitools --jobs 1": [*ours[:4], "--jobs", "1", *ours[4:]],
    }
    wall = dict.fromkeys(commands, float("inf"))
    cpu = dict.fromkeys(commands, float("inf"))
    for _ in range(repeat):
        for name, command in commands.items():
            took_wall, took_cpu = timed(command)
            wall[name], cpu[name] = min(wall[name], took_wall), min(cpu[name], took_cpu)
    print(f"{os.cpu_count()} cores")
    for label, figures in (("wall", wall), ("CPU", cpu)):
        print(
            f"whole process, {label}: wikilint {figures['wikilint']:.2f} s, wikitools lint "
            f"{figures['wikitools']:.2f} s, ratio {figures['wikilint'] / figures['wikitools']:.1f}x; "
            f"wikitools lint --jobs 1 {figures['wikitools --jobs 1']:.2f} s, "
            f"ratio {figures['wikilint'] / figures['wikitools --jobs 1']:.1f}x"
        )
    lint_best = parse_best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for title, text in articles:
            lint_page(text, title)
        lint_best = min(lint_best, time.process_time() - start)
        start = time.process_time()
        for _title, text in articles:
            mwparserfromhell.parse(text)
        parse_best = min(parse_best, time.process_time() - start)
    print(
        f"in process (CPU): lint_page every rule {lint_best:.2f} s, "
        f"mwparserfromhell.parse {parse_best:.2f} s, "
        f"ratio {parse_best / lint_best:.1f}x"
    )


def agreement(files: list[Path], articles: list[tuple[str, str]], cache: Path, show: int) -> None:
    script = cache / "wikitools-lint-json.js"
    script.write_text(_NODE_LINT, encoding="utf-8")
    output = subprocess.run(
        ["node", str(script), *map(str, files)], cwd=cache, capture_output=True, check=True
    )
    theirs: dict[str, list[dict]] = json.loads(output.stdout)
    ours: dict[str, set[tuple[int, str]]] = {}
    for path, (title, text) in zip(files, articles, strict=True):
        result = lint_page(text, title, path=str(path))
        ours[str(path)] = {(f.line, f.code) for f in result.findings}
    mapping = wikilint_map()
    counts: Counter[str] = Counter()
    matched: Counter[str] = Counter()
    missed: dict[str, list[str]] = defaultdict(list)
    for path, findings in theirs.items():
        lines = defaultdict(set)
        for line, code in ours[path]:
            lines[line].add(code)
        for finding in findings:
            rule = finding["rule"]
            counts[rule] += 1
            if set(mapping.get(rule, ())) & lines[finding["line"]]:
                matched[rule] += 1
            else:
                missed[rule].append(f"{Path(path).name}:{finding['line']}: {finding['message']}")
    print(f"== Agreement: WikiLint {WIKILINT_VERSION} findings on the same lines ==")
    print(f"{'WikiLint rule':<20} {'findings':>8} {'same line':>10}  wikitools codes")
    mapped_total = mapped_matched = 0
    for rule, count in counts.most_common():
        codes = mapping.get(rule)
        if codes is None:
            print(f"{rule:<20} {count:>8} {'(not mapped)':>10}")
            continue
        mapped_total += count
        mapped_matched += matched[rule]
        print(f"{rule:<20} {count:>8} {matched[rule]:>10}  {', '.join(codes)}")
        for line in missed[rule][:show]:
            print(f"    missed {line}")
    if mapped_total:
        print(
            f"mapped rules: {mapped_matched} of {mapped_total} lines "
            f"({100 * mapped_matched / mapped_total:.1f} %)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "wikitools-bench")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-agreement", action="store_true")
    args = parser.parse_args()
    if shutil.which("node") is None or shutil.which("npm") is None:
        sys.exit("wikilint.py: node and npm are needed (apt-get install nodejs npm)")
    install_wikilint(args.cache)
    articles = english_articles(args.corpus)
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for index, (_title, text) in enumerate(articles):
            path = Path(folder) / f"{index:03d}.wiki"
            path.write_text(text, encoding="utf-8")
            files.append(path)
        os.environ.setdefault("PYTHONPATH", str(Path(__file__).resolve().parents[1] / "src"))
        if not args.skip_speed:
            speed(files, articles, args.cache, args.repeat)
        if not args.skip_agreement:
            agreement(files, articles, args.cache, args.show)


if __name__ == "__main__":
    main()
