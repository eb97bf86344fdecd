"""Multistream dumps: the writer (``export --multistream``), the index, and partitions that cover
every page exactly once."""

from __future__ import annotations

import bz2
from pathlib import Path

import pytest

from tests.test_dump_support import build_dump, make_pages, run_cli
from wikitools.dump import DumpSettings, partitions, read_pages
from wikitools.dump.filereader import read_batches
from wikitools.errors import FormatError, InputError
from wikitools.formats.multistream import index_path_for, read_streams
from wikitools.formats.xml_read import iter_pages


def test_multistream_file_is_one_valid_export_and_each_stream_reads_alone(tmp_path: Path) -> None:
    pages = make_pages(45)
    dump = build_dump(tmp_path, pages, per_stream=10)
    index = index_path_for(dump)
    assert index.name == "testwiki-pages-articles-multistream-index.txt.bz2"
    # the whole file is an ordinary (multi-stream bzip2) export
    assert [p.title for p in iter_pages(dump)] == [p.title for p in pages]
    lines = bz2.decompress(index.read_bytes()).decode("utf-8").splitlines()
    assert len(lines) == 45
    assert lines[0].split(":", 2)[1:] == ["1", "Page 1"]
    streams, first = read_streams(dump, index)
    assert [s.pages for s in streams] == [10, 10, 10, 10, 5]
    assert first == streams[0].start > 0
    # each stream starts a bzip2 stream of its own
    data = dump.read_bytes()
    assert all(data[s.start : s.start + 3] == b"BZh" for s in streams)
    assert streams[-1].end == len(data)


def test_partitions_cover_every_page_exactly_once(tmp_path: Path) -> None:
    pages = make_pages(101)
    dump = build_dump(tmp_path, pages, per_stream=7)
    parts = partitions([dump])
    assert len(parts) == 15
    seen = [page.page_id for part in parts for page in read_pages(part)]
    assert seen == list(range(1, 102))
    talk = [page.title for part in parts for page in read_pages(part, namespaces={1})]
    assert talk == [f"Talk:Page {n}" for n in range(7, 102, 7)]


def test_other_exports_are_one_partition_each_or_batches_for_many_workers(tmp_path: Path) -> None:
    dump = build_dump(tmp_path, make_pages(30), per_stream=10)
    plain = tmp_path / "plain.xml.bz2"
    plain.write_bytes(dump.read_bytes())  # no index beside it: an ordinary export
    assert [p.end for p in partitions([plain])] == [None]
    from wikitools.dump import plan

    batched = plan([plain], workers=2, batches=lambda path: read_batches(path, DumpSettings()))
    assert batched.total is None
    ids = [page.page_id for part in batched.partitions for page in read_pages(part)]
    assert ids == list(range(1, 31))


def test_index_problems_are_one_line_errors(tmp_path: Path) -> None:
    dump = build_dump(tmp_path, make_pages(5))
    bad = tmp_path / "bad-index.txt"
    bad.write_text("not an index line\n")
    with pytest.raises(FormatError, match="line 1 is not offset:page_id:title"):
        partitions([dump], index=bad)
    beyond = tmp_path / "beyond-index.txt"
    beyond.write_text("99999999:1:Page 1\n")
    with pytest.raises(FormatError, match="is this the index of another dump"):
        partitions([dump], index=beyond)
    with pytest.raises(InputError, match="no such file"):
        partitions([tmp_path / "missing.xml.bz2"])


def test_export_multistream_command(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "Alpha.wiki").write_text("== Alpha ==\nText about [[Beta]].\n")
    (folder / "Beta.wiki").write_text("Beta links to [[Beta]].\n")
    done = run_cli("export", "pages", "-o", "small-multistream.xml.bz2", "--multistream", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "exported 2 pages to small-multistream.xml.bz2\n"
    index = bz2.decompress((tmp_path / "small-multistream-index.txt.bz2").read_bytes()).decode()
    assert [line.split(":", 1)[1] for line in index.splitlines()] == ["1:Alpha", "2:Beta"]
    refused = run_cli("export", "pages", "-o", "small.xml", "--multistream", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.startswith("wikitools: small.xml: a multistream dump is bzip2-compressed")
