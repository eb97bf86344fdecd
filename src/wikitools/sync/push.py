"""``push``: send edited files to the wiki, refusing every page someone else changed since its base.

Only files whose text differs from their base are sent; comparing hashes costs no request. Before any
edit, one batched ``prop=info`` query checks that each page's latest revision is still the base; a page
that moved on is refused (pull first), never left to MediaWiki's auto-merge, and a tracked page deleted
on the wiki is reported, not recreated. A page that already holds exactly the file's text (for example
because a previous run was killed between the edit and saving the state) is recorded, not sent again.
Edits go one at a time through :meth:`WikiClient.edit` (base revision, start timestamp, ``nocreate`` or
``createonly``, the text's md5). The state records each new revision as soon as the edit succeeds and is
saved on a background thread while the next edit travels; a crash can lose only that last save, and the
rerun finds the edit already on the wiki (see above) instead of making it twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from ..api.client import RETRYABLE_API_CODES, WikiClient
from ..errors import ApiError, ConflictError
from ..fileio import read_text
from ..lint import Severity, lint_text
from ..lint.config import find_config, load_config
from ..model import Page, Revision
from ..savedtext import text_sha1, wiki_text
from ..titles import check_title, filename_to_title
from .merge import has_conflict_markers
from .report import Outcome, PageResult, ProgressCallback, Report
from .state import BackgroundSaver, Entry, State, iter_wiki_files

PageCheck = Callable[[str, str], str | None]  # (title, text) -> why the page must not be pushed, or None


@dataclass(frozen=True)
class LocalChange:
    """A file whose text differs from its base: an edit of a tracked page, or a new page."""

    name: str
    title: str
    entry: Entry | None  # None: the file is new and creates its page
    text: str


def wiki_files(state: State, paths: Iterable[str | Path]) -> list[str]:
    """The ``.wiki`` files named by ``paths`` (directories are searched), as names in ``state``."""
    return list(dict.fromkeys(state.name_of(path) for path in iter_wiki_files(paths)))


def local_changes(
    state: State,
    names: Iterable[str],
    report: Report,
    check: PageCheck | None = None,
    progress: ProgressCallback | None = None,
) -> list[LocalChange]:
    """The files among ``names`` that differ from their base; unchanged and unfit ones go to ``report``."""
    changes = []
    claimed = {entry.title: name for name, entry in state.entries.items()}  # the file of each page
    for name in names:
        text = read_text(state.root / name, allow_empty=True)
        entry = state.entries.get(name)
        title = entry.title if entry is not None else check_title(filename_to_title(name))
        owner = claimed.setdefault(title, name)
        if owner != name:
            reason = f"{owner} stands for the same page; keep one of the two files"
            report.add(PageResult(name, title, Outcome.REFUSED, reason), progress)
        elif entry is not None and text_sha1(text) == entry.sha1:
            report.add(PageResult(name, title, Outcome.UNCHANGED), progress)
        elif has_conflict_markers(text):
            reason = "holds conflict markers; resolve them first"
            report.add(PageResult(name, title, Outcome.REFUSED, reason), progress)
        elif check is not None and (problem := check(title, text)) is not None:
            report.add(PageResult(name, title, Outcome.REFUSED, problem), progress)
        else:
            changes.append(LocalChange(name, title, entry, text))
    return changes


def lint_check(root: Path) -> PageCheck:
    """A check for ``push --lint``: refuses a page with error-level findings under the lint settings
    that apply at ``root``."""
    config = load_config(find_config(root))

    def errors_in(title: str, text: str) -> str | None:
        errors = [f for f in lint_text(text, title, config=config) if f.severity >= Severity.ERROR]
        if not errors:
            return None
        first = errors[0]
        return (
            f"{len(errors)} lint error(s), first at line {first.line}: {first.code} {first.message} "
            "(run wikitools lint on it)"
        )

    return errors_in


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def push(
    state: State,
    client: WikiClient,
    names: Iterable[str],
    *,
    summary: str,
    minor: bool = False,
    bot: bool = False,
    dry_run: bool = False,
    check: PageCheck | None = None,
    progress: ProgressCallback | None = None,
) -> Report:
    """Push the files ``names`` (keys of ``state``); see the module docstring for the guarantees."""
    report = Report(always=(Outcome.PUSHED, Outcome.UNCHANGED, Outcome.REFUSED), dry_run=dry_run)
    with state.lock():
        changes = local_changes(state, names, report, check, progress)
        if not changes:
            return report  # nothing to send: no request at all
        client.ensure_login()
        start_timestamp = _now()
        ready = _still_based(state, client, changes, report, progress)
        if dry_run:
            for change in ready:
                report.add(PageResult(change.name, change.title, Outcome.PUSHED), progress)
            return report
        saver = BackgroundSaver(state)
        try:
            saver.save()  # pages found already pushed were recorded
            for change in ready:
                report.add(_edit(state, client, change, summary, minor, bot, start_timestamp), progress)
                saver.save()  # the new revision, written while the next edit is on its way
        finally:
            saver.close()
    return report


def _still_based(
    state: State,
    client: WikiClient,
    changes: list[LocalChange],
    report: Report,
    progress: ProgressCallback | None,
) -> list[LocalChange]:
    """The changes whose page is still at their base (or still missing, for new pages), decided by one
    batched query of each page's latest revision id and sha1."""
    remote = client.page_states(change.title for change in changes)
    ready = []
    for change in changes:
        page = remote[change.title]
        latest = page.latest
        base_revid = change.entry.revid if change.entry is not None else None
        if _record_if_on_wiki(state, change, page):
            # The wiki already has this text (e.g. a run killed after the edit): record it, send nothing.
            report.add(PageResult(change.name, change.title, Outcome.UNCHANGED), progress)
        elif (latest.id if latest is not None else None) == base_revid:
            ready.append(change)
        elif latest is None:
            reason = "the page was deleted on the wiki; it is not recreated (delete the file, then pull)"
            report.add(PageResult(change.name, change.title, Outcome.DELETED, reason), progress)
        elif base_revid is None:
            reason = "the page already exists on the wiki; pull it to merge it into this file, then push"
            report.add(PageResult(change.name, change.title, Outcome.REFUSED, reason), progress)
        else:
            reason = (
                f"the page changed on the wiki since your last pull (base revision {base_revid}, now "
                f"{latest.id}); pull, then push"
            )
            report.add(PageResult(change.name, change.title, Outcome.REFUSED, reason), progress)
    return ready


def _record_if_on_wiki(state: State, change: LocalChange, page: Page) -> bool:
    """Record ``page``'s latest revision as the file's base if it already holds the file's text."""
    latest = page.latest
    if latest is None or latest.sha1 != text_sha1(change.text):
        return False
    state.record(change.name, page, replace(latest, text=wiki_text(change.text)))
    return True


def _edit(
    state: State,
    client: WikiClient,
    change: LocalChange,
    summary: str,
    minor: bool,
    bot: bool,
    start_timestamp: str,
) -> PageResult:
    """One edit; its new revision is recorded in the state (which the caller saves)."""
    entry = change.entry
    text = wiki_text(change.text)
    try:
        result = client.edit(
            change.title,
            text,
            summary=summary,
            base=entry.revid if entry else None,
            start_timestamp=start_timestamp,
            create=entry is None,
            minor=minor,
            bot=bot,
        )
    except ConflictError as error:  # (the client recognises its own edit retried after a lost answer)
        return PageResult(change.name, change.title, Outcome.REFUSED, f"{error.message}; pull, then push")
    except ApiError as error:
        if error.code in RETRYABLE_API_CODES:
            raise  # the wiki kept saying "later" (lag, rate limit, read-only) past the deadline: stop here
        if error.code == "missingtitle":
            reason = "the page was deleted on the wiki; it is not recreated"
            return PageResult(change.name, change.title, Outcome.DELETED, reason)
        return PageResult(change.name, change.title, Outcome.FAILED, f"the wiki refused the edit: {error}")
    if result.revid is None:
        return PageResult(change.name, change.title, Outcome.UNCHANGED)
    revision = Revision(id=result.revid, text=text, timestamp=result.timestamp)
    state.record(change.name, Page(result.title, id=result.page_id, revisions=(revision,)), revision)
    return PageResult(change.name, change.title, Outcome.UNCHANGED if result.nochange else Outcome.PUSHED)
