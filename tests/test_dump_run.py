"""``wikitools lint DUMP``: the same bytes whatever the number of workers, JSON Lines, the cache for
resumed and incremental runs, and one-line errors."""

from __future__ import annotations

import gzip
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from tests.test_dump_support import build_dump, make_page, make_pages, page_text, run_cli
from wikitools.dump import lint_dump


@pytest.fixture(scope="module")
def dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_dump(tmp_path_factory.mktemp("dump"), make_pages(120), per_stream=10)


def test_jobs_1_and_2_write_the_same_bytes_in_page_order(dump: Path, tmp_path: Path) -> None:
    one = run_cli("lint", str(dump), "--format", "jsonl", "--jobs", "1", "-o", "one.jsonl", cwd=tmp_path)
    two = run_cli("lint", str(dump), "--format", "jsonl", "--jobs", "2", "-o", "two.jsonl.gz", cwd=tmp_path)
    assert one.returncode == two.returncode == 1, one.stderr + two.stderr  # warnings found
    data = (tmp_path / "one.jsonl").read_bytes()
    assert gzip.decompress((tmp_path / "two.jsonl.gz").read_bytes()) == data
    records = [json.loads(line) for line in data.decode().splitlines()]
    assert {tuple(r) for r in records} == {
        ("page_id", "rev_id", "title", "rule", "severity", "line", "column", "message")
    }
    ids = [r["page_id"] for r in records]
    assert ids == sorted(ids) and set(ids) == set(range(1, 121))  # every page has an empty section
    first = records[0]
    assert first == {
        "page_id": 1, "rev_id": 100001, "title": "Page 1", "rule": "L105", "severity": "warning",
        "line": 1, "column": 48, "message": "link to the page itself ('Page 1')",
    }  # fmt: skip
    assert "120 pages in 12 partitions" in one.stderr
    assert "258 findings: H102 35, H112 120, L105 103\n" in one.stderr


def test_namespace_filter_and_text_format(dump: Path, tmp_path: Path) -> None:
    done = run_cli("lint", str(dump), "--namespace", "1", "--select", "H112", "--jobs", "1", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0] == "Talk:Page 7:2:1: H112 section 'Empty' has no content"
    assert len(lines) == 17 and all(line.startswith("Talk:") for line in lines)
    assert "17 pages in 12 partitions" in done.stderr


def test_bad_usage_is_one_line_and_exit_2(dump: Path, tmp_path: Path) -> None:
    cases = {
        ("--fix",): "wikitools: --fix does not apply to a dump (lint the pages as files for that)\n",
        ("--format", "sarif", "--cache", "c"):
            "wikitools: --format sarif is not written for a dump (use jsonl or text)\n",
        ("-o", "missing/out.jsonl"): "wikitools: missing: no such folder\n",
    }  # fmt: skip
    for flags, message in cases.items():
        done = run_cli("lint", str(dump), *flags, cwd=tmp_path)
        assert (done.returncode, done.stderr, done.stdout) == (2, message, ""), flags
    broken = tmp_path / "broken-multistream.xml.bz2"
    broken.write_bytes(dump.read_bytes()[:-2000])  # the index points past the end now
    (tmp_path / "broken-multistream-index.txt.bz2").write_bytes(
        (dump.parent / dump.name.replace(".xml.bz2", "-index.txt.bz2")).read_bytes()
    )
    done = run_cli("lint", str(broken), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("wikitools: ")
    assert "Traceback" not in done.stderr


def _run(path: Path, cache: Path | None, **options: object) -> tuple[str, object]:
    out = io.StringIO()
    summary = lint_dump([path], out, cache=cache, **options)  # type: ignore[arg-type]
    return out.getvalue(), summary


def test_cache_reuses_finished_partitions_with_identical_output(dump: Path, tmp_path: Path) -> None:
    full, _ = _run(dump, None)
    first, summary = _run(dump, tmp_path / "cache", jobs=2)
    assert first == full
    assert summary.linted == 120 and summary.from_cache == 0  # type: ignore[attr-defined]
    again, summary = _run(dump, tmp_path / "cache", jobs=1)
    assert again == full
    assert summary.linted == 0 and summary.from_cache == 120  # type: ignore[attr-defined]
    other, summary = _run(dump, tmp_path / "cache", options=_only("L105"))
    assert summary.linted == 120  # other rules: nothing from the cache
    assert other != full and all('"rule": "L105"' in line for line in other.splitlines())


def _only(code: str):
    from wikitools.lint.config import LintConfig

    config = LintConfig(select=(code,))
    from wikitools.lint.engine import LintOptions

    return LintOptions(selection=config.selection)


def test_incremental_run_lints_only_changed_pages_and_matches_a_full_run(tmp_path: Path) -> None:
    old_pages = make_pages(200)
    (tmp_path / "old").mkdir()
    old = build_dump(tmp_path / "old", old_pages, per_stream=20)
    _run(old, tmp_path / "cache")
    new_pages = list(old_pages)
    changed = {5, 77, 150}
    for number in changed:
        new_pages[number - 1] = make_page(number, page_text(number, version=2))
    new_pages[9] = replace(new_pages[9], title="Page 10 renamed")  # same text, other title: lint again
    del new_pages[100]  # page 101 deleted
    new_pages.append(make_page(201))  # a new page
    (tmp_path / "new").mkdir()
    new = build_dump(tmp_path / "new", new_pages, per_stream=20)
    full, _ = _run(new, None)
    incremental, summary = _run(new, tmp_path / "cache", jobs=2)
    assert incremental == full
    assert summary.linted == len(changed) + 2  # type: ignore[attr-defined]
    assert summary.from_cache == 200 - len(changed) - 2  # type: ignore[attr-defined]
    assert '"title": "Page 10 renamed"' in incremental
    assert '"page_id": 101,' not in incremental and '"page_id": 201,' in incremental


def test_plain_exports_and_an_index_elsewhere_give_the_same_output(dump: Path, tmp_path: Path) -> None:
    reference = run_cli("lint", str(dump), "--format", "jsonl", "--jobs", "1", cwd=tmp_path)
    plain = tmp_path / "plain.xml.bz2"
    plain.write_bytes(dump.read_bytes())  # no index beside it: read whole, or in batches on 2 workers
    index = tmp_path / "elsewhere-index.txt.bz2"
    index.write_bytes((dump.parent / dump.name.replace(".xml.bz2", "-index.txt.bz2")).read_bytes())
    for flags in (["--jobs", "1"], ["--jobs", "2"], ["--jobs", "2", "--index", str(index)]):
        done = run_cli("lint", str(plain), "--format", "jsonl", *flags, cwd=tmp_path)
        assert done.returncode == 1 and done.stdout == reference.stdout, flags


def test_a_directory_or_plain_export_without_dump_options_is_an_ordinary_lint(tmp_path: Path) -> None:
    (tmp_path / "Page.wiki").write_text("== Empty ==\n", encoding="utf-8")
    done = run_cli("lint", ".", "--format", "json", cwd=tmp_path)
    assert done.returncode == 1 and json.loads(done.stdout)[0]["code"] == "H112", done.stderr
