"""Conversion between the article formats: the library behind ``wikitools convert``.

Formats (:class:`Format`): ``text`` (the plain-text rendering, ``.txt``), ``wikitext`` (``.wiki``,
``.mediawiki``), ``json`` (the document model, ``.json``) and ``xml`` (a MediaWiki export holding one
page, ``.xml``, possibly compressed). Wikitext to wikitext keeps the source byte for byte and only
inserts recovered links.

The verbs: :func:`convert` (a string to a string), :func:`convert_article` (the same, with the
:class:`~wikitools.model.Article` and the line mapping), :func:`convert_file` (a file to bytes ready to
write), :func:`convert_page` (a :class:`~wikitools.model.Page` from an export or the API) and
:func:`read_article`. The format modules load on first use, so ``import wikitools`` stays cheap.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path, PurePath

from .errors import FormatError, InputError
from .fileio import STDIO, read_text
from .markup import BUILTIN, Markup, parse_redirect
from .model import Article, Page, Revision, article_from_dict, article_to_dict
from .titles import check_title, title_of_file


class Format(StrEnum):
    """The formats :func:`convert` reads and writes."""

    TEXT = "text"
    WIKITEXT = "wikitext"
    JSON = "json"
    XML = "xml"

    @classmethod
    def of(cls, name: str | Format) -> Format:
        """The format called ``name``; :class:`InputError` for a name that is none of them."""
        try:
            return cls(str(name).strip().lower())
        except ValueError:
            raise InputError(f"unknown format {str(name)!r} (choose one of: {', '.join(FORMATS)})") from None


FORMATS = tuple(f.value for f in Format)
EXTENSIONS = {".txt": "text", ".wiki": "wikitext", ".mediawiki": "wikitext", ".json": "json", ".xml": "xml"}
COMPRESSION_SUFFIXES = (".gz", ".bz2", ".xz")
DEFAULT_TARGET = {"text": "wikitext", "wikitext": "text", "json": "wikitext", "xml": "text"}


def format_of(path: str | PurePath, given: str | None = None) -> Format:
    """The format named by ``given``, else the one the file extension stands for."""
    if given is not None:
        return Format.of(given)
    name = PurePath(path)
    suffix = name.suffix.lower()
    if suffix in COMPRESSION_SUFFIXES and name.stem.lower().endswith(".xml"):
        return Format.XML
    if suffix not in EXTENSIONS:
        what = f"extension {suffix!r}" if suffix else "a name without an extension"
        raise InputError(
            f"cannot tell the format from {what}",
            subject=path,
            hint=f"use --from/--to with one of: {', '.join(FORMATS)}",
        )
    return Format(EXTENSIONS[suffix])


@dataclass(frozen=True)
class Conversion:
    """How to convert: formats, the page title when the source lacks it, link recovery, output style,
    and the wiki's markup names (namespaces, prefixes; :data:`wikitools.markup.BUILTIN` by default).

    Formats are checked when the object is made: an unknown name raises :class:`InputError`.
    """

    source_format: Format | str
    target_format: Format | str
    title: str | None = None
    known_titles: tuple[str, ...] = ()
    edit_suffix: bool = False
    markup: Markup = field(default=BUILTIN, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "source_format", Format.of(self.source_format))
        object.__setattr__(self, "target_format", Format.of(self.target_format))


@dataclass(frozen=True)
class Converted:
    """What a conversion made: the output, the article in between, and for each output line the
    line of the source it came from (text to wikitext only; ``None`` elsewhere and for separators)."""

    text: str
    article: Article
    source_lines: tuple[int | None, ...] = ()


def read_article(
    source: str, source_format: Format | str, title: str | None = None, markup: Markup = BUILTIN
) -> Article:
    """Parse ``source`` in ``source_format`` into an article; ``title`` names wikitext pages (and
    replaces the title of the other formats when given)."""
    from .formats import plaintext, wikitext_read

    source_format = Format.of(source_format)
    if source_format is Format.XML:
        page, markup = _xml_page(io.BytesIO(source.encode("utf-8")), markup)
        return _page_article(page, title, markup)
    if source_format is Format.TEXT:
        article = plaintext.read(source)
        return replace(article, title=title) if title else article
    if source_format is Format.JSON:
        try:
            article = article_from_dict(json.loads(source))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise FormatError(f"not a wikitools JSON document ({type(exc).__name__}: {exc})") from None
        return replace(article, title=title) if title else article
    if not title:
        raise InputError("wikitext does not hold its page title", hint="pass --title")
    return wikitext_read.read(source, title, markup)


def convert(source: str, how: Conversion) -> str:
    """``source`` converted as ``how`` says (any format to any format; XML as a one-page export)."""
    return convert_article(source, how).text


def convert_article(source: str, how: Conversion) -> Converted:
    """Like :func:`convert`, also giving the :class:`~wikitools.model.Article` and the line mapping."""
    if how.source_format is Format.XML:
        page, markup = _xml_page(io.BytesIO(source.encode("utf-8")), how.markup)
        return convert_page(page, replace(how, markup=markup))
    article = read_article(source, how.source_format, how.title, how.markup)
    wiki = source if how.source_format is Format.WIKITEXT else None
    return _write(article, wiki, how)


def convert_page(page: Page, how: Conversion) -> Converted:
    """The latest revision of ``page`` (from an export or the API), read as wikitext, converted to
    ``how.target_format``; the page's title is used unless ``how.title`` is given."""
    if page.latest is None:
        raise FormatError("the page has no revision", subject=page.title)
    article = _page_article(page, how.title, how.markup)
    return _write(article, page.latest.text, how)


def convert_file(path: str | Path, how: Conversion) -> bytes:
    """The converted content of the file at ``path`` (``-`` is stdin), ready to write.

    A wikitext file's title defaults to its name, in the namespace its folder is named after
    (``Help/Contents.wiki`` is ``Help:Contents``, as pull lays pages out); an XML file holds its
    page's title and wikitext. Input errors name the file.
    """
    subject = "<stdin>" if str(path) == STDIO else str(path)
    try:
        if how.source_format is Format.XML:
            page, markup = _xml_page(path, how.markup)
            return convert_page(page, replace(how, markup=markup)).text.encode("utf-8")
        source = read_text(path)
        if how.source_format is Format.WIKITEXT and not how.title and str(path) != STDIO:
            how = replace(how, title=title_of_file(path))
        return convert(source, how).encode("utf-8")
    except InputError as error:
        error.subject = error.subject or subject
        raise


def parse_title_list(text: str) -> tuple[str, ...]:
    """Titles from a ``--titles`` file: one per line; blank lines and ``#`` comments skipped."""
    return tuple(t for t in (line.strip() for line in text.splitlines()) if t and not t.startswith("#"))


def _xml_page(source: str | Path | io.BytesIO, markup: Markup) -> tuple[Page, Markup]:
    """The one page of an export, and ``markup`` extended with the export's namespace names."""
    from .formats.xml_read import read_single_page_and_site

    page, site = read_single_page_and_site(source)
    if page.latest is None:
        raise FormatError("the page in the export has no revision")
    return page, markup if site is None else markup.extended(site.namespaces)


def _page_article(page: Page, title: str | None, markup: Markup) -> Article:
    from .formats import wikitext_read

    if page.latest is None:
        raise FormatError("the page has no revision", subject=page.title)
    return wikitext_read.read(page.latest.text, title or page.title, markup)


def _write(article: Article, wiki: str | None, how: Conversion) -> Converted:
    """``article`` in the target format; ``wiki`` is its wikitext source when it was read from one,
    kept byte for byte."""
    from .formats import plaintext, wikitext_write
    from .formats.linking import recover_links

    target = how.target_format
    if target is Format.TEXT:
        return Converted(plaintext.write(article, edit_suffix=how.edit_suffix), article)
    if target is Format.JSON:
        return Converted(json.dumps(article_to_dict(article), ensure_ascii=False, indent=2) + "\n", article)
    lines: tuple[int | None, ...] = ()
    if wiki is None:
        wiki, line_list = wikitext_write.write_with_lines(article)
        lines = tuple(line_list)
    if how.known_titles:  # inserts brackets inside lines: the line mapping stays true
        wiki = recover_links(wiki, how.known_titles, page_title=article.title).text
    if target is Format.WIKITEXT:
        return Converted(wiki, article, lines)
    from .formats.xml_common import SiteInfo
    from .formats.xml_write import dump_pages

    check_title(article.title or "")  # a page MediaWiki would refuse to import must not be written
    redirect = parse_redirect(wiki, how.markup)
    page = Page(
        article.title,
        SiteInfo().namespace_of(article.title),
        redirect=redirect.target if redirect is not None and redirect.target else None,
        revisions=(Revision(text=wiki),),
    )
    return Converted(dump_pages([page]).decode("utf-8"), article)
