"""Where pages come from: files and directories, ``.txt`` through the plain-text reader, XML exports
page by page, and stdin; and the job records the runner sends to worker processes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, WikitoolsError
from ..fileio import STDIO, read_text, walk_files
from ..formats.xml_common import redirect_target
from ..titles import WIKITEXT_SUFFIXES, title_of_file
from .engine import PageInput, title_namespace
from .languages import site_language

TEXT_SUFFIXES = (".txt",)
XML_SUFFIXES = (".xml", ".xml.bz2", ".xml.gz", ".xml.xz")
LINTABLE_SUFFIXES = (*WIKITEXT_SUFFIXES, *TEXT_SUFFIXES, *XML_SUFFIXES)


@dataclass(frozen=True)
class FileJob:
    """A file to read (in the worker, so reading is parallel too)."""

    path: str
    title: str | None = None


@dataclass(frozen=True)
class FailedInput:
    """An input that failed while it was being opened (a broken XML file); reported, not linted."""

    path: str
    message: str


@dataclass(frozen=True)
class XmlFile:
    """A MediaWiki export to lint page by page."""

    path: str


Job = FileJob | PageInput | FailedInput
Source = FileJob | XmlFile | PageInput | FailedInput


def check_paths(paths: Sequence[str]) -> None:
    """Raise :class:`InputError` for a named path that does not exist or cannot be linted, before any
    work starts (files found inside directories are filtered by suffix instead)."""
    for path in paths:
        p = Path(path)
        if path == STDIO or p.is_dir():
            continue
        if not p.exists():
            raise InputError("no such file or directory", subject=path)
        if not _is_xml(p.name) and not p.name.endswith(LINTABLE_SUFFIXES):
            raise InputError(
                "not a file wikitools can lint",
                subject=path,
                hint="lintable: " + ", ".join(LINTABLE_SUFFIXES),
            )


def discover(paths: Sequence[str], *, title: str | None = None) -> Iterator[FileJob | XmlFile | FailedInput]:
    """Files to lint, in a stable order: each path as given, directories walked in sorted order for
    lintable suffixes (hidden entries skipped; a directory without any is a failed input). Call
    :func:`check_paths` first."""
    for path in paths:
        if path == STDIO:
            yield FileJob(STDIO, title)
        elif Path(path).is_dir():
            empty = True
            for found in walk_files(path, LINTABLE_SUFFIXES):
                empty = False
                yield XmlFile(str(found)) if _is_xml(found.name) else FileJob(str(found))
            if empty:
                problem = InputError(
                    "no file to lint in this directory", subject=path,
                    hint="lintable: " + ", ".join(LINTABLE_SUFFIXES),
                )  # fmt: skip
                yield FailedInput(path, str(problem))
        else:
            yield XmlFile(path) if _is_xml(path) else FileJob(path, title)


def _is_xml(name: str) -> bool:
    return name.lower().endswith(XML_SUFFIXES)


def page_from_file(path: str, title: str | None = None) -> PageInput:
    """Read a ``.wiki``/``.mediawiki`` file (or stdin) as wikitext, or a ``.txt`` file through the
    plain-text reader, keeping the map back to the ``.txt`` lines."""
    text = read_text(path, allow_empty=True)
    shown = "<stdin>" if path == STDIO else path
    page_title = title or _title_of(path)
    if path != STDIO and path.endswith(TEXT_SUFFIXES):
        from ..formats import plaintext, wikitext

        try:
            article = plaintext.read(text)
        except WikitoolsError as error:
            raise InputError(error.message, subject=shown, hint=error.hint) from None
        wiki, lines = wikitext.write_with_lines(article)
        return PageInput(
            shown, wiki, page_title, title_namespace(page_title), source_lines=tuple(lines), source_text=text
        )
    return PageInput(
        shown, text, page_title, title_namespace(page_title),
        fix_path=None if path == STDIO else path, redirect_to=redirect_target(text),
    )  # fmt: skip


def _title_of(path: str) -> str:
    if path == STDIO:
        raise InputError("reading stdin needs --title to name the page", subject="<stdin>")
    return title_of_file(path)


def pages_from_xml(path: str, *, verify: bool = False) -> Iterator[PageInput]:
    """Each wikitext page of an XML export, latest revision, in the language its ``<siteinfo>`` names.

    ``verify`` compares each revision with its ``sha1`` and ``bytes`` (a third of the reading time);
    what does not match is kept in the page's ``warnings``."""
    from ..formats.xml_read import DumpReader

    warnings: list[str] = []
    reader = DumpReader(path, latest_only=True, verify=verify, on_warning=warnings.append)
    for page in reader:
        revision = page.latest
        if revision is None or revision.model != "wikitext":
            warnings.clear()
            continue
        yield PageInput(
            path, revision.text, page.title, page.namespace, redirect_to=page.redirect, in_archive=True,
            language=site_language(reader.siteinfo), warnings=tuple(warnings),
        )  # fmt: skip
        warnings.clear()


def expand(sources: Iterable[Source], *, verify: bool = False) -> Iterator[Job]:
    """Each source as a page job: XML files opened into their pages (a broken file ends in a
    :class:`FailedInput` after its complete pages); ``verify`` as :func:`pages_from_xml` says."""
    for source in sources:
        if isinstance(source, XmlFile):
            try:
                yield from pages_from_xml(source.path, verify=verify)
            except WikitoolsError as error:
                yield FailedInput(source.path, str(error))
        else:
            yield source
