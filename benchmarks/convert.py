"""Conversion throughput on real pages, beside a bare mwparserfromhell parse of the same pages.

Usage: python benchmarks/convert.py [EXPORT.xml[.bz2|.xz] ...]
(default: the English corpus in ../shared/corpus). Every page is converted wikitext -> text -> wikitext
(read, write text, read text, write wikitext); the bare baseline is ``mwparserfromhell.parse`` of the
same wikitext. Both run in this process, one after the other, best of ``--repeat`` runs each. The
script also checks that every heading MediaWiki would see survives the conversion to text.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import mwparserfromhell

from wikitools.formats import plaintext, wikitext
from wikitools.formats.xml_read import iter_pages

DEFAULT = (
    Path(__file__).resolve().parents[2]
    / "shared/corpus/enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
)
# Headings as MediaWiki finds them: whole lines, outside comments and verbatim tags.
HEADING_LINE = re.compile(r"^(={1,6})(.+?)\1[ \t]*$", re.M)
VERBATIM = re.compile(
    r"<!--.*?(?:-->|$)|<(nowiki|pre|syntaxhighlight|source|math|ref)\b[^>]*?(?:/>|>.*?(?:</\1\s*>|$))",
    re.S | re.I,
)


def load(paths: list[Path]) -> list[tuple[str, str]]:
    return [
        (page.title, page.latest.text)
        for path in paths
        for page in iter_pages(path, on_warning=lambda _w: None)
        if page.latest is not None
    ]


def convert_all(pages: list[tuple[str, str]]) -> list[int]:
    """Convert every page; returns the number of headings each one kept."""
    kept = []
    for title, source in pages:
        article = wikitext.read(source, title)
        wikitext.write(plaintext.read(plaintext.write(article)))
        kept.append(len(article.sections))
    return kept


def headings_lost(pages: list[tuple[str, str]], kept: list[int]) -> int:
    """Headings MediaWiki would show that the conversion did not keep."""
    lost = 0
    for (_, source), got in zip(pages, kept, strict=True):
        visible = VERBATIM.sub(lambda m: " " * len(m.group()), source)
        lost += max(0, len(HEADING_LINE.findall(visible)) - got)
    return lost


def parse_all(pages: list[tuple[str, str]]) -> None:
    for _, source in pages:
        mwparserfromhell.parse(source)


def best_of(repeat: int, run, pages):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run(pages)
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, default=[DEFAULT])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pages = load(args.files)
    megabytes = sum(len(s.encode()) for _, s in pages) / 1e6
    parse_time, _ = best_of(args.repeat, parse_all, pages)
    convert_time, kept = best_of(args.repeat, convert_all, pages)
    print(f"{len(pages)} pages, {megabytes:.1f} MB of wikitext, best of {args.repeat}")
    for name, seconds in (
        ("mwparserfromhell.parse", parse_time),
        ("wikitools convert round trip", convert_time),
    ):
        print(
            f"{name:30} {seconds:7.2f} s {len(pages) / seconds:8.1f} pages/s {megabytes / seconds:6.2f} MB/s"
        )
    print(f"cost ratio convert / bare parse: {convert_time / parse_time:.2f}x (target <= 1.5x)")
    print(f"headings kept: {sum(kept)}, lost: {headings_lost(pages, kept)}")


if __name__ == "__main__":
    main()
