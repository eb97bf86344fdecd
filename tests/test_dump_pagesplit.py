"""The byte-level page splitter gives exactly the pages the safe XML reader gives, on the writer's
output and on hand-made tricky exports; on anything unusual it leaves the partition to the safe
reader, which gives the same pages or the same error."""

from __future__ import annotations

import bz2
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wikitools.dump import DumpPage, Partition, partitions, read_pages
from wikitools.dump.pagesplit import split_pages, unescape
from wikitools.errors import FormatError
from wikitools.formats.xml_common import SiteInfo
from wikitools.formats.xml_write import write_pages
from wikitools.model import Page, Revision

SITEINFO = SiteInfo(sitename="Test", dbname="testwiki", namespaces={0: "", 1: "Talk", 10: "Template"})


def _document(pages: list[Page]) -> bytes:
    out = io.BytesIO()
    write_pages(pages, out, siteinfo=SITEINFO)
    return out.getvalue()


HEADER = _document([]).removesuffix(b"</mediawiki>\n")
CLOSING = b"</mediawiki>\n"


def _read(partition: Partition, names: tuple[Path, ...]) -> list[DumpPage] | str:
    try:
        return list(read_pages(partition))
    except FormatError as error:
        message = str(error)
        for name in names:
            message = message.replace(str(name.resolve()), "<dump>")
        return message


def _both(directory: Path, body: bytes) -> tuple[list[DumpPage] | str, list[DumpPage] | str]:
    """The pages of ``body`` read from a multistream partition (the splitter, unless it declines) and
    from a plain export of the same bytes (the safe reader)."""
    header = bz2.compress(HEADER)
    dump = directory / "t-multistream.xml.bz2"
    dump.write_bytes(header + bz2.compress(body) + bz2.compress(CLOSING))
    (directory / "t-multistream-index.txt.bz2").write_bytes(bz2.compress(f"{len(header)}:1:X\n".encode()))
    plain = directory / "t.xml"
    plain.write_bytes(HEADER + body + CLOSING)
    [fast] = partitions([dump])
    [safe] = partitions([plain])
    assert fast.is_range and not safe.is_range
    return _read(fast, (dump, plain)), _read(safe, (dump, plain))


# the characters XML escapes, markup, and some that are not ASCII (built from one alphabet: cheap to draw)
TEXT = st.text(st.sampled_from("&<>\"';#[]{}|=\n\t x]a\u00e4\u00a0\u4e2d\U0001f600\u200f"), max_size=30)


@st.composite
def pages(draw: st.DrawFn) -> list[Page]:
    result = []
    for number in range(1, draw(st.integers(1, 4)) + 1):
        revisions = tuple(
            Revision(
                id=100 * number + r,
                text=draw(TEXT),
                model=draw(st.sampled_from(["wikitext", "wikitext", "css"])),
                timestamp="2024-01-01T00:00:00Z",
                comment=draw(TEXT),
            )
            for r in range(draw(st.integers(1, 2)))
        )
        title = draw(TEXT.filter(lambda t: t.strip() != ""))
        namespace = draw(st.sampled_from([0, 1, 10]))
        redirect = draw(st.one_of(st.none(), TEXT))
        result.append(
            Page(title=title, namespace=namespace, id=number, redirect=redirect, revisions=revisions)
        )
    return result


@given(pages())
def test_the_writers_output_reads_the_same_through_the_splitter(generated: list[Page]) -> None:
    document = _document(generated)
    body = document[len(HEADER) : -len(CLOSING)]
    if b"\r" not in body:  # XML turns a literal CR into LF: that is left to the safe reader
        assert split_pages(body) is not None
    with tempfile.TemporaryDirectory() as directory:
        fast, safe = _both(Path(directory), body)
    assert fast == safe


def _page(inner: str, *, title: str = "A &amp; B", page_id: str = "7", text_open: str = "<text>") -> bytes:
    return (
        f"  <page>\n    <title>{title}</title>\n    <ns>0</ns>\n    <id>{page_id}</id>\n"
        f"    <revision>\n      <id>70</id>\n      {text_open}{inner}</text>\n    </revision>\n  </page>\n"
    ).encode()


SPLIT = {  # read by the splitter
    "numeric references": _page("&#65;&#x1F600;&#13;&#x9;", title="&#x4E2D;&#25991;"),
    "the five entities": _page("&lt;ref&gt;&quot;&apos;&amp;amp;&amp;lt;&lt;/ref&gt;"),
    "attributes and spaces": _page("x", text_open='<text bytes="1" xml:space="preserve" >').replace(
        b"</title>", b"</title >"
    ),
    "redirect": _page("#REDIRECT [[B]]").replace(
        b"<ns>0</ns>", b'<ns>0</ns><redirect title="B &amp; &quot;C&quot;" />'
    ),
    "two revisions": _page("old").replace(
        b"  </page>", b"<revision><id>71</id><text>new</text></revision></page>"
    ),
    "no ns: the title says": _page("x", title="Talk:Foo").replace(b"<ns>0</ns>", b""),
    "other elements": _page("x").replace(b"<ns>0</ns>", b"<ns>0</ns><restrictions>move=sysop</restrictions>"),
    "deleted text": _page("").replace(b"<text></text>", b'<text deleted="deleted" />'),
    "other content model": _page("a{}").replace(b"<text>", b"<model>css</model><text>") + _page("y"),
    "no id": _page("x").replace(b"<id>7</id>", b"", 1),
}
SAFE = {  # left to the safe reader, same pages
    "comment": _page("x").replace(b"<ns>", b"<!-- </page> --><ns>"),
    "CDATA": _page("<![CDATA[a<b]]>"),
    "carriage return": _page("a\r\nb\rc"),
    "old redirect flag": _page("#REDIRECT [[B]]").replace(b"<ns>0</ns>", b"<ns>0</ns><redirect />"),
    "slots": _page("x").replace(
        b"</revision>", b"<content><role>x</role><text>y</text></content></revision>"
    ),
    "prefixed element": _page("x").replace(b"<ns>0</ns>", b'<ns>0</ns><x:y xmlns:x="urn:x">1</x:y>'),
    "single quotes": _page("x", text_open="<text xml:space='preserve'>"),
    "tab in a redirect": _page("x").replace(b"<ns>0</ns>", b'<ns>0</ns><redirect title="a\tb" />'),
    "between pages": _page("x") + b"<!-- c -->\n" + _page("y"),
    "processing instruction": _page("x").replace(b"<ns>", b"<?pi x?><ns>"),
}
BROKEN = {  # left to the safe reader, same error
    "undefined entity": _page("&nbsp;"),
    "illegal character reference": _page("&#0;"),
    "CDATA end": _page("a]]>b"),
    "control character": _page("a\x01b"),
    "unclosed element": _page("x").replace(b"</revision>", b""),
    "id not a number": _page("x", page_id="seven"),
    "no title": _page("x", title=""),
    "not UTF-8": _page("x").replace(b"x", b"\xff"),
}


@pytest.mark.parametrize("name", [*SPLIT, *SAFE, *BROKEN])
def test_tricky_exports_read_the_same(name: str, tmp_path: Path) -> None:
    body = {**SPLIT, **SAFE, **BROKEN}[name]
    fast, safe = _both(tmp_path, body)
    assert fast == safe
    if name in SPLIT:
        assert split_pages(body) is not None
    else:
        assert split_pages(body) is None
    assert isinstance(fast, str) == (name in BROKEN)


def test_what_the_tricky_pages_hold(tmp_path: Path) -> None:
    [page] = _both(tmp_path, SPLIT["numeric references"])[0]  # type: ignore[misc]
    assert (page.title, page.text) == ("中文", "A\U0001f600\r\t")
    [page] = _both(tmp_path, SPLIT["redirect"])[0]  # type: ignore[misc]
    assert page.redirect == 'B & "C"'
    [page] = _both(tmp_path, SPLIT["two revisions"])[0]  # type: ignore[misc]
    assert (page.rev_id, page.text) == (71, "new")
    assert unescape(b"&amp;lt; &amp;#65; &#38;amp;") == "&lt; &#65; &amp;"
