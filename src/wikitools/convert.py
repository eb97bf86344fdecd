"""Conversion between the article formats: the library behind ``wikitools convert``.

Formats: ``text`` (the plain-text rendering, ``.txt``), ``wikitext`` (``.wiki``, ``.mediawiki``) and
``json`` (the document model, ``.json``). Wikitext to wikitext keeps the source byte for byte and only
inserts recovered links.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePath

from .errors import FormatError, InputError
from .formats import plaintext, wikitext
from .formats.linking import recover_links
from .model import Article, article_from_dict, article_to_dict

FORMATS = ("text", "wikitext", "json")
EXTENSIONS = {".txt": "text", ".wiki": "wikitext", ".mediawiki": "wikitext", ".json": "json"}
DEFAULT_TARGET = {"text": "wikitext", "wikitext": "text", "json": "wikitext"}


def format_of(path: str | PurePath, given: str | None = None) -> str:
    """The format named by ``given``, else the one the file extension stands for."""
    if given is not None:
        if given not in FORMATS:
            raise InputError(f"unknown format {given!r} (choose one of: {', '.join(FORMATS)})")
        return given
    suffix = PurePath(path).suffix.lower()
    if suffix not in EXTENSIONS:
        what = f"extension {suffix!r}" if suffix else "a name without an extension"
        raise InputError(
            f"cannot tell the format from {what}",
            subject=path,
            hint=f"use --from/--to with one of: {', '.join(FORMATS)}",
        )
    return EXTENSIONS[suffix]


@dataclass(frozen=True)
class Conversion:
    """How to convert: formats, the page title when the source lacks it, link recovery, output style."""

    source_format: str
    target_format: str
    title: str | None = None
    known_titles: tuple[str, ...] = ()
    edit_suffix: bool = False


def read_article(source: str, source_format: str, title: str | None) -> Article:
    """Parse ``source`` in ``source_format`` into an article; ``title`` names wikitext pages."""
    if source_format == "text":
        article = plaintext.read(source)
        return Article(title, article.lead, article.sections) if title else article
    if source_format == "json":
        try:
            return article_from_dict(json.loads(source))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise FormatError(f"not a wikitools JSON document ({type(exc).__name__}: {exc})") from None
    if not title:
        raise InputError("wikitext does not hold its page title", hint="pass --title")
    return wikitext.read(source, title)


def convert(source: str, how: Conversion) -> str:
    """``source`` converted as ``how`` says."""
    article = read_article(source, how.source_format, how.title)
    if how.target_format == "text":
        return plaintext.write(article, edit_suffix=how.edit_suffix)
    if how.target_format == "json":
        return json.dumps(article_to_dict(article), ensure_ascii=False, indent=2) + "\n"
    text = source if how.source_format == "wikitext" else wikitext.write(article)
    if how.known_titles:
        text = recover_links(text, how.known_titles, page_title=article.title).text
    return text


def parse_title_list(text: str) -> tuple[str, ...]:
    """Titles from a ``--titles`` file: one per line; blank lines and ``#`` comments skipped."""
    return tuple(t for t in (line.strip() for line in text.splitlines()) if t and not t.startswith("#"))
