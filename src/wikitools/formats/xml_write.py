"""Writer for MediaWiki export XML, schema 0.11, valid against MediaWiki's ``export-0.11.xsd``.

Public API:

- :func:`write_pages(pages, out, siteinfo=...) <write_pages>` streams pages to a binary file object.
- :func:`dump_pages` returns the document as bytes (``convert`` writes a single page with it).
- :func:`write_dump_file` writes a file atomically, compressed when its name ends in ``.gz``, ``.bz2``
  or ``.xz``.

The schema requires ids, a timestamp and a contributor on every revision. Pages and revisions without
an id get the smallest unused positive number (importers assign their own ids anyway); a revision
without a timestamp gets the time of writing; one without a contributor is attributed to
:data:`DEFAULT_CONTRIBUTOR`. ``sha1`` and ``bytes`` are always computed from the text being written, so
they are right even when a source's were not. Carriage returns are written as ``&#13;`` so that texts
with CRLF line ends survive the XML parser of the importer.
"""

from __future__ import annotations

import bz2
import gzip
import io
import ipaddress
import lzma
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from .. import __version__
from ..errors import FormatError
from ..fileio import atomic_write
from ..model import Page, Revision
from .xml_common import (
    EXPORT_NAMESPACE,
    EXPORT_SCHEMA_URL,
    EXPORT_VERSION,
    SiteInfo,
    base36_sha1,
    revision_sha1,
)

DEFAULT_CONTRIBUTOR = "wikitools"
COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    ".gz": lambda data: gzip.compress(data, mtime=0),
    ".bz2": bz2.compress,
    ".xz": lzma.compress,
}

_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")
_MODEL = re.compile(r"[a-zA-Z][-+./a-zA-Z0-9]*")
_FORMAT = re.compile(r"[a-zA-Z][-+.a-zA-Z0-9]*/[a-zA-Z][-+.a-zA-Z0-9]*")
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def write_pages(pages: Iterable[Page], out: IO[bytes], *, siteinfo: SiteInfo | None = None) -> int:
    """Write an export-0.11 document holding ``pages`` to ``out``; returns how many pages it wrote."""
    writer = _DocumentWriter(out)
    if isinstance(pages, Sequence):
        writer.reserve_ids(pages)
    writer.header(siteinfo or SiteInfo(sitename="wikitools export", generator=f"wikitools {__version__}"))
    count = 0
    for page in pages:
        writer.page(page)
        count += 1
    out.write(b"</mediawiki>\n")
    return count


def dump_pages(pages: Iterable[Page], *, siteinfo: SiteInfo | None = None) -> bytes:
    """The export-0.11 document holding ``pages``, as bytes."""
    buffer = io.BytesIO()
    write_pages(pages, buffer, siteinfo=siteinfo)
    return buffer.getvalue()


def write_dump_file(path: str | Path, pages: Iterable[Page], *, siteinfo: SiteInfo | None = None) -> int:
    """Write ``pages`` to ``path`` atomically (compressed by its suffix); returns the page count."""
    buffer = io.BytesIO()
    count = write_pages(pages, buffer, siteinfo=siteinfo)
    compress = COMPRESSORS.get(Path(path).suffix.lower())
    data = buffer.getvalue()
    atomic_write(path, compress(data) if compress else data)
    return count


class _DocumentWriter:
    """Writes one document, handing out ids that are unique within it."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.page_ids: set[int] = set()
        self.revision_ids: set[int] = set()
        self.reserved_pages: set[int] = set()
        self.reserved_revisions: set[int] = set()
        self.now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def reserve_ids(self, pages: Sequence[Page]) -> None:
        """Keep the ids pages bring for them, so that ids handed out earlier never collide."""
        self.reserved_pages = {p.id for p in pages if p.id is not None}
        self.reserved_revisions = {r.id for p in pages for r in p.revisions if r.id is not None}

    def header(self, siteinfo: SiteInfo) -> None:
        lines = [
            f'<mediawiki xmlns="{EXPORT_NAMESPACE}" xmlns:xsi="{_XSI}" '
            f'xsi:schemaLocation="{EXPORT_NAMESPACE} {EXPORT_SCHEMA_URL}" '
            f'version="{EXPORT_VERSION}" xml:lang="en">',
            "  <siteinfo>",
        ]
        for name in ("sitename", "dbname", "base", "generator"):
            value = getattr(siteinfo, name)
            if value:
                lines.append(f"    <{name}>{_escape(value, name)}</{name}>")
        lines.append(f"    <case>{_escape(siteinfo.case, 'case')}</case>")
        lines.append("    <namespaces>")
        for key, name in sorted(siteinfo.namespaces.items()):
            start = f'      <namespace key="{key}" case="{_attribute(siteinfo.case, "case")}"'
            lines.append(f"{start}>{_escape(name, 'namespace')}</namespace>" if name else f"{start} />")
        lines += ["    </namespaces>", "  </siteinfo>", ""]
        self.out.write("\n".join(lines).encode("utf-8"))

    def page(self, page: Page) -> None:
        subject = page.title
        if not page.title.strip():
            raise FormatError("a page without a title cannot be exported")
        if page.namespace < 0:
            raise FormatError(f"namespace {page.namespace} has no pages to export", subject=subject)
        lines = [
            "  <page>",
            f"    <title>{_escape(page.title, subject)}</title>",
            f"    <ns>{page.namespace}</ns>",
            f"    <id>{self._id(page.id, self.page_ids, self.reserved_pages, 'page', subject)}</id>",
        ]
        if page.redirect is not None:
            lines.append(f'    <redirect title="{_attribute(page.redirect, subject)}" />')
        self.out.write(("\n".join(lines) + "\n").encode("utf-8"))
        for revision in page.revisions:
            self.out.write(self._revision(revision, subject).encode("utf-8"))
        self.out.write(b"  </page>\n")

    def _revision(self, revision: Revision, subject: str) -> str:
        revision_id = self._id(revision.id, self.revision_ids, self.reserved_revisions, "revision", subject)
        timestamp = revision.timestamp or self.now
        if not _TIMESTAMP.fullmatch(timestamp):
            raise FormatError(
                f"revision {revision_id}: timestamp {timestamp!r} is not ISO 8601", subject=subject
            )
        lines = ["    <revision>", f"      <id>{revision_id}</id>"]
        if revision.parent_id:
            lines.append(f"      <parentid>{revision.parent_id}</parentid>")
        lines += [f"      <timestamp>{timestamp}</timestamp>", *_contributor(revision, subject)]
        if revision.minor:
            lines.append("      <minor />")
        if revision.comment is not None:
            lines.append(f"      <comment>{_escape(revision.comment, subject)}</comment>")
        lines += [
            f"      <origin>{revision_id}</origin>",
            *_model_and_format(revision.model, revision.format, "      ", subject),
            f"      {_text(revision.text, subject)}",
        ]
        for role, slot in sorted(revision.slots.items()):
            lines += [
                "      <content>",
                f"        <role>{_escape(role, subject)}</role>",
                f"        <origin>{revision_id}</origin>",
                *_model_and_format(slot.model, slot.format, "        ", subject),
                f"        {_text(slot.text, subject)}",
                "      </content>",
            ]
        lines += [f"      <sha1>{revision_sha1(revision.text, revision.slots)}</sha1>", "    </revision>", ""]
        return "\n".join(lines)

    @staticmethod
    def _id(wanted: int | None, used: set[int], reserved: set[int], kind: str, subject: str) -> int:
        if wanted is None:
            wanted = len(used) + 1
            while wanted in used or wanted in reserved:
                wanted += 1
        elif wanted <= 0 or wanted in used:
            problem = "is not positive" if wanted <= 0 else "is used twice in this export"
            raise FormatError(f"{kind} id {wanted} {problem}", subject=subject)
        used.add(wanted)
        return wanted


def _contributor(revision: Revision, subject: str) -> list[str]:
    name = revision.contributor or DEFAULT_CONTRIBUTOR
    if revision.contributor_id is None and _is_ip(name):
        return ["      <contributor>", f"        <ip>{_escape(name, subject)}</ip>", "      </contributor>"]
    lines = ["      <contributor>", f"        <username>{_escape(name, subject)}</username>"]
    if revision.contributor_id is not None:
        lines.append(f"        <id>{revision.contributor_id}</id>")
    return [*lines, "      </contributor>"]


def _model_and_format(model: str, content_format: str, indent: str, subject: str) -> list[str]:
    if not _MODEL.fullmatch(model):
        raise FormatError(f"content model {model!r} is not a valid model name", subject=subject)
    if not _FORMAT.fullmatch(content_format):
        raise FormatError(f"content format {content_format!r} is not a MIME type", subject=subject)
    return [f"{indent}<model>{model}</model>", f"{indent}<format>{content_format}</format>"]


def _text(text: str, subject: str) -> str:
    data = text.encode("utf-8")
    attributes = f'bytes="{len(data)}" sha1="{base36_sha1(data)}" xml:space="preserve"'
    return f"<text {attributes}>{_escape(text, subject)}</text>" if text else f"<text {attributes} />"


def _escape(text: str, subject: str) -> str:
    bad = _NOT_IN_XML.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise FormatError(
            f"U+{ord(bad.group()):04X} on line {line} cannot be written in XML (remove it and retry)",
            subject=subject,
        )
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attribute(text: str, subject: str) -> str:
    escaped = _escape(text, subject).replace('"', "&quot;")
    return escaped.replace("\n", "&#10;").replace("\t", "&#9;")


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


__all__ = ["DEFAULT_CONTRIBUTOR", "dump_pages", "write_dump_file", "write_pages"]
