"""A big single export file (one gzip, bzip2 or xz stream, or plain XML) is cut into pages by a
watched reader process: the page boundaries it finds are the XML's, and a page that makes reading
explode or hang is set aside while the rest of the file is linted as in a clean run."""

from __future__ import annotations

import bz2
import io
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from tests.test_dump_support import (
    build_dump,
    check_set_aside,
    kill_big_child,
    lint_text,
    make_page,
    make_pages,
    replace_stream,
)
from wikitools.dump import DumpPageWarning, PageOutcome, partitions, read_pages
from wikitools.dump.pagestream import Oversized, PageScanner, ScannedPage
from wikitools.formats.multistream import index_path_for, read_streams
from wikitools.formats.xml_read import iter_pages
from wikitools.formats.xml_write import dump_pages

BAD = 15
MARK = "BOMB-GOES-HERE"


def _scan(xml: bytes, chunk: int, limit: int, skip_through: int = -1) -> tuple[list[object], bytes | None]:
    scanner = PageScanner(limit, skip_through=skip_through)
    found: list[object] = []
    for at in range(0, len(xml), chunk):
        found += scanner.feed(xml[at : at + chunk])
    scanner.finish()
    return found, scanner.header


def test_the_scanner_finds_the_pages_the_xml_reader_reads_whatever_the_chunks() -> None:
    pages = make_pages(12)
    pages[4] = make_page(5, "x" * 5000)
    xml = dump_pages(pages)
    json_model = xml.replace(b"<model>wikitext</model>", b"<model>json</model>")
    [json_page] = [item for item in _scan(json_model, 4096, 4000)[0] if isinstance(item, Oversized)]
    assert json_page.head.model == "json" and not json_page.head.wanted(None)  # never linted: not recorded
    tricky = xml.replace(b"</siteinfo>", b"</siteinfo>\n<!-- <page> in a comment -->", 1)
    tricky = tricky.replace(b"Page 3'''", b"Page 3'''<![CDATA[</page> <page>]]>", 1)
    tricky = tricky.replace(b"<page>", b"<?pi </page> ?><page>", 1)
    for document in (xml, tricky):
        expected = [(p.id, p.title) for p in iter_pages(io.BytesIO(document), verify=False)]
        for chunk in (1, 5, 9, 64, 4096, len(document)):
            found, header = _scan(document, chunk, 4000, skip_through=1)
            kept = [item for item in found if isinstance(item, ScannedPage)]
            assert [item.ordinal for item in kept] == [2, 3, *range(5, 12)], chunk
            assert all(document[p.offset : p.offset + len(p.data)] == p.data for p in kept)
            [big] = [item for item in found if isinstance(item, Oversized)]
            head = big.head
            assert (head.ordinal, head.page_id, head.rev_id, head.title, head.namespace) == (
                4,
                5,
                100005,
                "Page 5",
                0,
            )
            assert head.wanted(None) and head.wanted({0})
            assert not head.wanted({1})  # with --namespace 1 it is not recorded
            assert header is not None
            body = b"".join(p.data for p in kept)
            read = [
                (p.id, p.title) for p in iter_pages(io.BytesIO(header + body + b"</mediawiki>"), verify=False)
            ]
            assert read == [e for e in expected if e[0] not in (1, 2, 5)]


@pytest.fixture(scope="module")
def bomb_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Pages 1–30 as one bzip2 export (no index: an ordinary file) where page 15's text is 400 MB of
    ``a`` from a few KB; and the findings of a multistream dump without page 15 (whose streams the
    workers read on their own: no page cut out by the reader under test)."""
    directory = tmp_path_factory.mktemp("bigfile")
    pages = make_pages(30)
    with_mark = [*pages[: BAD - 1], make_page(BAD, MARK), *pages[BAD:]]
    before, after = dump_pages(with_mark).split(MARK.encode())
    bomb = directory / "bomb.xml.bz2"
    bomb.write_bytes(bz2.compress(before) + bz2.compress(b"a" * (16 << 20)) * 25 + bz2.compress(after))
    reference = build_dump(directory, [p for p in pages if p.id != BAD], per_stream=10)
    return bomb, lint_text(reference, jobs=1)


@pytest.mark.parametrize(
    ("limits", "reason"),
    [
        ({"max_memory": 200, "page_timeout": 60, "jobs": 2}, "its XML is longer than 25 MB"),
        ({"max_memory": 4000, "page_timeout": 0.5, "jobs": 1}, "reading took longer than 0.5 s"),
    ],
)
def test_a_page_that_explodes_a_single_big_file_is_set_aside_and_the_rest_is_linted(
    bomb_export: tuple[Path, str], limits: dict[str, float], reason: str
) -> None:
    bomb, reference = bomb_export
    started = time.monotonic()
    output = lint_text(bomb, **limits)  # one file: the client's reader cuts it for the workers
    assert time.monotonic() - started < 60
    check_set_aside(output, reference, reason, BAD)


def test_a_reader_killed_in_a_page_is_replaced_and_goes_on_after_it(bomb_export: tuple[Path, str]) -> None:
    bomb, reference = bomb_export
    result: list[str] = []
    run = threading.Thread(
        target=lambda: result.append(lint_text(bomb, jobs=1, max_memory=4000, page_timeout=60))
    )
    run.start()
    killed = kill_big_child(run, 150)  # only the reader keeping the bomb's text grows this big
    run.join(120)
    assert killed is not None and result
    check_set_aside(result[0], reference, "the worker died (SIGKILL) while reading", BAD)


def test_read_pages_passes_over_a_page_longer_than_its_bound_in_bounded_memory(tmp_path: Path) -> None:
    pages = make_pages(30)
    pages[BAD - 1] = make_page(BAD, MARK)
    dump = build_dump(tmp_path, pages, per_stream=10)
    second = read_streams(dump, index_path_for(dump))[0][1]
    before, after = bz2.decompress(dump.read_bytes()[second.start : second.end]).split(MARK.encode())
    page = bz2.compress(b"a" * (16 << 20)) * 5  # 80 MB of text from a few hundred bytes
    replace_stream(dump, 1, bz2.compress(before) + page + bz2.compress(after))
    part = partitions([dump])[1]
    expected = [*range(11, BAD), *range(BAD + 1, 21)]
    aside: list[PageOutcome] = []
    tracemalloc.start()
    try:
        ids = [p.page_id for p in read_pages(part, max_page_bytes=4 << 20, on_set_aside=aside.append)]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert ids == expected and peak < 16 << 20
    assert aside == [PageOutcome(BAD, 100_000 + BAD, f"Page {BAD}", set_aside="its XML is longer than 4 MB")]
    warning = r"page 15 \(revision 100015\) 'Page 15': its XML is longer than 64 MB; passed over"
    with pytest.warns(DumpPageWarning, match=warning):  # the default bound, no handler
        assert [p.page_id for p in read_pages(part)] == expected
