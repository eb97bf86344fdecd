"""Do convert and lint read real pages the same way? Page by page over the corpus: the headings (level
and text) and the visible links (targets, in order) of ``wikitools.formats.wikitext_read.read`` against
lint's :class:`~wikitools.lint.scan.PageScan`.

Usage: python benchmarks/lint_agreement.py [--corpus DIR] [--show N]

Prints, per corpus file, how many pages agree on headings and on links, and with ``--show`` the first
N disagreements (title and the first differing item), for a person to see which side is wrong.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wikitools.formats.wikitext_read import read
from wikitools.lint.inputs import pages_from_xml
from wikitools.lint.scan import PageScan
from wikitools.titles import normalize_title

DEFAULT_CORPUS = Path("/work/shared/corpus")


def convert_view(text: str, title: str) -> tuple[list[tuple[int, str]], list[str]]:
    article = read(text, title)
    headings = [(section.level, section.heading) for section in article.sections]
    return headings, [normalize_title(link.target.lstrip(":")) for link in article.links()]


def lint_view(text: str) -> tuple[list[tuple[int, str]], list[str]]:
    """Lint's headings, and every visible link in order, those inside headings included."""
    scan = PageScan(text)
    headings, _ = scan.outline()
    return headings, [normalize_title(link.target.strip().lstrip(":")) for link in scan.visible_links]


def first_difference(a: list, b: list) -> str:
    for index, (left, right) in enumerate(zip(a, b, strict=False)):
        if left != right:
            return f"#{index}: lint {left!r} / convert {right!r}"
    return f"lint has {len(a)}, convert {len(b)}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    files = sorted(args.corpus.glob("*.bz2")) + sorted((args.corpus / "multilang").glob("*.xml.xz"))
    if not files:
        print(f"no corpus files under {args.corpus}", file=sys.stderr)
        return 2
    shown = 0
    print(f"{'file':<48} {'pages':>6} {'same headings':>14} {'same links':>11}")
    for path in files:
        pages = same_headings = same_links = 0
        for page in pages_from_xml(str(path)):
            if page.namespace != 0 or page.redirect_to:
                continue
            pages += 1
            lint_headings, lint_links = lint_view(page.text)
            convert_headings, convert_links = convert_view(page.text, page.title)
            same_headings += lint_headings == convert_headings
            same_links += lint_links == convert_links
            for what, a, b in (
                ("headings", lint_headings, convert_headings),
                ("links", lint_links, convert_links),
            ):
                if a != b and shown < args.show:
                    shown += 1
                    print(f"  {path.name[:6]} {page.title!r} {what}: {first_difference(a, b)}")
        print(f"{path.name[:48]:<48} {pages:>6} {same_headings:>14} {same_links:>11}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
