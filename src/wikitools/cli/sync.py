"""``pull``, ``push``, ``status``, ``diff``, ``mv``, ``rm`` and ``logout``: sync a directory of ``.wiki``
files with a wiki."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from ..api.client import NO_CREDENTIALS_HINT, connect
from ..errors import ExitCode, InputError, LoginError
from ..sync.config import open_wiki, wiki_url
from ..sync.pull import pull as pull_pages
from ..sync.push import BLANK_REFUSAL, MARKED_FOR_DELETION, lint_check, wiki_files
from ..sync.push import push as push_pages
from ..sync.report import Outcome, PageResult, Report
from ..sync.state import State, ensure_directory
from ..sync.status import local_diffs, remote_diffs, selected_names
from ..sync.status import status as sync_status
from ..sync.tracking import move, remove
from .app import main

wiki_option = click.option(
    "--wiki",
    metavar="URL",
    help="The wiki's api.php or base URL (default: the synced directory's, WIKITOOLS_WIKI, or "
    "[tool.wikitools] wiki).",
)


class _ProgressBar:
    """A progress bar on stderr when it is a terminal; silent otherwise (the summary line says it all)."""

    WIDTH = 30

    def __init__(self, verb: str, total: int | None) -> None:
        self.verb, self.total, self.done = verb, total, 0
        self.enabled = sys.stderr.isatty()

    def __call__(self, _result: PageResult) -> None:
        self.done += 1
        if not self.enabled:
            return
        if self.total:
            filled = self.WIDTH * min(self.done, self.total) // self.total
            bar = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.done}/{self.total}"
        else:
            bar = f"{self.done} pages"
        click.echo(f"\r{self.verb} {bar}", nl=False, err=True)

    def close(self) -> None:
        if self.enabled and self.done:
            click.echo(err=True)


#: The exit status a page's outcome means (the worst one counts); other outcomes are 0.
_EXIT_FOR = {
    Outcome.CONFLICT: ExitCode.FINDINGS,
    Outcome.REFUSED: ExitCode.FINDINGS,
    Outcome.DELETED: ExitCode.FINDINGS,
    Outcome.FAILED: ExitCode.WIKI,
}

#: Refusals the library explains without naming options: the option that allows each one.
_OPTIONS_FOR = {BLANK_REFUSAL: "--allow-blank", MARKED_FOR_DELETION: "--delete"}


def _run(verb: str, total: int | None, work: Callable[[_ProgressBar], Report]) -> ExitCode:
    """Run ``work`` with a progress bar, print the pages that need attention and the summary line;
    the worst outcome decides the exit status."""
    bar = _ProgressBar(verb, total)
    try:
        report = work(bar)
    finally:
        bar.close()
    for result in report.attention:
        option = _OPTIONS_FOR.get(result.reason or "")
        click.echo(f"{result} (push {option} to do it)" if option else str(result))
    click.echo(report.summary())
    return exit_status(report)


def exit_status(report: Report) -> ExitCode:
    """The exit status of a pull or push: that of the worst outcome any page had."""
    return max((_EXIT_FOR.get(outcome, ExitCode.OK) for outcome in report.outcomes), default=ExitCode.OK)


@main.command()
@click.argument("titles", nargs=-1)
@click.option("--category", metavar="C", help="Pull every page in this category.")
@click.option("--prefix", metavar="P", help="Pull every page whose title starts with this (Help:Edit).")
@click.option("--namespace", "namespaces", metavar="NS", multiple=True,
              help="Pull a whole namespace (name or number; repeatable).")  # fmt: skip
@click.option("--media", is_flag=True, help="Also download the media files of File pages.")
@click.option("-d", "--directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="The synced directory (default: the current one).")  # fmt: skip
@wiki_option
def pull(
    titles: tuple[str, ...],
    category: str | None,
    prefix: str | None,
    namespaces: tuple[str, ...],
    media: bool,
    directory: Path,
    wiki: str | None,
) -> ExitCode:
    """Fetch pages into .wiki files, merging with local edits (no selector: every tracked page).

    Local edits are never overwritten: when a page changed on both sides, the changes are merged three
    ways; overlapping ones are marked as conflicts in the file (exit 1).
    """
    with ensure_directory(directory) as root:
        state = State.find_or_create(root)
        client = open_wiki(state, wiki)
        listed = bool(category or prefix or namespaces)  # a listing's size is known only as it arrives
        total = None if listed else len(titles) or len(state.entries)
        return _run(
            "pulling",
            total,
            lambda bar: pull_pages(
                state,
                client,
                titles=titles,
                category=category,
                prefix=prefix,
                namespaces=namespaces,
                media=media,
                progress=bar,
            ),
        )


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-m", "--summary", required=True, help="The edit summary.")
@click.option("--minor", is_flag=True, help="Mark the edits as minor.")
@click.option("--bot", is_flag=True, help="Mark the edits as bot edits (needs the bot right).")
@click.option("--dry-run", is_flag=True, help="Check everything, edit nothing.")
@click.option("--diff", "show_diff", is_flag=True, help="Show the changes being pushed.")
@click.option("--lint", is_flag=True, help="Refuse pages with error-level lint findings.")
@click.option("--allow-blank", is_flag=True, help="Push empty files, blanking their pages.")
@click.option("--delete", is_flag=True, help="Delete the pages removed with wikitools rm.")
@click.option("--no-redirect", is_flag=True, help="Move pages without leaving a redirect (needs the right).")
@wiki_option
def push(
    paths: tuple[Path, ...],
    summary: str,
    minor: bool,
    bot: bool,
    dry_run: bool,
    show_diff: bool,
    lint: bool,
    allow_blank: bool,
    delete: bool,
    no_redirect: bool,
    wiki: str | None,
) -> ExitCode:
    """Send local changes to the wiki: edits, new pages, moves (wikitools mv) and, with --delete,
    deletions (wikitools rm). No PATH: everything under the current directory.

    Only files that differ from their base are sent. A page changed on the wiki since its base is
    refused (exit 1; pull first); a file not yet tracked creates the page its folder and name stand
    for, with the content model of its extension. Empty files are refused unless --allow-blank.
    """
    paths = paths or (Path("."),)
    for path in paths:
        if not path.exists() and State.find(path.parent) is None:
            raise InputError("no such file or directory", subject=path)
    state = State.find_or_create(paths[0] if paths[0].is_dir() else paths[0].parent)
    names = selected_names(state, paths) if state.entries else wiki_files(state, paths)
    client = open_wiki(state, wiki, for_editing=not dry_run)
    if show_diff:
        for diff in local_diffs(state, names, lambda: client):
            click.echo(diff)
    return _run(
        "pushing",
        len(names),
        lambda bar: push_pages(
            state, client, names, summary=summary, minor=minor, bot=bot, dry_run=dry_run,
            allow_blank=allow_blank, delete=delete, redirect=not no_redirect,
            check=lint_check(state.root) if lint else None,
            progress=bar,
        ),
    )  # fmt: skip


def _synced(paths: tuple[Path, ...]) -> tuple[State, list[str]]:
    """The state above ``paths`` and the files they select (no path: the whole synced directory)."""
    start = paths[0] if paths else Path(".")
    state = State.find(start if start.is_dir() else start.parent)
    if state is None:
        raise InputError("not in a synced directory", subject=start, hint="pull pages into it first")
    return state, selected_names(state, paths or (state.root,))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--offline", is_flag=True, help="Only compare files with their base; ask the wiki nothing.")
@wiki_option
def status(paths: tuple[Path, ...], offline: bool, wiki: str | None) -> None:
    """Show files modified locally, changed remotely, both, new, or deleted on either side."""
    state, names = _synced(paths)
    client = None if offline else open_wiki(state, wiki)
    found = sync_status(state, client, names)
    for line in found:
        click.echo(str(line))
    if not found:
        click.echo(f"up to date: {len(state.entries)} tracked pages")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--remote", is_flag=True, help="Show what changed on the wiki instead (what pull brings).")
@wiki_option
def diff(paths: tuple[Path, ...], remote: bool, wiki: str | None) -> None:
    """Show local changes against the base revisions (what push sends), as unified diffs; offline
    unless --remote (the base texts are kept in .wikitools/)."""
    state, names = _synced(paths)
    if remote:
        for text in remote_diffs(state, open_wiki(state, wiki), names):
            click.echo(text)
        return
    for text in local_diffs(state, names, lambda: open_wiki(state, wiki)):
        click.echo(text)


def _root_of(path: Path) -> Path:
    state = State.find(path if path.is_dir() else path.parent)
    if state is None:
        raise InputError("not in a synced directory", subject=path, hint="pull pages into it first")
    return state.root


@main.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
def mv(old: Path, new: Path) -> None:
    """Rename a tracked file and record the move; the next push moves the page, keeping its history."""
    move(_root_of(old), old, new)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--cached", is_flag=True, help="Stop tracking the pages; keep the files and the wiki's pages.")
def rm(paths: tuple[Path, ...], cached: bool) -> None:
    """Delete tracked files and mark their pages for deletion by push --delete."""
    for path in paths:
        remove(_root_of(path), path, cached=cached)


@main.command()
@wiki_option
def logout(wiki: str | None) -> None:
    """End the login session kept between runs for the wiki and user (the wiki's and its cookie file).

    A kept session spares the next command its login; WIKITOOLS_SESSION_CACHE=off keeps none.
    """
    start = Path(".")
    state = State.find(start) or State.load(start)
    with connect(wiki_url(state, wiki), start=state.root) as client:
        if client.credentials is None or client.credentials.username is None:
            raise LoginError("no username to log out", subject=client.api_url, hint=NO_CREDENTIALS_HINT)
        user = client.credentials.username
        ended = client.logout()
    click.echo(f"logged out {user}" if ended else f"no session kept for {user}")
