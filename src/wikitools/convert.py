"""Conversion between the article formats: the library behind ``wikitools convert``.

Formats: ``text`` (the plain-text rendering, ``.txt``), ``wikitext`` (``.wiki``, ``.mediawiki``),
``json`` (the document model, ``.json``) and ``xml`` (a MediaWiki export holding one page, ``.xml``,
possibly compressed). Wikitext to wikitext keeps the source byte for byte and only inserts recovered
links.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

from .errors import FormatError, InputError
from .fileio import STDIO, read_text
from .formats import plaintext, wikitext
from .formats.linking import recover_links
from .formats.xml_common import SiteInfo
from .formats.xml_read import read_single_page
from .formats.xml_write import dump_pages
from .model import Article, Page, Revision, article_from_dict, article_to_dict
from .titles import check_title, filename_to_title

FORMATS = ("text", "wikitext", "json", "xml")
EXTENSIONS = {".txt": "text", ".wiki": "wikitext", ".mediawiki": "wikitext", ".json": "json", ".xml": "xml"}
COMPRESSION_SUFFIXES = (".gz", ".bz2", ".xz")
DEFAULT_TARGET = {"text": "wikitext", "wikitext": "text", "json": "wikitext", "xml": "text"}


def format_of(path: str | PurePath, given: str | None = None) -> str:
    """The format named by ``given``, else the one the file extension stands for."""
    if given is not None:
        if given not in FORMATS:
            raise InputError(f"unknown format {given!r} (choose one of: {', '.join(FORMATS)})")
        return given
    name = PurePath(path)
    suffix = name.suffix.lower()
    if suffix in COMPRESSION_SUFFIXES and name.stem.lower().endswith(".xml"):
        return "xml"
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
    """``source`` (text, wikitext or JSON) converted to text, wikitext or JSON as ``how`` says."""
    return _convert(source, how)[0]


def _convert(source: str, how: Conversion) -> tuple[str, Article]:
    article = read_article(source, how.source_format, how.title)
    if how.target_format == "text":
        return plaintext.write(article, edit_suffix=how.edit_suffix), article
    if how.target_format == "json":
        return json.dumps(article_to_dict(article), ensure_ascii=False, indent=2) + "\n", article
    text = source if how.source_format == "wikitext" else wikitext.write(article)
    if how.known_titles:
        text = recover_links(text, how.known_titles, page_title=article.title).text
    return text, article


def convert_file(path: str | Path, how: Conversion) -> bytes:
    """The converted content of the file at ``path`` (``-`` is stdin), ready to write.

    A wikitext file's title defaults to its name; an XML file holds its page's title and wikitext.
    Input errors name the file.
    """
    subject = "<stdin>" if str(path) == STDIO else str(path)
    try:
        if how.source_format == "xml":
            page = read_single_page(path)
            if page.latest is None:
                raise FormatError("the page in the export has no revision")
            source = page.latest.text
            how = replace(how, source_format="wikitext", title=how.title or page.title)
        else:
            source = read_text(path)
            if how.source_format == "wikitext" and not how.title and str(path) != STDIO:
                how = replace(how, title=filename_to_title(path))
        if how.target_format != "xml":
            return convert(source, how).encode("utf-8")
        wiki, article = _convert(source, replace(how, target_format="wikitext"))
        check_title(article.title or "")  # a page MediaWiki would refuse to import must not be written
        namespace = SiteInfo().namespace_of(article.title)
        return dump_pages([Page(article.title, namespace, revisions=(Revision(text=wiki),))])
    except InputError as error:
        error.subject = error.subject or subject
        raise


def parse_title_list(text: str) -> tuple[str, ...]:
    """Titles from a ``--titles`` file: one per line; blank lines and ``#`` comments skipped."""
    return tuple(t for t in (line.strip() for line in text.splitlines()) if t and not t.startswith("#"))
