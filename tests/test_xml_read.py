"""The streaming export reader: every schema from 0.3 to 0.11, compression, encodings, damaged files."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from lxml import etree

from wikitools.errors import FormatError, InputError
from wikitools.formats.xml_common import base36_sha1, revision_sha1
from wikitools.formats.xml_read import DumpReader, XmlDumpWarning, iter_pages, read_single_page
from wikitools.model import Page, Revision, Slot

DATA = Path(__file__).parent / "data" / "xml"
VERSIONS = ["0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "0.10", "0.11"]
XSD_DIR = Path("/usr/share/doc/mediawiki/docs")

ARTICLE_TEXT = "'''Lake Zürich''' is a lake.<ref>Atlas &amp; more</ref>\n\n== Geography ==\nDeep  water.\t\n"


def fixture(version: str) -> Path:
    return DATA / f"export-{version}.xml"


def _schema(version: str) -> etree.XMLSchema:
    """MediaWiki's own xsd for ``version``, with the W3C xml.xsd it imports resolved to a local copy."""

    class LocalXmlXsd(etree.Resolver):
        def resolve(self, url, public_id, context):  # type: ignore[no-untyped-def]
            if url.endswith("/xml.xsd"):
                return self.resolve_filename(str(DATA / "xml.xsd"), context)
            return None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(LocalXmlXsd())
    path = XSD_DIR / f"export-{version}.xsd.gz"
    if not path.is_file():  # never skip: the schema check is part of what the tests prove
        pytest.fail(f"{path} is missing: install Debian's mediawiki package (with /usr/share/doc kept)")
    source = gzip.decompress(path.read_bytes())
    return etree.XMLSchema(etree.fromstring(source, parser, base_url=f"export-{version}.xsd"))


@pytest.mark.parametrize("version", VERSIONS)
def test_fixture_is_valid_against_mediawikis_own_schema(version: str) -> None:
    schema = _schema(version)
    assert schema.validate(etree.parse(str(fixture(version)))), schema.error_log


@pytest.mark.parametrize("version", VERSIONS)
def test_every_schema_version_reads_to_the_same_pages(version: str) -> None:
    reader = DumpReader(fixture(version))
    article, redirect, template = list(reader)
    prefix = "Help:" if version == "0.6" else ""  # 0.6's xsd forbids namespace 0
    assert reader.version == version
    assert reader.siteinfo is not None and reader.siteinfo.sitename == "Fixture Wiki"
    assert reader.siteinfo.namespaces[4] == "Fixture Wiki"
    assert article.title == f"{prefix}Zürich Lake" and article.namespace == (12 if prefix else 0)
    assert article.id == 11 and article.redirect is None
    rev = article.revisions[0]
    assert (rev.id, rev.timestamp, rev.contributor, rev.contributor_id) == (
        101,
        "2024-03-01T10:00:00Z",
        "Alice",
        7,
    )
    has_parent_ids = VERSIONS.index(version) >= VERSIONS.index("0.7")
    assert rev.parent_id == (100 if has_parent_ids else None)
    assert rev.comment == "first & <best>" and rev.minor is True
    assert rev.text == ARTICLE_TEXT
    assert (rev.model, rev.format) == ("wikitext", "text/x-wiki")
    assert redirect.redirect == f"{prefix}Zürich Lake" if version != "0.3" else redirect.redirect is None
    assert redirect.revisions[0].contributor == "192.0.2.5" and redirect.revisions[0].contributor_id is None
    assert template.namespace == 10 and [r.id for r in template.revisions] == [201, 202]
    assert template.latest is not None and template.latest.text == "<div>{{{name|}}}</div>"


def test_parent_ids_appear_from_schema_0_7() -> None:
    assert next(iter_pages(fixture("0.6"))).revisions[0].parent_id is None
    assert next(iter_pages(fixture("0.7"))).revisions[0].parent_id == 100


def test_schema_0_11_keeps_other_slots_beside_the_main_text() -> None:
    template = list(iter_pages(fixture("0.11")))[2]
    latest = template.revisions[-1]
    assert latest.text == "<div>{{{name|}}}</div>"
    assert latest.slots == {"mediainfo": Slot('{"labels":{}}', "wikibase-mediainfo", "application/json")}
    assert latest.sha1 == revision_sha1(latest.text, latest.slots) == "9wlx7okcvcqjmez8bdajeuwofvxneby"


def test_latest_only_keeps_the_last_revision() -> None:
    template = list(iter_pages(fixture("0.10"), latest_only=True))[2]
    assert [r.id for r in template.revisions] == [202]


@pytest.mark.parametrize(
    ("suffix", "compress"),
    [(".gz", gzip.compress), (".bz2", bz2.compress), (".xz", lzma.compress), (".xml", lzma.compress)],
)
def test_compressed_files_are_recognised_by_their_content(tmp_path: Path, suffix: str, compress) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / f"pages{suffix}"
    path.write_bytes(compress(fixture("0.10").read_bytes()))
    assert list(iter_pages(path)) == list(iter_pages(fixture("0.10")))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_and_bom_encodings(tmp_path: Path, encoding: str) -> None:
    text = fixture("0.10").read_text(encoding="utf-8")
    declared = "UTF-8" if encoding == "utf-8-sig" else "UTF-16"
    data = f'<?xml version="1.0" encoding="{declared}"?>\n{text}'.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = "\ufeff".encode(encoding) + data
    path = tmp_path / "pages.xml"
    path.write_bytes(data)
    assert list(iter_pages(path)) == list(iter_pages(fixture("0.10")))


def test_a_binary_stream_and_stdin_dash_are_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    data = fixture("0.11").read_bytes()
    assert len(list(iter_pages(io.BytesIO(data)))) == 3
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    assert len(list(iter_pages("-"))) == 3


def test_a_cut_off_file_yields_every_complete_page_then_names_the_line(tmp_path: Path) -> None:
    data = fixture("0.10").read_bytes()
    cut = data.index(b"<title>Template:Infobox") + 40
    path = tmp_path / "cut.xml"
    path.write_bytes(data[:cut])
    pages = []
    with pytest.raises(FormatError) as caught:
        pages.extend(iter_pages(path))
    assert [p.title for p in pages] == ["Zürich Lake", "Zurich lake"]
    line = data[:cut].count(b"\n") + 1
    message = str(caught.value)
    assert message.startswith(f"{path}: the file is cut off at line {line}, column ")
    assert "inside page 'Template:Infobox'" in message
    assert message.endswith("2 complete pages were read before it")


def test_a_cut_off_compressed_file_yields_complete_pages_then_fails(tmp_path: Path) -> None:
    data = lzma.compress(fixture("0.10").read_bytes() * 1)
    path = tmp_path / "cut.xml.xz"
    path.write_bytes(data[: len(data) - 40])
    with pytest.raises(
        FormatError, match=r"cut\.xml\.xz: the (xz data is damaged or cut off|file is cut off)"
    ):
        list(iter_pages(path))


def _with_wrong_sums(text: str) -> bytes:
    good_sha1 = base36_sha1(ARTICLE_TEXT.encode())
    return (
        text.replace(f"<sha1>{good_sha1}</sha1>", "<sha1>" + "1" * 31 + "</sha1>")
        .replace('bytes="88"', 'bytes="87"')
        .encode()
    )


def test_sha1_and_size_mismatches_are_warnings_with_the_line() -> None:
    data = _with_wrong_sums(fixture("0.10").read_text(encoding="utf-8"))
    messages: list[str] = []
    pages = list(iter_pages(io.BytesIO(data), on_warning=messages.append))
    assert len(pages) == 3
    assert messages == [
        "<stream>: line 22: page 'Zürich Lake' revision 101: bytes=87 but the text has 88 bytes",
        "<stream>: line 22: page 'Zürich Lake' revision 101: sha1 " + "1" * 31 + " does not match the text",
    ]


def test_verify_false_skips_the_checks() -> None:
    data = _with_wrong_sums(fixture("0.10").read_text(encoding="utf-8"))
    messages: list[str] = []
    assert len(list(iter_pages(io.BytesIO(data), on_warning=messages.append, verify=False))) == 3
    assert messages == []


def test_without_a_handler_mismatches_are_python_warnings() -> None:
    data = _with_wrong_sums(fixture("0.10").read_text(encoding="utf-8"))
    with pytest.warns(XmlDumpWarning) as caught:
        assert len(list(iter_pages(io.BytesIO(data)))) == 3
    assert any("does not match the text" in str(warning.message) for warning in caught)


def test_a_mismatch_explained_by_lost_carriage_returns_says_so() -> None:
    text = "line one\nline two"
    crlf_sha1 = base36_sha1(text.replace("\n", "\r\n").encode())
    doc = (
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10"><page><title>A</title>'
        f'<ns>0</ns><id>1</id><revision><id>1</id><text bytes="18">{text}</text><sha1>{crlf_sha1}</sha1>'
        "</revision></page></mediawiki>"
    )
    messages: list[str] = []
    list(iter_pages(io.BytesIO(doc.encode()), on_warning=messages.append))
    assert len(messages) == 2
    assert all(
        m.endswith("(it matches once line ends are CRLF: the export lost its carriage returns)")
        for m in messages
    )


def test_a_carriage_return_written_as_a_character_reference_is_kept() -> None:
    doc = (
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/"><page><title>A</title><ns>0</ns><id>1</id>'
        "<revision><id>1</id><text>a&#13;\nb</text></revision></page></mediawiki>"
    )
    assert read_single_page(io.BytesIO(doc.encode())).revisions[0].text == "a\r\nb"


def test_an_upload_inside_its_page_leaves_the_page_whole() -> None:
    doc = (
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11"><page>'
        "<title>File:A.png</title><ns>6</ns><id>7</id><revision><id>8</id><text>Photo.</text></revision>"
        "<upload><timestamp>2024-01-01T00:00:00Z</timestamp><filename>A.png</filename><size>3</size>"
        "</upload></page><page><title>B</title><ns>0</ns><id>9</id><revision><id>10</id><text>B.</text>"
        "</revision></page></mediawiki>"
    )
    pages = list(iter_pages(io.BytesIO(doc.encode()), verify=False))
    seen = [(p.title, p.id, p.revisions[-1].text) for p in pages]
    assert seen == [("File:A.png", 7, "Photo."), ("B", 9, "B.")]


def test_clean_files_give_no_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for version in VERSIONS:
            list(iter_pages(fixture(version)))


def test_read_single_page() -> None:
    one = (
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/"><page><title>Solo</title><ns>0</ns>'
        "<id>5</id><revision><id>9</id><text>hi</text></revision></page></mediawiki>"
    )
    assert read_single_page(io.BytesIO(one.encode())) == Page(
        "Solo", 0, 5, None, (Revision(id=9, text="hi"),)
    )
    with pytest.raises(FormatError, match="more than one page"):
        read_single_page(fixture("0.11"))
    with pytest.raises(FormatError, match="holds no page"):
        read_single_page(io.BytesIO(b'<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/"/>'))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "<stream>: the file holds no XML element"),
        (b"<html><body/></html>", "<stream>: not a MediaWiki XML export: the root element is <html>"),
        (
            b"<mediawiki>\n  <page>\n    <title a=1>X</title>",
            "<stream>: not well-formed XML at line 3, column 14: AttValue: \" or ' expected",
        ),
        (
            b"<mediawiki><page><title>X</title><id>abc</id></page></mediawiki>",
            "<stream>: <id> at line 1 is 'abc', not a number",
        ),
        (
            b"<mediawiki>\n<page><title>&nbsp;</title></page></mediawiki>",
            "<stream>: not well-formed XML at line 2, column 20: Entity 'nbsp' not defined",
        ),
    ],
)
def test_bad_documents_fail_with_line_and_column(data: bytes, message: str) -> None:
    with pytest.raises(FormatError) as caught:
        list(iter_pages(io.BytesIO(data), on_warning=[].append))  # no schema version: a warning, kept aside
    assert str(caught.value).startswith(message)


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(iter_pages(tmp_path / "absent.xml"))


def test_an_unknown_schema_version_is_read_with_a_warning() -> None:
    doc = b'<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.12/"><page><title>A</title></page></mediawiki>'
    expected = "unknown export schema version 0.12 (wikitools knows 0.3 to 0.11); reading it anyway"
    messages: list[str] = []
    assert [p.title for p in iter_pages(io.BytesIO(doc), on_warning=messages.append)] == ["A"]
    assert messages == [f"<stream>: {expected}"]


_MEMORY_PROBE = """
import itertools, sys
from wikitools.formats.xml_read import iter_pages

class Generated:
    name = "generated"
    def __init__(self, pages):
        self.parts = itertools.chain(
            [b'<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/">'],
            (b"<page><title>P%d</title><ns>0</ns><id>%d</id><revision><id>%d</id><text>" % (i, i + 1, i + 1)
             + b"x" * 20000 + b"</text></revision></page>" for i in range(pages)),
            [b"</mediawiki>"],
        )
        self.buffer = b""
    def peek(self, size):
        return b"<"
    def read(self, size=-1):
        while len(self.buffer) < size:
            part = next(self.parts, None)
            if part is None:
                break
            self.buffer += part
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

count = sum(1 for _ in iter_pages(Generated(int(sys.argv[1]))))
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent (pytest) across fork and exec
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:")).split()[1]
print(count, peak)
"""


def test_memory_does_not_grow_with_the_file() -> None:
    """Reading 200 MB of pages peaks at the same memory as reading 10 MB."""

    def peak_kb(pages: int) -> int:
        out = subprocess.run(
            [sys.executable, "-c", _MEMORY_PROBE, str(pages)], capture_output=True, text=True, check=True
        ).stdout.split()
        assert int(out[0]) == pages
        return int(out[1])

    small, large = peak_kb(500), peak_kb(10_000)
    assert large - small < 8 * 1024, f"peak RSS grew from {small} kB to {large} kB"
