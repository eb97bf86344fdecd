"""The export-0.11 writer: valid against MediaWiki's xsd, exact sums, and a lossless round trip."""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import lzma
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.test_xml_read import _schema, fixture
from wikitools.errors import FormatError, WikitoolsError
from wikitools.formats.xml_common import SiteInfo, base36_sha1, revision_sha1
from wikitools.formats.xml_read import iter_pages, read_single_page
from wikitools.formats.xml_write import dump_pages, write_dump_file
from wikitools.model import Page, Revision, Slot


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return _schema("0.11")


def test_base36_sha1_is_padded_to_31_characters() -> None:
    assert base36_sha1(b"") == "phoiac9h4m842xq45sp7s6u21eteeq1"
    # sha1("17") = 0716d970...: its base-36 form has 30 digits, so it gets one leading zero
    assert base36_sha1(b"17") == "0tt80woaa11w8brcde626s7nrqra0yk"
    assert int(base36_sha1(b"17"), 36) == int("0716d9708d321ffb6a00818614779e779925365c", 16)


def test_fixture_pages_written_back_are_valid_and_read_back_equal(schema: etree.XMLSchema) -> None:
    for version in ("0.3", "0.10", "0.11"):
        pages = list(iter_pages(fixture(version)))
        data = dump_pages(pages, siteinfo=SiteInfo(sitename="Fixture Wiki", dbname="fixturewiki"))
        assert schema.validate(etree.fromstring(data)), schema.error_log
        assert _without_sha1(iter_pages(io.BytesIO(data))) == _without_sha1(pages)


def _without_sha1(pages: Iterable[Page]) -> list[Page]:
    """Pages as compared across schema versions: 0.3 to 0.5 carry no sha1, the writer always does."""
    return [replace(p, revisions=tuple(replace(r, sha1=None) for r in p.revisions)) for p in pages]


def test_the_document_carries_siteinfo_origin_sums_model_and_format() -> None:
    revision = Revision(
        id=7, text="a < b\r\n", timestamp="2024-05-06T07:08:09Z", contributor="Ann", contributor_id=3
    )
    data = dump_pages([Page("Help:Ünï", 12, 4, None, (revision,))]).decode()
    assert '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/"' in data
    assert 'version="0.11" xml:lang="en">' in data
    assert "    <generator>wikitools " in data
    assert '      <namespace key="12" case="first-letter">Help</namespace>\n' in data
    assert '      <namespace key="0" case="first-letter" />\n' in data
    sha1 = base36_sha1(b"a < b\r\n")
    assert (
        "    <title>Help:Ünï</title>\n    <ns>12</ns>\n    <id>4</id>\n    <revision>\n      <id>7</id>\n"
        "      <timestamp>2024-05-06T07:08:09Z</timestamp>\n"
        "      <contributor>\n        <username>Ann</username>\n        <id>3</id>\n      </contributor>\n"
        "      <origin>7</origin>\n      <model>wikitext</model>\n      <format>text/x-wiki</format>\n"
        f'      <text bytes="7" sha1="{sha1}" xml:space="preserve">a &lt; b&#13;\n</text>\n'
        f"      <sha1>{sha1}</sha1>\n    </revision>\n  </page>\n</mediawiki>\n"
    ) in data


def test_missing_ids_are_filled_without_colliding_with_given_ones(schema: etree.XMLSchema) -> None:
    pages = [
        Page("A", revisions=(Revision(text="a"),)),
        Page("B", id=1, revisions=(Revision(id=1, text="b"),)),
        Page("C", revisions=(Revision(text="c"), Revision(text="c2"))),
    ]
    data = dump_pages(pages)
    assert schema.validate(etree.fromstring(data)), schema.error_log
    read = list(iter_pages(io.BytesIO(data)))
    assert [p.id for p in read] == [2, 1, 3]
    assert [[r.id for r in p.revisions] for p in read] == [[2], [1], [3, 4]]
    assert all(r.contributor == "wikitools" and r.timestamp for p in read for r in p.revisions)


def test_ip_contributors_minor_comments_redirects_and_slots(schema: etree.XMLSchema) -> None:
    revision = Revision(
        id=5,
        parent_id=4,
        text="#REDIRECT [[Target]]",
        timestamp="2020-01-01T00:00:00Z",
        contributor="2001:db8::1",
        comment='a "quoted" & <tagged> summary',
        minor=True,
        slots={"mediainfo": Slot("{}", "wikibase-mediainfo", "application/json")},
    )
    page = Page('Odd "title" & co', redirect='Target "x"\n', revisions=(revision,))
    data = dump_pages([page])
    assert schema.validate(etree.fromstring(data)), schema.error_log
    assert b"<ip>2001:db8::1</ip>" in data and b"<minor />" in data
    assert b'<redirect title="Target &quot;x&quot;&#10;" />' in data
    (back,) = iter_pages(io.BytesIO(data))
    assert back.redirect == page.redirect and back.title == page.title
    assert back.revisions[0].slots == revision.slots  # model and format kept
    assert back.revisions[0].sha1 == revision_sha1(revision.text, revision.slots)


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (
            Page("Bell\x07", revisions=(Revision(text="x"),)),
            "Bell\x07: U+0007 on line 1 cannot be written in XML",
        ),
        (Page("A", revisions=(Revision(text="ok\n\x00"),)), "A: U+0000 on line 2 cannot be written in XML"),
        (Page("A", id=0), "A: page id 0 is not positive"),
        (
            Page("A", revisions=(Revision(timestamp="yesterday"),)),
            "A: revision 1: timestamp 'yesterday' is not",
        ),
        (Page("A", revisions=(Revision(model="wiki text"),)), "A: content model 'wiki text' is not a valid"),
        (Page("A", namespace=-1), "A: namespace -1 has no pages to export"),
    ],
)
def test_what_xml_or_the_schema_cannot_hold_is_refused(page: Page, message: str) -> None:
    with pytest.raises(FormatError) as caught:
        dump_pages([page])
    assert str(caught.value).startswith(message)


def test_an_id_given_twice_is_refused() -> None:
    with pytest.raises(FormatError, match="B: page id 3 is used twice in this export"):
        dump_pages([Page("A", id=3), Page("B", id=3)])


@pytest.mark.parametrize(
    ("suffix", "decompress"),
    [(".gz", gzip.decompress), (".bz2", bz2.decompress), (".xz", lzma.decompress), (".xml", bytes)],
)
def test_write_dump_file_compresses_by_suffix(tmp_path: Path, suffix: str, decompress) -> None:  # type: ignore[no-untyped-def]
    pages = list(iter_pages(fixture("0.11")))
    path = tmp_path / f"out{suffix}"
    assert write_dump_file(path, pages) == 3
    assert decompress(path.read_bytes()) == dump_pages(pages)
    assert list(iter_pages(path)) == pages


def test_a_single_page_round_trips_through_read_single_page(tmp_path: Path) -> None:
    page = Page("Solo", revisions=(Revision(id=1, text="one", timestamp="2024-01-01T00:00:00Z"),))
    path = tmp_path / "solo.xml"
    write_dump_file(path, [page])
    assert read_single_page(path) == Page(
        "Solo",
        0,
        1,
        None,
        (
            Revision(
                id=1,
                text="one",
                timestamp="2024-01-01T00:00:00Z",
                contributor="wikitools",
                sha1=base36_sha1(b"one"),
            ),
        ),
    )


xml_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff").filter(
        lambda c: c in "\t\n\r" or ord(c) >= 32
    )
)
revisions = st.builds(
    Revision,
    id=st.none() | st.integers(1, 10**9),
    text=xml_text,
    timestamp=st.just("2024-02-03T04:05:06Z"),
    contributor=st.sampled_from(["Ann", "192.0.2.9", "Ünïcode user"]),
    comment=st.none() | xml_text.filter(bool),
    minor=st.booleans(),
    slots=st.dictionaries(
        st.sampled_from(["mediainfo", "extra"]),
        st.builds(Slot, xml_text, st.sampled_from(["wikitext", "json"]), st.just("text/plain")),
        max_size=2,
    ),
)
pages_strategy = st.builds(
    Page,
    title=xml_text.filter(lambda t: t.strip() != ""),
    namespace=st.integers(0, 3000),
    redirect=st.none() | xml_text,
    revisions=st.lists(revisions, max_size=3).map(tuple),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(pages_strategy, max_size=4))
def test_any_pages_round_trip_through_the_writer_and_reader(pages: list[Page]) -> None:
    try:
        data = dump_pages(pages)
    except FormatError as error:
        assert "used twice" in str(error)
        return
    back = list(iter_pages(io.BytesIO(data)))
    assert len(back) == len(pages)
    for original, read in zip(pages, back, strict=True):
        assert (read.title, read.namespace, read.redirect) == (
            original.title,
            original.namespace,
            original.redirect,
        )
        assert [(r.text, r.slots, r.comment or None, r.minor, r.contributor) for r in read.revisions] == [
            (r.text, r.slots, r.comment, r.minor, r.contributor) for r in original.revisions
        ]
        assert all(r.sha1 == revision_sha1(r.text, r.slots) for r in read.revisions)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.integers(0, 2000))
def test_damaged_documents_raise_only_wikitools_errors(noise: bytes, at: int) -> None:
    document = fixture("0.11").read_bytes()
    at %= len(document)
    damaged = document[:at] + noise + document[at + len(noise) // 2 :]
    with contextlib.suppress(WikitoolsError):
        list(iter_pages(io.BytesIO(damaged), on_warning=lambda message: None))
