"""Streaming reader for MediaWiki XML exports (Special:Export and dumps, schemas 0.3 to 0.11).

Public API:

- :func:`iter_pages(source) <iter_pages>` yields one :class:`~wikitools.model.Page` at a time; this is what
  ``lint`` uses to check a ``.xml`` file page by page.
- :class:`DumpReader` does the same and also exposes the ``<siteinfo>`` and schema version.
- :func:`read_single_page` reads a file holding exactly one page (for ``convert``).

``source`` is a path (``-`` for stdin) or a binary file object. Plain, gzip, bzip2 and xz files are told
apart by their first bytes, not their names; UTF-8 and UTF-16 (with a byte-order mark) are read.

The parser runs without entity expansion, DTD loading, network access or ``huge_tree``, and a document
with a ``<!DOCTYPE>`` is refused before its body is read: MediaWiki never writes one. Elements are
cleared as soon as a revision or page is built, so memory does not grow with the file.

Problems in the data that a reader can live with — a ``<sha1>`` or ``bytes`` that does not match the
text, an unknown schema version — are reported through ``on_warning`` (a callable taking one message
string). Without one they are issued as :class:`XmlDumpWarning` through Python's :mod:`warnings`.
Everything else raises :class:`~wikitools.errors.FormatError` (or :class:`~wikitools.errors.InputError`
for an unreadable file) with the line and column; pages completed before the problem have already been
yielded.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import lzma
import re
import sys
import warnings
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from lxml import etree

from ..errors import FormatError, InputError
from ..fileio import STDIO, open_binary
from ..model import Page, Revision, Slot
from .xml_common import SiteInfo, base36_sha1, redirect_target, revision_sha1

Source = str | Path | IO[bytes]
WarningHandler = Callable[[str], None]

SUPPORTED_VERSIONS = ("0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "0.10", "0.11")
PROLOG_CHUNK = 64 * 1024
PROLOG_LIMIT = 1024 * 1024  # a real export's root element starts within its first few hundred bytes
_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "load_dtd": False,
    "no_network": True,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
_EVENT_TAGS = [f"{{*}}{name}" for name in ("mediawiki", "siteinfo", "page", "revision", "logitem", "upload")]
_COMPRESSIONS: tuple[tuple[bytes, str, Callable[[IO[bytes]], IO[bytes]]], ...] = (
    (b"\x1f\x8b", "gzip", lambda raw: gzip.GzipFile(fileobj=raw, mode="rb")),
    (b"BZh", "bzip2", lambda raw: bz2.BZ2File(raw, mode="rb")),
    (b"\xfd7zXZ\x00", "xz", lambda raw: lzma.LZMAFile(raw, mode="rb")),  # noqa: SIM115
)
_DECOMPRESSION_ERRORS = (EOFError, lzma.LZMAError, zlib.error, gzip.BadGzipFile)
_NAMESPACE_VERSION = re.compile(r"export-(\d+\.\d+)/?$")
_LIBXML_POSITION = re.compile(r",? line \d+, column \d+$")
_CUT_OFF_MESSAGES = ("Premature end of data", "Couldn't find end of", "EndTag: '</' not found")
_CRLF_HINT = " (it matches once line ends are CRLF: the export lost its carriage returns)"


class XmlDumpWarning(UserWarning):
    """Data in an export that is wrong but readable (a sha1 or size that does not match the text)."""


class DumpReader:
    """Iterate over the pages of one export file; ``siteinfo`` and ``version`` fill in as it reads.

    ``verify=False`` skips comparing each text with its ``sha1`` and ``bytes`` (about a third of the
    reader's time on text-heavy dumps) for callers that do not care whether the export is consistent.
    ``latest_only=True`` keeps only each page's last revision, so a full-history dump costs the memory
    of one revision per page, not all of them.
    """

    def __init__(
        self,
        source: Source,
        *,
        on_warning: WarningHandler | None = None,
        latest_only: bool = False,
        verify: bool = True,
    ) -> None:
        self.source = source
        self.name = _display_name(source)
        self.latest_only = latest_only
        self.verify = verify
        self.siteinfo: SiteInfo | None = None
        self.version: str | None = None
        self.pages_read = 0
        self._warn = on_warning or _python_warning

    def __iter__(self) -> Iterator[Page]:
        with open_decompressed(self.source, self.name) as (raw, compression):
            stream = self._check_prolog(raw)
            yield from self._parse(stream, compression)

    def _check_prolog(self, raw: IO[bytes]) -> IO[bytes]:
        """Refuse a DTD or a foreign root element before the body is parsed; return the stream rewound.

        A separate parser looks at the start of the document only, so a hostile or unrelated file is
        refused without building any of its tree. When the start cannot be parsed, the main parse
        reports the error with its position.
        """
        probe = etree.XMLPullParser(events=("start",), **_PARSER_OPTIONS)
        prefix = b""
        try:
            while len(prefix) < PROLOG_LIMIT:
                chunk = raw.read(PROLOG_CHUNK)
                if not chunk:
                    break
                prefix += chunk
                probe.feed(chunk)
                for _, root in probe.read_events():
                    self._check_root(root, _local(root.tag))
                    return _Replay(prefix, raw)
        except etree.XMLSyntaxError:
            pass
        except (*_DECOMPRESSION_ERRORS, OSError):
            pass  # the main parse meets the same error and reports it
        return _Replay(prefix, raw)

    def _parse(self, stream: IO[bytes], compression: str | None) -> Iterator[Page]:
        events = etree.iterparse(stream, events=("start", "end"), tag=_EVENT_TAGS, **_PARSER_OPTIONS)
        page_element: Any = None
        revisions: list[Revision] = []
        try:
            for event, element in events:
                name = _local(element.tag)
                if event == "start":
                    if self.version is None:
                        self._check_root(element, name)
                    elif name == "page":
                        page_element, revisions = element, []
                elif name == "revision":
                    revision = self._revision(element, page_element)
                    if self.latest_only:
                        revisions = [revision]
                    else:
                        revisions.append(revision)
                    element.clear()
                elif name == "page":
                    yield self._page(element, revisions)
                    self.pages_read += 1
                    page_element, revisions = None, []
                    _forget(element)
                elif name == "siteinfo":
                    self.siteinfo = _siteinfo(element, self.name)
                    _forget(element)
                elif name != "mediawiki" and element.getparent() is not None:
                    if page_element is None:
                        _forget(element)  # a <logitem> or <upload> between pages
                    else:
                        element.clear(keep_tail=False)  # an <upload> in its <page>: the page's children stay
        except etree.XMLSyntaxError as error:
            raise self._syntax_error(error, events.error_log, stream, page_element) from None
        except (*_DECOMPRESSION_ERRORS, OSError) as error:
            if compression is None:
                raise InputError(f"cannot be read ({error})", subject=self.name) from None
            raise FormatError(
                f"the {compression} data is damaged or cut off ({error}); "
                f"{self.pages_read} complete pages were read before it",
                subject=self.name,
            ) from None
        if self.version is None:  # the root was never seen as <mediawiki>: say what it is
            root = events.root
            if root is None:
                raise FormatError("the file holds no XML element", subject=self.name)
            self._check_root(root, _local(root.tag))

    def _check_root(self, root: Any, name: str) -> None:
        docinfo = root.getroottree().docinfo
        if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
            raise FormatError(
                "the document has a <!DOCTYPE> declaration; refusing to read it "
                "(MediaWiki exports never have one, and DTDs can expand entities or read other files)",
                subject=self.name,
            )
        if name != "mediawiki":
            raise FormatError(
                f"not a MediaWiki XML export: the root element is <{name}>, not <mediawiki> "
                f"(line {root.sourceline})",
                subject=self.name,
            )
        match = _NAMESPACE_VERSION.search(root.tag.rpartition("}")[0])
        self.version = root.get("version") or (match.group(1) if match else "")
        if self.version not in SUPPORTED_VERSIONS:
            self._warn(
                f"{self.name}: unknown export schema version {self.version or '(none)'} "
                f"(wikitools knows {SUPPORTED_VERSIONS[0]} to {SUPPORTED_VERSIONS[-1]}); reading it anyway"
            )

    def _revision(self, element: Any, page_element: Any) -> Revision:
        fields: dict[str, Any] = {}
        slots: dict[str, Slot] = {}
        text_element: Any = None
        given_sha1: str | None = None
        for child in element:
            name = _local(child.tag)
            if name == "id":
                fields["id"] = _integer(child, self.name)
            elif name == "parentid":
                fields["parent_id"] = _integer(child, self.name)
            elif name == "timestamp":
                fields["timestamp"] = (child.text or "").strip() or None
            elif name == "contributor":
                fields.update(_contributor(child, self.name))
            elif name == "comment":
                fields["comment"] = child.text or ""
            elif name == "minor":
                fields["minor"] = True
            elif name in ("model", "format") and (child.text or "").strip():
                fields[name] = child.text.strip()
            elif name == "text":
                text_element = child
                fields["text"] = child.text or ""
            elif name == "content":
                role, slot = _slot(child)
                if role:
                    slots[role] = slot
            elif name == "sha1":
                given_sha1 = (child.text or "").strip() or None
        revision = Revision(**fields, sha1=given_sha1, slots=slots)
        if self.verify and text_element is not None and text_element.get("deleted") is None:
            self._check_sums(revision, text_element, page_element, element.sourceline)
        return revision

    def _check_sums(self, revision: Revision, text_element: Any, page_element: Any, line: int) -> None:
        data = revision.text.encode("utf-8")
        size = text_element.get("bytes")
        if size is not None and size.isdigit() and int(size) != len(data):
            crlf_size = len(data) + data.count(b"\n")
            hint = _CRLF_HINT if int(size) == crlf_size else ""
            where = _where(self.name, line, page_element, revision)
            self._warn(f"{where}: bytes={size} but the text has {len(data)} bytes{hint}")
        if revision.sha1:
            actual = revision_sha1(revision.text, revision.slots) if revision.slots else base36_sha1(data)
            if actual != revision.sha1:
                crlf_sha1 = revision_sha1(revision.text.replace("\n", "\r\n"), revision.slots)
                hint = _CRLF_HINT if revision.sha1 == crlf_sha1 else ""
                where = _where(self.name, line, page_element, revision)
                self._warn(f"{where}: sha1 {revision.sha1} does not match the text{hint}")

    def _page(self, element: Any, revisions: list[Revision]) -> Page:
        title, namespace, page_id, redirect = None, None, None, None
        redirect_flag = False
        for child in element:
            name = _local(child.tag)
            if name == "title":
                title = child.text or ""
            elif name == "ns":
                namespace = _integer(child, self.name)
            elif name == "id":
                page_id = _integer(child, self.name)
            elif name == "redirect":
                redirect_flag = True
                target = child.get("title")  # 0.7 on; 0.6 has the target as text, 0.4 and 0.5 only a flag
                redirect = target if target is not None else (child.text or "").strip() or None
        if not title:
            raise FormatError(f"a <page> without a <title> (line {element.sourceline})", subject=self.name)
        if namespace is None:
            namespace = (self.siteinfo or SiteInfo()).namespace_of(title)
        if redirect_flag and redirect is None and revisions:
            redirect = redirect_target(revisions[-1].text)
        return Page(
            title=title, namespace=namespace, id=page_id, redirect=redirect, revisions=tuple(revisions)
        )

    def _syntax_error(
        self, error: etree.XMLSyntaxError, log: Any, stream: IO[bytes], page_element: Any
    ) -> FormatError:
        line, column = error.position
        message = _LIBXML_POSITION.sub("", error.msg or str(error))
        causes = [entry for entry in log if entry.level >= etree.ErrorLevels.ERROR]
        if causes:  # the log holds the first real error; the exception can be a later symptom of it
            line, column, message = causes[0].line, causes[0].column, causes[0].message.strip()
        done = f"{self.pages_read} complete pages were read before it"
        if any(message.startswith(m) for m in _CUT_OFF_MESSAGES) and _at_end(stream):
            inside = f" inside page {_title_of(page_element)!r}" if page_element is not None else ""
            return FormatError(
                f"the file is cut off at line {line}, column {column}{inside} ({message}); {done}",
                subject=self.name,
            )
        if line == 0:
            return FormatError("the file holds no XML element", subject=self.name)
        if "Text node too long" in message:
            return FormatError(
                f"a text at line {line} is longer than the parser's 10 MB safety limit "
                "(MediaWiki's own limit is 2 MB by default; wikitools does not lift it); "
                f"{done}",
                subject=self.name,
            )
        if message.startswith("Entity '"):
            message += " (XML itself defines only &amp; &lt; &gt; &quot; &apos;)"
        return FormatError(
            f"not well-formed XML at line {line}, column {column}: {message}; {done}", subject=self.name
        )


def iter_pages(
    source: Source,
    *,
    on_warning: WarningHandler | None = None,
    latest_only: bool = False,
    verify: bool = True,
) -> Iterator[Page]:
    """Yield each page of an export file in order (see the module docstring for what ``source`` can be;
    :class:`DumpReader` for the options)."""
    return iter(DumpReader(source, on_warning=on_warning, latest_only=latest_only, verify=verify))


def read_single_page(source: Source, *, on_warning: WarningHandler | None = None) -> Page:
    """The one page an export file holds; :class:`FormatError` when it holds none or several."""
    return read_single_page_and_site(source, on_warning=on_warning)[0]


def read_single_page_and_site(
    source: Source, *, on_warning: WarningHandler | None = None
) -> tuple[Page, SiteInfo | None]:
    """Like :func:`read_single_page`, with the export's ``<siteinfo>`` (its namespace names), if any."""
    reader = DumpReader(source, on_warning=on_warning)
    pages = iter(reader)
    first = next(pages, None)
    if first is None:
        raise FormatError("the export holds no page", subject=reader.name)
    if next(pages, None) is not None:
        raise FormatError(
            "the export holds more than one page (a single page was expected; use 'unpack' for many)",
            subject=reader.name,
        )
    return first, reader.siteinfo


@contextlib.contextmanager
def open_decompressed(source: Source, name: str) -> Iterator[tuple[IO[bytes], str | None]]:
    """The file's XML bytes, decompressed if its first bytes say so, and the compression's name."""
    with contextlib.ExitStack() as stack:
        if isinstance(source, str | Path):
            if str(source) == STDIO:
                raw: IO[bytes] = sys.stdin.buffer
            else:
                raw = stack.enter_context(open_binary(source))
        else:
            raw = source
        head = _peek(raw, 6)
        for magic, compression, opener in _COMPRESSIONS:
            if head.startswith(magic):
                yield stack.enter_context(opener(raw)), compression
                return
        yield raw, None


def _peek(raw: IO[bytes], size: int) -> bytes:
    peek = getattr(raw, "peek", None)
    if peek is not None:
        return peek(size)[:size]
    if raw.seekable():
        position = raw.tell()
        head = raw.read(size)
        raw.seek(position)
        return head
    raise InputError("cannot look ahead in this stream; pass a file or a buffered stream")


class _Replay(io.RawIOBase):
    """A stream that first gives back the bytes already read from it, then the rest."""

    def __init__(self, prefix: bytes, rest: IO[bytes]) -> None:
        super().__init__()
        self.prefix = prefix
        self.rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if not self.prefix:
            return self.rest.read(size)
        if size is None or size < 0:
            data, self.prefix = self.prefix + self.rest.read(), b""
        else:
            data, self.prefix = self.prefix[:size], self.prefix[size:]
        return data


def _at_end(stream: IO[bytes]) -> bool:
    try:
        return stream.read(1) == b""
    except (OSError, *_DECOMPRESSION_ERRORS):
        return True


def _forget(element: Any) -> None:
    """Free a finished element and everything before it, so the tree never grows."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _local(tag: Any) -> str:
    """An element's name without its XML namespace (every export schema version, or none)."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _namespace_key(element: Any, name: str) -> int:
    key = element.get("key", "")
    try:
        return int(key)
    except ValueError:
        raise FormatError(
            f"<namespace key={key!r}> at line {element.sourceline} is not a number", subject=name
        ) from None


def _siteinfo(element: Any, source_name: str) -> SiteInfo:
    fields: dict[str, Any] = {}
    for child in element:
        part = _local(child.tag)
        if part in ("sitename", "dbname", "base", "generator", "case"):
            fields[part] = (child.text or "").strip()
        elif part == "namespaces":
            fields["namespaces"] = {_namespace_key(ns, source_name): (ns.text or "").strip() for ns in child}
    return SiteInfo(**fields)


def _contributor(element: Any, name: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for child in element:
        part = _local(child.tag)
        if part in ("username", "ip"):
            found["contributor"] = child.text or ""
        elif part == "id":
            found["contributor_id"] = _integer(child, name)
    return found


def _slot(element: Any) -> tuple[str | None, Slot]:
    """The role and content of a ``<content>`` element (``None`` for the main slot)."""
    role, fields = None, {}
    for child in element:
        part = _local(child.tag)
        if part == "role":
            role = (child.text or "").strip() or None
        elif part == "text":
            fields["text"] = child.text or ""
        elif part in ("model", "format") and (child.text or "").strip():
            fields[part] = child.text.strip()
    return (None if role == "main" else role), Slot(**{"text": "", **fields})


def _integer(element: Any, name: str) -> int:
    value = (element.text or "").strip()
    try:
        return int(value)
    except ValueError:
        raise FormatError(
            f"<{_local(element.tag)}> at line {element.sourceline} is {value!r}, not a number",
            subject=name,
        ) from None


def _title_of(page_element: Any) -> str | None:
    if page_element is None:
        return None
    for child in page_element:
        if _local(child.tag) == "title":
            return child.text
    return None


def _where(name: str, line: int, page_element: Any, revision: Revision) -> str:
    return f"{name}: line {line}: page {_title_of(page_element)!r} revision {revision.id}"


def _display_name(source: Source) -> str:
    if isinstance(source, str | Path):
        return "<stdin>" if str(source) == STDIO else str(source)
    return str(getattr(source, "name", "<stream>"))


def _python_warning(message: str) -> None:
    warnings.warn(message, XmlDumpWarning, stacklevel=4)


__all__ = ["DumpReader", "XmlDumpWarning", "iter_pages", "open_decompressed", "read_single_page"]
