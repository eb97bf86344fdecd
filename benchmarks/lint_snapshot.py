"""A snapshot of every finding, safe fix and link of ``--select ALL`` over every corpus page, to prove that
a speed change changes nothing.

Usage: python benchmarks/lint_snapshot.py OUTPUT [--corpus DIR] [--compare EARLIER]

Each wikitext page of every corpus file (the English excerpt and the multilang dumps, in the language
their ``<siteinfo>`` names) is linted as ``wikitools lint --select ALL --format json`` does, with its
safe fixes computed; OUTPUT (keep it outside the repository) gets one line per finding — the JSON
reporter's object plus the fix's edits — and one per collected link target. ``--compare`` then checks
OUTPUT byte for byte against an earlier snapshot and prints the first line that differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from wikitools.lint import LintOptions, Selection
from wikitools.lint.engine import lint_input
from wikitools.lint.inputs import pages_from_xml
from wikitools.lint.reporters.json import finding_to_dict

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def write_snapshot(corpus: Path, output: Path) -> int:
    """Write the snapshot; return its number of lines."""
    options = LintOptions(selection=Selection(select=("ALL",)), collect_links=True)
    files = sorted(corpus.glob("*.bz2")) + sorted((corpus / "multilang").glob("*.xml.xz"))
    if not files:
        sys.exit(f"no corpus files in {corpus} (give --corpus)")
    lines = 0
    with output.open("w", encoding="utf-8") as out:
        for path in files:
            for page in pages_from_xml(str(path)):
                result = lint_input(replace(page, fix_path=page.path), options)
                for finding in result.findings:
                    data = finding_to_dict(finding)
                    data["fix"] = [[e.start, e.end, e.replacement] for e in finding.fix or ()]
                    out.write(json.dumps(data, ensure_ascii=False) + "\n")
                for link in result.links:
                    out.write(json.dumps(["link", page.title, link.title, link.line, link.column,
                                          link.in_see_also], ensure_ascii=False) + "\n")  # fmt: skip
                lines += len(result.findings) + len(result.links)
    return lines


def first_difference(a: Path, b: Path) -> str | None:
    """``None`` when both files are byte-identical, else where they first differ."""
    with a.open("rb") as left, b.open("rb") as right:
        for number, (x, y) in enumerate(zip(left, right, strict=False), 1):
            if x != y:
                return f"line {number}:\n  {a}: {x[:300]!r}\n  {b}: {y[:300]!r}"
        rest = left.read(), right.read()
    return None if rest == (b"", b"") else f"one file is longer: {len(rest[0])} vs {len(rest[1])} bytes left"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--compare", type=Path, help="an earlier snapshot that must be byte-identical")
    args = parser.parse_args()
    lines = write_snapshot(args.corpus, args.output)
    print(f"{args.output}: {lines:,} lines")
    if args.compare is not None:
        difference = first_difference(args.compare, args.output)
        print("byte-identical" if difference is None else f"DIFFERENT at {difference}")
        sys.exit(difference is not None)


if __name__ == "__main__":
    main()
