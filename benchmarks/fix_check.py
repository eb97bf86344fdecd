"""Every safe fix on every corpus page: fixing twice equals fixing once; the fixed page has no new findings.

Usage: python benchmarks/fix_check.py [--corpus DIR] [--select CODES] [--show N]

Each page of every corpus file (English excerpt and the multilang dumps) is linted with the selected rules
(default: all), fixed in memory as ``wikitools lint --fix`` does (:func:`wikitools.lint.fixes.fix_text`),
fixed again, and linted again. A problem is a page whose second fix changes it, or whose fixed version
has more findings of some rule than the original. Nothing is written anywhere.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import replace
from pathlib import Path

from wikitools.lint import Finding, LintOptions, Selection
from wikitools.lint.engine import PageInput, lint_input
from wikitools.lint.fixes import fix_text
from wikitools.lint.inputs import pages_from_xml

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--select", default="ALL")
    parser.add_argument("--fix-only", default="", help="apply only these codes' fixes (prefixes)")
    parser.add_argument("--show", type=int, default=10)
    args = parser.parse_args()
    options = LintOptions(selection=Selection(select=tuple(args.select.split(","))))
    only = tuple(args.fix_only.split(",")) if args.fix_only else ("",)
    files = sorted(args.corpus.glob("*.bz2")) + sorted((args.corpus / "multilang").glob("*.xml.xz"))
    pages = changed = 0
    fixes: Counter[str] = Counter()
    problems: list[str] = []
    for path in files:
        for original in pages_from_xml(str(path)):
            page = replace(original, fix_path=original.path)  # findings carry their fixes
            before = lint_input(page, options).findings
            pages += 1
            if not any(f.fixable and f.code.startswith(only) for f in before):
                continue

            def lint(version: str, page: PageInput = page) -> list[Finding]:
                return lint_input(replace(page, text=version), options).findings

            def fixable(version: str) -> list[Finding]:
                return [f for f in lint(version) if f.code.startswith(only)]

            once, applied = fix_text(page.text, fixable)
            if not applied:
                continue
            changed += 1
            fixes.update(f.code for f in before if f.fixable and f.code.startswith(only))
            twice, again = fix_text(once, fixable)
            if again or twice != once:
                problems.append(f"{path.name} {page.title}: a second fix changes the page again")
            counts_before = Counter(f.code for f in before)
            added = Counter(f.code for f in lint(once)) - counts_before
            if added:
                problems.append(f"{path.name} {page.title}: the fixed page has new findings {dict(added)}")
    total = sum(fixes.values())
    print(f"{changed} of {pages} pages changed by {total} fixable findings of {len(fixes)} rules")
    print("fixable findings per rule: " + ", ".join(f"{code} {n}" for code, n in sorted(fixes.items())))
    print(f"problems: {len(problems)}")
    for line in problems[: args.show]:
        print("  " + line)


if __name__ == "__main__":
    main()
