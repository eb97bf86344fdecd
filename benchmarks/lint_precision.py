"""Precision of the lint rules on real pages: count every rule's findings on the corpus, draw a fixed
sample of each warning/error rule's findings to judge, and score the judgements.

Usage: python benchmarks/lint_precision.py [--corpus DIR] [--sample N] [--seed S] [--select CODES]
                                          [--show] [--judged FILE]

Every page of every corpus file (the English excerpt and the seven multilang dumps) is linted with
``--select ALL`` in the language its export's ``<siteinfo>`` names, as ``wikitools lint`` does. The
script prints, per rule, how many findings and pages it has. ``--show`` also prints the sample of each
warning/error rule (up to ``--sample`` findings, drawn with ``random.Random(seed)`` from the findings
in corpus order) with the line each one points at, for a person to judge against MediaWiki's
behaviour and the Manual of Style. Judgements go in a TSV file (``--judged``; one line per sampled
finding: code, file, title, line, column, verdict ``T``/``F``/``U``, a note naming the family); the
script then prints precision = T / (T + F) per rule and says which samples are not judged yet.
Corpus text is printed for judging only; nothing from it is written to the repository.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from wikitools.lint import LintOptions, all_rules
from wikitools.lint.config import Selection
from wikitools.lint.engine import lint_input
from wikitools.lint.finding import Severity
from wikitools.lint.inputs import pages_from_xml

DEFAULT_CORPUS = Path("/work/shared/corpus")


@dataclass(frozen=True)
class Sampled:
    code: str
    file: str
    title: str
    line: int
    column: int
    message: str
    text: str  # the line the finding points at (shown, never stored)

    @property
    def key(self) -> tuple[str, str, str, int, int]:
        return (self.code, self.file, self.title, self.line, self.column)


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("*.bz2")) + sorted((corpus / "multilang").glob("*.xml.xz"))


def collect(files: list[Path], options: LintOptions) -> tuple[Counter, Counter, dict[str, list[Sampled]]]:
    """Counts of findings and of pages per rule, and every warning/error finding with its line."""
    findings: Counter = Counter()
    pages: Counter = Counter()
    kept: dict[str, list[Sampled]] = defaultdict(list)
    for path in files:
        for page in pages_from_xml(str(path)):
            result = lint_input(page, options)
            lines = page.text.split("\n") if result.findings else []
            for code in {f.code for f in result.findings}:
                pages[code] += 1
            for f in result.findings:
                findings[f.code] += 1
                if f.severity >= Severity.WARNING:
                    text = lines[f.line - 1] if f.line <= len(lines) else ""
                    sampled = Sampled(f.code, path.name, page.title, f.line, f.column, f.message, text)
                    kept[f.code].append(sampled)
    return findings, pages, kept


def draw(kept: dict[str, list[Sampled]], size: int, seed: int) -> dict[str, list[Sampled]]:
    """Up to ``size`` findings of each rule, the same ones every run on the same corpus and code."""
    samples = {}
    for code, found in sorted(kept.items()):
        rng = random.Random(f"{seed}:{code}")
        chosen = sorted(rng.sample(range(len(found)), min(size, len(found))))
        samples[code] = [found[i] for i in chosen]
    return samples


def read_judged(path: Path) -> dict[tuple[str, str, str, int, int], tuple[str, str]]:
    judged = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0].startswith("#"):
                continue
            code, file, title, line, column, verdict, *note = row
            judged[(code, file, title, int(line), int(column))] = (verdict, note[0] if note else "")
    return judged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sample", type=int, default=15)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--select", default="ALL")
    parser.add_argument("--show", action="store_true", help="print each sampled finding with its line")
    parser.add_argument("--judged", type=Path, help="TSV of judgements: score them")
    args = parser.parse_args()
    files = corpus_files(args.corpus)
    if not files:
        print(f"no corpus files under {args.corpus}", file=sys.stderr)
        return 2
    options = LintOptions(selection=Selection(select=tuple(args.select.split(","))))
    findings, pages, kept = collect(files, options)
    samples = draw(kept, args.sample, args.seed)
    judged = read_judged(args.judged) if args.judged else {}
    print("code  severity  findings  pages sample   T   F   U precision")
    missing = []
    for rule in all_rules():
        sample = samples.get(rule.code, [])
        verdicts = Counter(judged.get(s.key, ("?", ""))[0] for s in sample)
        missing += [s for s in sample if s.key not in judged]
        scored = verdicts["T"] + verdicts["F"]
        precision = f"{100 * verdicts['T'] / scored:.0f} %" if scored else "-"
        print(
            f"{rule.code:<5} {rule.severity.label:<8} {findings[rule.code]:>9} {pages[rule.code]:>6} "
            f"{len(sample):>6} {verdicts['T']:>3} {verdicts['F']:>3} {verdicts['U']:>3} {precision}"
        )
    print(f"total findings: {sum(findings.values())}")
    if args.show:
        for sample in samples.values():
            for s in sample:
                verdict = judged.get(s.key, ("?", ""))[0]
                print(f"\n[{verdict}] {s.code}\t{s.file}\t{s.title}\t{s.line}\t{s.column}\t{s.message}")
                print("    " + s.text[:300])
    if args.judged and missing:
        print(f"\n{len(missing)} sampled findings are not judged yet", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
