"""Do convert and lint read real pages the same way? Page by page over the corpus: the headings (level
and text) and the visible links (targets, in order, those in headings included) of
``wikitools.formats.wikitext_read.read`` against lint's :class:`~wikitools.lint.scan.PageScan`.

Usage: python benchmarks/lint_agreement.py [--corpus DIR] [--show N] [--referee]

Prints, per corpus file, how many pages agree on headings and on links, and with ``--show`` the first
N disagreements (title and the first differing item), for a person to see which side is wrong.
``--referee`` asks the real parser: each page where the two disagree is parsed by a dev wiki installed
in the page's language (``action=parse&prop=sections|links|iwlinks``), and every disputed heading or
link is printed with what MediaWiki made of it.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

from wikitools.api import WikiClient
from wikitools.devwiki import DevWiki
from wikitools.formats.wikitext_read import read
from wikitools.lint.inputs import pages_from_xml
from wikitools.lint.scan import PageScan
from wikitools.titles import normalize_title

DEFAULT_CORPUS = Path("/work/shared/corpus")
_TAG = re.compile(r"<[^<>]*>")

Outline = tuple[list[tuple[int, str]], list[str]]


def convert_view(text: str, title: str) -> Outline:
    article = read(text, title)
    headings = [(section.level, section.heading) for section in article.sections]
    return headings, [normalize_title(link.target.lstrip(":")) for link in article.links()]


def lint_view(text: str) -> Outline:
    """Lint's headings, and every visible link in order, those inside headings included."""
    scan = PageScan(text)
    headings, _ = scan.outline()
    return headings, [normalize_title(link.target.strip().lstrip(":")) for link in scan.visible_links]


def first_difference(a: list, b: list) -> str:
    for index, (left, right) in enumerate(zip(a, b, strict=False)):
        if left != right:
            return f"#{index}: lint {left!r} / convert {right!r}"
    return f"lint has {len(a)}, convert {len(b)}"


class Referee:
    """Dev wikis, one per language started on first need, that parse disputed pages."""

    def __init__(self, stack: ExitStack) -> None:
        self.stack = stack
        self.root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="referee-")))
        self.clients: dict[str, WikiClient] = {}

    def client(self, lang: str) -> WikiClient:
        if lang not in self.clients:
            wiki = DevWiki(self.root / lang, lang=lang)
            wiki.start()
            self.stack.callback(wiki.stop)
            self.clients[lang] = self.stack.enter_context(WikiClient(wiki.api_url))
        return self.clients[lang]

    def judge(self, lang: str, title: str, text: str, lint: Outline, convert: Outline) -> Iterator[str]:
        """One line per disputed heading or link: who has it, and whether MediaWiki does."""
        reply = self.client(lang).call(
            {"action": "parse", "title": title, "text": text, "prop": "sections|links|iwlinks",
             "contentmodel": "wikitext"}, write=False,
        )["parse"]  # fmt: skip
        sections = [(int(s["level"]), html.unescape(_TAG.sub("", s["line"]))) for s in reply["sections"]]
        links = {normalize_title(link["title"]) for link in reply["links"]}
        links |= {normalize_title(f"{link['prefix']}:{link['title']}") for link in reply["iwlinks"]}
        for side, mine, other in (("lint", lint, convert), ("convert", convert, lint)):
            for heading in Counter(mine[0]) - Counter(other[0]):
                verdict = "MediaWiki agrees" if heading in sections else "MediaWiki does not"
                yield f"    heading only {side}: {heading!r}: {verdict}"
            for link in Counter(mine[1]) - Counter(other[1]):
                page = normalize_title(link.partition("#")[0])
                verdict = "MediaWiki links it" if page in links else "MediaWiki has no such link"
                yield f"    link only {side}: {link!r}: {verdict}"


def _language(path: Path) -> str:
    return path.name.split("wiki", 1)[0] if path.name.endswith(".xz") else "en"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--referee", action="store_true", help="ask a dev wiki about each disagreement")
    args = parser.parse_args()
    files = sorted(args.corpus.glob("*.bz2")) + sorted((args.corpus / "multilang").glob("*.xml.xz"))
    if not files:
        print(f"no corpus files under {args.corpus}", file=sys.stderr)
        return 2
    shown = 0
    totals = Counter[str]()
    print(f"{'file':<48} {'pages':>6} {'same headings':>14} {'same links':>11}")
    with ExitStack() as stack:
        referee = Referee(stack) if args.referee else None
        for path in files:
            pages = same_headings = same_links = 0
            for page in pages_from_xml(str(path)):
                if page.namespace != 0 or page.redirect_to:
                    continue
                pages += 1
                lint, convert = lint_view(page.text), convert_view(page.text, page.title)
                same_headings += lint[0] == convert[0]
                same_links += lint[1] == convert[1]
                if lint != convert and referee is not None:
                    print(f"  {path.name[:6]} {page.title!r}")
                    for line in referee.judge(_language(path), page.title, page.text, lint, convert):
                        print(line)
                for what, a, b in (("headings", lint[0], convert[0]), ("links", lint[1], convert[1])):
                    if a != b and shown < args.show:
                        shown += 1
                        print(f"  {path.name[:6]} {page.title!r} {what}: {first_difference(a, b)}")
            print(f"{path.name[:48]:<48} {pages:>6} {same_headings:>14} {same_links:>11}")
            totals.update(pages=pages, headings=same_headings, links=same_links)
    pages = totals["pages"]
    print(f"{'all':<48} {pages:>6} {totals['headings']:>14} {totals['links']:>11}")
    print(f"same headings {totals['headings'] / pages:.2%}, same links {totals['links'] / pages:.2%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
