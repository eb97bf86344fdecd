"""Conversion fidelity and cost on real pages, beside a bare mwparserfromhell parse of the same pages.

Usage: python benchmarks/convert.py [--repeat N] [--skip-timing] [EXPORT.xml[.bz2|.xz] ...]
(default: the English corpus in ../shared/corpus). For every page it reports

- wikitext -> text -> wikitext: headings MediaWiki would show (counted line by line outside comments and
  verbatim tags) that the round trip lost, and headings it invented; redirects that stayed redirects;
- text -> wikitext -> text: whether the text rendering of the page comes back byte for byte;
- how many pages convert and lint read differently: the number of headings, the article links in
  the body (lint's ``PageScan`` against ``wikitext_read``; the same ``wikitools.markup`` table decides
  what an article link is for both counts);
- the time of the round trip against a bare ``mwparserfromhell.parse`` of the same pages (best of
  ``--repeat``), and of 40 KB of unclosed markup against a normal 40 KB page, in the same run.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import mwparserfromhell

from wikitools.formats import plaintext, wikitext_read, wikitext_write
from wikitools.formats.xml_read import iter_pages
from wikitools.lint.scan import PageScan
from wikitools.markup import classify_link, parse_redirect

# ../shared/corpus from the project root, or from a worktree below it.
CORPUS = next(
    (p / "shared/corpus" for p in Path(__file__).resolve().parents if (p / "shared/corpus").is_dir()),
    Path("../shared/corpus"),
)
DEFAULT = CORPUS / "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
# Headings as MediaWiki finds them: whole lines, outside comments and verbatim tags (an unclosed comment
# runs to the end of the page; an unclosed tag is text).
HEADING_LINE = re.compile(r"^(={1,6})(.+?)\1[ \t]*$", re.M)
VERBATIM = re.compile(
    r"<!--.*?(?:-->|$)|<(nowiki|pre|syntaxhighlight|source|math|ref)\b[^>]*?(?:/>|>.*?</\1\s*>)",
    re.S | re.I,
)
PATHOLOGICAL_BYTES = 40_000


@dataclass
class Fidelity:
    pages: int = 0
    headings: int = 0
    lost: int = 0
    invented: int = 0
    pages_inventing: int = 0
    redirects: int = 0
    redirects_kept: int = 0
    text_identical: int = 0
    errors: int = 0
    lint_heading_pages: int = 0  # pages where convert and lint count different headings
    lint_link_pages: int = 0  # pages where a body link lint sees to an article is missing in convert


def load(paths: list[Path]) -> list[tuple[str, str]]:
    return [
        (page.title, page.latest.text)
        for path in paths
        for page in iter_pages(path, on_warning=lambda _w: None, verify=False)
        if page.latest is not None
    ]


def headings_in(source: str) -> int:
    """Heading lines outside verbatim tags; comments are removed, as MediaWiki removes them before it
    looks for headings (``<!-- old -->== References ==`` is a heading)."""

    def hide(match: re.Match[str]) -> str:
        return "" if match.group().startswith("<!--") else " " * len(match.group())

    return len(HEADING_LINE.findall(VERBATIM.sub(hide, source)))


def round_trip(title: str, source: str) -> tuple[str, str, str]:
    """(text, wikitext back, text again) of one page."""
    text = plaintext.write(wikitext_read.read(source, title))
    back = wikitext_write.write(plaintext.read(text))
    again = plaintext.write(wikitext_read.read(back, title))
    return text, back, again


def measure(pages: list[tuple[str, str]]) -> Fidelity:
    found = Fidelity()
    for title, source in pages:
        found.pages += 1
        try:
            text, back, again = round_trip(title, source)
        except Exception:  # a benchmark reports failures; it does not stop at the first
            found.errors += 1
            continue
        found.text_identical += again == text
        redirect = parse_redirect(source) is not None
        if redirect:
            found.redirects += 1
            found.redirects_kept += parse_redirect(back) is not None
        before, after = headings_in(source), headings_in(back)
        found.headings += before
        found.lost += max(0, before - after)
        found.invented += max(0, after - before)
        found.pages_inventing += after > before
        article = wikitext_read.read(source, title)
        scan = PageScan(source)
        found.lint_heading_pages += len(scan.headings) != len(article.sections)
        shown = {link.target.split("#")[0].strip() for link in article.links()}
        linted = {
            link.target.split("#")[0].strip().lstrip(":").strip()
            for link in scan.links
            if not link.nested and not link.in_template and classify_link(link.target).kind.value == "article"
        }
        found.lint_link_pages += not redirect and bool(linted - shown)  # a redirect's link is no body link
    return found


def convert_all(pages: list[tuple[str, str]]) -> None:
    for title, source in pages:
        wikitext_write.write(plaintext.read(plaintext.write(wikitext_read.read(source, title))))


def parse_all(pages: list[tuple[str, str]]) -> None:
    for _, source in pages:
        mwparserfromhell.parse(source)


def best_of(repeat: int, run: Callable[[list[tuple[str, str]]], None], pages: list[tuple[str, str]]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run(pages)
        times.append(time.perf_counter() - start)
    return min(times)


def pathological_inputs(pages: list[tuple[str, str]]) -> dict[str, str]:
    """40 KB inputs: a normal page (the real page closest to 40 KB, cut to it) and unclosed markup."""
    normal = min(pages, key=lambda p: abs(len(p[1]) - PATHOLOGICAL_BYTES))[1][:PATHOLOGICAL_BYTES]
    unclosed = {
        "unclosed {{t|": "{{t|",
        "unclosed <ref>": "<ref>",
        "unclosed {|": "{|\n",
        "unclosed [[a|": "[[a|",
        "unclosed <small>": "<small>x",
    }
    inputs = {"normal page": normal}
    for name, unit in unclosed.items():
        inputs[name] = unit * (PATHOLOGICAL_BYTES // len(unit))
    return inputs


def report_fidelity(name: str, found: Fidelity) -> None:
    share = found.invented / found.headings if found.headings else 0.0
    print(
        f"{name}: {found.pages} pages, errors {found.errors}\n"
        f"  wikitext -> text -> wikitext: headings {found.headings:,}, lost {found.lost}, "
        f"invented {found.invented} ({share:.2%}, on {found.pages_inventing} pages); "
        f"redirects kept {found.redirects_kept}/{found.redirects}\n"
        f"  text -> wikitext -> text byte-identical: {found.text_identical}/{found.pages - found.errors}\n"
        f"  convert vs lint: pages with other heading counts {found.lint_heading_pages}, "
        f"pages with an article link lint sees and convert does not show {found.lint_link_pages}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, default=[DEFAULT])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-timing", action="store_true", help="report fidelity only")
    args = parser.parse_args()
    pages = load(args.files)
    names = ", ".join(p.name.split("-")[0] for p in args.files)
    report_fidelity(names, measure(pages))
    if args.skip_timing:
        return
    megabytes = sum(len(s.encode()) for _, s in pages) / 1e6
    parse_time = best_of(args.repeat, parse_all, pages)
    convert_time = best_of(args.repeat, convert_all, pages)
    print(f"{len(pages)} pages, {megabytes:.1f} MB of wikitext, best of {args.repeat}")
    timings = (("mwparserfromhell.parse", parse_time), ("wikitools convert round trip", convert_time))
    for name, seconds in timings:
        print(f"  {name:30} {seconds:7.2f} s {megabytes / seconds:6.2f} MB/s")
    print(f"  cost ratio convert / bare parse: {convert_time / parse_time:.2f}x (target <= 1.5x)")
    print(f"40 KB inputs, wikitext -> text -> wikitext, best of {args.repeat} (target <= 10x a normal page)")
    normal = 0.0
    for name, source in pathological_inputs(pages).items():
        seconds = best_of(args.repeat, convert_all, [("Input", source)])
        normal = normal or seconds  # the normal page comes first
        print(f"  {name:20} {seconds:7.3f} s {seconds / normal:6.1f}x")


if __name__ == "__main__":
    main()
