"""Per-page indexes that several rules share, each built in one pass and kept in ``scan.memo``.

A dozen rules want only some tags (``<table>``, ``<small>``, the obsolete ones) or some links (the
interwiki ones): each walked every tag or link of the page, thousands on a long one. Here the page's
tags are grouped by name and its links by kind once, and a rule looks up what it wants.
"""

from __future__ import annotations

from collections.abc import Collection
from operator import attrgetter

from ..scan import PageScan, WikiLink
from .structure import Tag, memo, tags

_START = attrgetter("start")
_TITLE = attrgetter("title")


def _tags_by_name(scan: PageScan) -> dict[str, list[Tag]]:
    index: dict[str, list[Tag]] = {}
    for tag in tags(scan):
        found = index.get(tag.name)
        if found is None:
            index[tag.name] = [tag]
        else:
            found.append(tag)
    return index


def tags_named(scan: PageScan, names: Collection[str]) -> list[Tag]:
    """The tags (opening, closing and self-closing) whose lower-case name is in ``names``, in page
    order. Read-only: the lists are shared."""
    index = memo(scan, "tags_by_name", _tags_by_name)
    if len(names) < len(index):  # a few names: look each up
        lists = [index[name] for name in names if name in index]
    else:  # many names (every HTML element): walk the page's few
        lists = [found for name, found in index.items() if name in names]
    if len(lists) == 1:
        return lists[0]
    merged = [tag for found in lists for tag in found]
    merged.sort(key=_START)
    return merged


def links_of_kind(scan: PageScan, kind: str) -> list[WikiLink]:
    """The page's links of one :attr:`~..scan.WikiLink.kind`, in page order. Read-only: the lists are
    shared. Each kind is gathered when first asked (four kinds are): a comprehension per kind is
    cheaper than one loop filling a dictionary of every kind."""
    if kind == "article":
        return scan.article_links
    return memo(scan, f"links_of_kind {kind}", lambda s: [link for link in s.links if link.kind == kind])


def article_titles(scan: PageScan) -> frozenset[str]:
    """The titles the page's article links lead to, gathered in C: a rule about links to one title
    (the page's own) asks this set first and walks the links only when the title is there."""
    return memo(scan, "article_titles", lambda s: frozenset(map(_TITLE, s.article_links)))
