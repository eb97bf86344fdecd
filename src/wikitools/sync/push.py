"""``push``: send local changes to the wiki, refusing every page someone else changed since its base.

A local change is an edited file, a new file (its folder and extension decide the page and content
model), a recorded move (``wikitools mv``, or a rename detected like git's), or a page marked for
deletion (``wikitools rm``; deleted only when ``delete`` is allowed). Comparing hashes costs no request.
Before any write, one batched ``prop=info`` query (by page id, so moves on the wiki are noticed) checks
that each page's latest revision is still the base; a page that moved on is refused (pull first), never
left to MediaWiki's auto-merge, and a tracked page deleted on the wiki is reported, not recreated. A
page that already holds exactly the file's text (for example because a previous run was killed between
the edit and saving the state) is recorded, not sent again. An empty file is refused unless blanking is
allowed; a JSON page must parse. Each page is then moved (``action=move``, history and talk page kept),
edited (base revision, start timestamp, ``nocreate`` or ``createonly``, the text's md5) or deleted. The
state records each result as soon as it succeeds and is saved on a background thread while the next
request travels; a crash can lose only that last save, and the rerun finds the edit already on the
wiki (see above) instead of making it twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from ..api.client import WikiClient
from ..errors import ApiError, ConflictError, RetryExhausted
from ..fileio import read_text
from ..lint import Severity, lint_text
from ..lint.config import find_config, load_config
from ..model import Page, Revision
from ..savedtext import text_sha1, wiki_text
from ..titles import model_of
from .config import bind
from .media import media_changed, push_media
from .merge import has_conflict_markers
from .renames import detect_renames
from .report import Outcome, PageResult, ProgressCallback, Report
from .state import BackgroundSaver, Entry, State, iter_wiki_files

PageCheck = Callable[[str, str], str | None]  # (title, text) -> why the page must not be pushed, or None

#: The reason given for an empty file; the CLI recognises it to name its option.
BLANK_REFUSAL = "the file is empty: pushing it would blank the page (blanking is not allowed by default)"
MARKED_FOR_DELETION = "marked for deletion (wikitools rm); deleting pages must be allowed explicitly"


@dataclass(frozen=True)
class LocalChange:
    """What push does to one page: edit or create it (``text``), move it (``move_to``), delete it."""

    name: str
    title: str  # the page's title on the wiki now (before any move)
    entry: Entry | None  # None: the file is new and creates its page
    text: str | None  # None: the text is unchanged (a move or a deletion only)
    move_to: str | None = None
    delete: bool = False
    media: str | None = None  # a File page's media file whose bytes changed: uploaded

    @property
    def model(self) -> str:
        return self.entry.model if self.entry is not None else model_of(self.name) or "wikitext"


@dataclass(frozen=True)
class _Writing:
    """How push writes: the edit summary and flags, and when the push started (``starttimestamp``)."""

    summary: str
    minor: bool
    bot: bool
    redirect: bool
    start_timestamp: str


def wiki_files(state: State, paths: Iterable[str | Path]) -> list[str]:
    """The page files named by ``paths`` (directories are searched), as names in ``state``."""
    names = (state.name_of(path) for path in iter_wiki_files(paths))
    return list(dict.fromkeys(name for name in names if not state.layout.is_media(name)))


def _text_problem(text: str, model: str, allow_blank: bool) -> str | None:
    """Why ``text`` must not be saved as a page of ``model``, or ``None``."""
    if has_conflict_markers(text):
        return "holds conflict markers; resolve them first"
    if not text.strip():
        return None if allow_blank else BLANK_REFUSAL
    if model == "json":
        try:
            json.loads(text)
        except ValueError as exc:
            return f"is not valid JSON ({exc}); fix it first"
    return None


def local_changes(
    state: State,
    names: Iterable[str],
    report: Report,
    check: PageCheck | None = None,
    progress: ProgressCallback | None = None,
    *,
    allow_blank: bool = False,
    delete: bool = False,
) -> list[LocalChange]:
    """The local changes among ``names`` (files, and tracked files gone from disk); unchanged and
    unfit ones go to ``report``. Renames made without ``wikitools mv`` are recognised first."""
    names = list(names)
    renamed = detect_renames(state, names)
    changes = []
    claimed = {entry.moved_to or entry.title: name for name, entry in state.entries.items()}
    for name in names:
        entry = state.entries.get(name)
        path = state.root / name
        if name in renamed.values():
            continue  # the old name of a detected rename: handled under the new one
        if entry is None and name in renamed:
            old = renamed[name]
            entry = replace(state.entries[old], moved_to=state.layout.title_for(name))
            state.entries[name] = entry
            del state.entries[old]
            claimed[entry.moved_to or entry.title] = name
        if entry is not None and entry.delete:
            if delete:
                changes.append(LocalChange(name, entry.title, entry, None, delete=True))
            else:
                report.add(PageResult(name, entry.title, Outcome.REFUSED, MARKED_FOR_DELETION), progress)
            continue
        if not path.is_file():
            continue  # deleted locally without wikitools rm: status shows it
        text = read_text(path, allow_empty=True)
        title = entry.moved_to or entry.title if entry is not None else state.layout.title_for(name)
        owner = claimed.setdefault(title, name)
        edited = entry is None or text_sha1(text) != entry.sha1
        model = entry.model if entry is not None else model_of(name) or "wikitext"
        problem = _text_problem(text, model, allow_blank) if edited else None
        if edited and problem is None and check is not None and model == "wikitext":
            problem = check(title, text)  # (lint reads wikitext only)
        if owner != name:
            reason = f"{owner} stands for the same page; keep one of the two files"
            report.add(PageResult(name, title, Outcome.REFUSED, reason), progress)
        elif not edited and (entry is None or entry.moved_to is None) and not media_changed(state, name):
            report.add(PageResult(name, title, Outcome.UNCHANGED), progress)
        elif problem is not None:
            report.add(PageResult(name, title, Outcome.REFUSED, problem), progress)
        else:
            wiki_title = entry.title if entry is not None else title
            move_to = entry.moved_to if entry is not None else None
            media = media_changed(state, name)
            new_file = entry is None and media is not None  # the upload creates the page with its text
            body = text if edited and not new_file else None
            changes.append(LocalChange(name, wiki_title, entry, body, move_to, media=media))
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
    allow_blank: bool = False,
    delete: bool = False,
    redirect: bool = True,
    check: PageCheck | None = None,
    progress: ProgressCallback | None = None,
) -> Report:
    """Push the local changes among ``names`` (keys of ``state``, files gone from disk included);
    see the module docstring for the guarantees. ``delete`` allows deleting pages marked by
    ``wikitools rm``; ``redirect=False`` moves pages without leaving a redirect."""
    report = Report(always=(Outcome.PUSHED, Outcome.UNCHANGED, Outcome.REFUSED), dry_run=dry_run)
    bind(state, client)
    with state.lock():
        changes = local_changes(state, names, report, check, progress, allow_blank=allow_blank, delete=delete)
        if not changes:
            return report  # nothing to send: no request at all
        client.ensure_login()
        how = _Writing(summary, minor, bot, redirect, _now())
        checked_from = len(report.results)
        ready = _still_based(state, client, changes, report, progress)
        recorded = any(r.outcome is Outcome.UNCHANGED for r in report.results[checked_from:])
        if dry_run:
            for change in ready:
                report.add(_dry_result(change), progress)
            return report
        saver = BackgroundSaver(state)
        try:
            if recorded:
                saver.save()  # pages found already pushed were recorded
            for change in ready:
                for result in _apply(state, client, change, how):
                    report.add(result, progress)
                saver.save()  # the new revision, written while the next request is on its way
            moved_only = [c.name for c in ready if c.move_to is not None and c.text is None]
            if moved_only:
                _settle_moves(state, client, [n for n in moved_only if n in state.entries])
                saver.save()
        finally:
            saver.close()
    return report


def _settle_moves(state: State, client: WikiClient, names: list[str]) -> None:
    """A move adds a revision of its own (same text) to the page: make it the base of the moved
    files, when nobody edited the page meanwhile (one batched query for all of them)."""
    entries = {state.entries[n].page_id: n for n in names if state.entries[n].page_id}
    if not entries:
        return
    for page_id, page in client.page_states_by_id(entries).items():
        name, latest = entries[page_id], page.latest
        entry = state.entries[name]
        if latest is not None and latest.parent_id == entry.revid and latest.sha1 == entry.sha1:
            state.entries[name] = replace(
                entry, title=page.title, revid=latest.id, timestamp=latest.timestamp
            )


def _dry_result(change: LocalChange) -> PageResult:
    if change.delete:
        return PageResult(change.name, change.title, Outcome.DELETED_ON_WIKI)
    if change.text is None and change.media is None:
        return PageResult(change.name, change.title, Outcome.MOVED, f"{change.title} → {change.move_to}")
    return PageResult(change.name, change.move_to or change.title, Outcome.PUSHED)


def _still_based(
    state: State,
    client: WikiClient,
    changes: list[LocalChange],
    report: Report,
    progress: ProgressCallback | None,
) -> list[LocalChange]:
    """The changes whose page is still at their base (or still missing, for new pages), decided by one
    batched query of each page's latest revision id and sha1 (by page id for tracked pages)."""
    by_id = client.page_states_by_id(c.entry.page_id for c in changes if c.entry and c.entry.page_id)
    by_title = client.page_states(c.title for c in changes if not (c.entry and c.entry.page_id))
    ready = []
    for change in changes:
        entry = change.entry
        if entry is not None and entry.page_id:
            page = by_id.get(entry.page_id) or Page(change.title, id=None)
        else:
            page = by_title[change.title]
        latest = page.latest
        base_revid = entry.revid if entry is not None else None
        quiet = change.move_to is None and not change.delete and change.media is None
        if quiet and _record_if_on_wiki(state, change, page):
            # The wiki already has this text (e.g. a run killed after the edit): record it, send nothing.
            report.add(PageResult(change.name, change.title, Outcome.UNCHANGED), progress)
        elif latest is not None and page.title != change.title:
            reason = f"the page was moved on the wiki to {page.title}; pull, then push"
            report.add(PageResult(change.name, change.title, Outcome.REFUSED, reason), progress)
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
    if change.text is None or latest is None or latest.sha1 != text_sha1(change.text):
        return False
    state.record(change.name, page, replace(latest, text=wiki_text(change.text)))
    return True


def _apply(state: State, client: WikiClient, change: LocalChange, how: _Writing) -> list[PageResult]:
    """Move, edit or delete one page; each success is recorded in the state (the caller saves it)."""
    entry = change.entry
    try:
        if change.delete:
            assert entry is not None
            client.delete(page_id=entry.page_id, reason=how.summary)
            state.forget(change.name)
            return [PageResult(change.name, change.title, Outcome.DELETED_ON_WIKI)]
        results = []
        title = change.title
        if change.move_to is not None:
            assert entry is not None and entry.page_id is not None
            title = client.move(entry.page_id, change.move_to, reason=how.summary, redirect=how.redirect)
            entry = replace(entry, title=title, moved_to=None)
            state.entries[change.name] = entry
            results.append(PageResult(change.name, title, Outcome.MOVED, f"{change.title} → {title}"))
        if change.text is not None:
            moved = replace(change, title=title, entry=entry)
            results.append(_edit(state, client, moved, how))
        if change.media is not None:
            results.append(push_media(state, client, change.name, change.media, title, how.summary))
        return results
    except ConflictError as error:  # (the client recognises its own edit retried after a lost answer)
        return [PageResult(change.name, change.title, Outcome.REFUSED, f"{error.message}; pull, then push")]
    except RetryExhausted:
        raise  # the wiki kept saying "later" (lag, rate limit, read-only) past the deadline: stop here
    except ApiError as error:
        if error.code == "missingtitle":
            reason = "the page was deleted on the wiki; it is not recreated"
            return [PageResult(change.name, change.title, Outcome.DELETED, reason)]
        if error.code == "articleexists":
            reason = f"{change.move_to} already exists on the wiki; choose another name"
            return [PageResult(change.name, change.title, Outcome.REFUSED, reason)]
        return [PageResult(change.name, change.title, Outcome.FAILED, f"the wiki refused it: {error}")]


def _edit(state: State, client: WikiClient, change: LocalChange, how: _Writing) -> PageResult:
    """One edit; its new revision is recorded in the state (which the caller saves). Errors go up."""
    entry = change.entry
    assert change.text is not None
    text = wiki_text(change.text)
    result = client.edit(
        change.title,
        text,
        how.summary,
        base=entry.revid if entry else None,
        start_timestamp=how.start_timestamp,
        minor=how.minor,
        bot=how.bot,
        model=change.model,
    )
    if result.revid is None:
        return PageResult(change.name, change.title, Outcome.UNCHANGED)
    revision = Revision(id=result.revid, text=text, timestamp=result.timestamp, model=change.model)
    state.record(change.name, Page(result.title, id=result.page_id, revisions=(revision,)), revision)
    if result.warnings:
        return PageResult(
            change.name, change.title, Outcome.PUSHED, "the wiki warned: " + "; ".join(result.warnings)
        )
    return PageResult(change.name, change.title, Outcome.UNCHANGED if result.nochange else Outcome.PUSHED)
