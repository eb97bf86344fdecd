"""The decisions pull and push make per page, and the report's summary and exit code (no wiki needed)."""

from __future__ import annotations

import pytest

from wikitools.cli.sync import exit_status
from wikitools.errors import ExitCode
from wikitools.model import Page, Revision
from wikitools.savedtext import text_sha1
from wikitools.sync.pull import PullAction, plan_pull
from wikitools.sync.push import local_changes
from wikitools.sync.report import Outcome, PageResult, Report
from wikitools.sync.state import Entry, State

BASE_TEXT, LOCAL_TEXT, REMOTE_TEXT = "base", "local edit", "remote edit"
ENTRY = Entry("Page", 1, 10, "2026-01-01T00:00:00Z", text_sha1(BASE_TEXT))


def remote(revid: int | None, text: str = REMOTE_TEXT) -> Page:
    if revid is None:
        return Page("Page", id=None, revisions=())
    return Page("Page", id=1, revisions=(Revision(id=revid, text=text),))


@pytest.mark.parametrize(
    ("entry", "local", "page", "action"),
    [
        (None, None, remote(11), PullAction.WRITE),  # new page, no file
        (ENTRY, None, remote(10), PullAction.WRITE),  # tracked file deleted locally: restore it
        (ENTRY, BASE_TEXT, remote(10), PullAction.KEEP),  # nothing changed
        (ENTRY, LOCAL_TEXT, remote(10), PullAction.KEEP),  # local edit only: kept as it is
        (ENTRY, BASE_TEXT, remote(11), PullAction.WRITE),  # remote change only
        (ENTRY, LOCAL_TEXT, remote(11), PullAction.MERGE),  # both changed
        (ENTRY, REMOTE_TEXT, remote(11), PullAction.RECORD),  # same change on both sides (or a rerun)
        (None, REMOTE_TEXT, remote(11), PullAction.RECORD),  # untracked file already equal to the page
        (None, LOCAL_TEXT, remote(11), PullAction.MERGE),  # untracked file that differs: never overwritten
        (ENTRY, LOCAL_TEXT, remote(None), PullAction.DELETED),  # the file is kept
        (ENTRY, None, remote(None), PullAction.FORGET),  # deleted on both sides
        (None, None, remote(None), PullAction.MISSING),
    ],
)
def test_plan_pull(entry, local, page, action):
    assert plan_pull(entry, None if local is None else text_sha1(local), page) is action


def test_the_summary_names_the_usual_counts_and_any_unusual_one():
    report = Report(always=(Outcome.PULLED, Outcome.MERGED, Outcome.UNCHANGED, Outcome.CONFLICT))
    seen = []
    report.add(PageResult("A.wiki", "A", Outcome.PULLED), seen.append)
    report.add(PageResult("B.wiki", "B", Outcome.DELETED, "gone"))
    assert report.summary() == "pulled 1, merged 0, unchanged 0, conflicts 0, deleted remotely 1"
    assert [str(r) for r in report.attention] == ["deleted remotely: B.wiki (B): gone"]
    assert exit_status(report) is ExitCode.FINDINGS and len(seen) == 1


def test_a_failed_edit_outranks_a_refusal_and_dry_runs_say_so():
    report = Report(always=(Outcome.PUSHED,), dry_run=True)
    assert exit_status(report) is ExitCode.OK
    report.add(PageResult("A.wiki", "A", Outcome.REFUSED, "stale"))
    report.add(PageResult("B.wiki", "B", Outcome.FAILED, "protected"))
    assert exit_status(report) is ExitCode.WIKI
    assert report.summary() == "pushed 0, refused 1, failed 1 (dry run: nothing was changed)"


def test_two_files_standing_for_one_page_are_never_both_pushed(tmp_path):
    state = State(tmp_path.resolve())
    revision = Revision(id=3, text="apple")
    state.record("Apple.wiki", Page("Apple", id=1, revisions=(revision,)), revision)
    for name, text in (("Apple.wiki", "apple"), ("Apple~2.wiki", "a copy"), ("Dup.wiki", "new"),
                       ("Dup~2.wiki", "also new")):  # fmt: skip
        (tmp_path / name).write_text(text + "\n")
    report = Report(always=())
    changes = local_changes(state, ["Apple.wiki", "Apple~2.wiki", "Dup.wiki", "Dup~2.wiki"], report)
    assert [(c.name, c.title, c.entry) for c in changes] == [("Dup.wiki", "Dup", None)]
    assert [str(r) for r in report.results] == [
        "unchanged: Apple.wiki (Apple)",
        "refused: Apple~2.wiki (Apple): Apple.wiki stands for the same page; keep one of the two files",
        "refused: Dup~2.wiki (Dup): Dup.wiki stands for the same page; keep one of the two files",
    ]
