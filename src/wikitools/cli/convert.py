"""``wikitools convert``: one article to a file or stdout, or many (folders) to a tree of files."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import click

from ..batch import FileResult, Options, Outcome, convert_jobs, find_jobs
from ..convert import convert_file, format_of, parse_title_list
from ..errors import ExitCode, InputError
from ..fileio import IS_A_DIRECTORY, STDIO, atomic_write, read_text, require_file
from ..markup import BUILTIN, Markup

#: The state file that marks a synced directory (``wikitools.sync.state``), looked for before loading sync.
SYNC_STATE = Path(".wikitools", "state.json")
#: What ``--wiki`` asks ``meta=siteinfo`` for: everything :meth:`Markup.with_siteinfo` reads.
SITEINFO_PROPS = "namespaces|namespacealiases|interwikimap|magicwords"


@click.command("convert")
@click.argument("paths", metavar="PATH...", nargs=-1, required=True)
@click.option("-o", "--output", default=STDIO, show_default=True, help="Output file of one input, or -.")
@click.option(
    "-d", "--directory", "out_dir", metavar="OUTDIR", type=click.Path(file_okay=False, path_type=Path),
    help="Write the outputs below OUTDIR, mirroring the input folders [next to each input].",
)  # fmt: skip
@click.option(
    "--from", "source_format", metavar="FORMAT", help="text, wikitext, json or xml [from INPUT's name]."
)
@click.option(
    "--to", "target_format", metavar="FORMAT", help="wikitext, text, json or xml [from OUTPUT's name]."
)
@click.option("--title", help="Page title [the text's first line; a wikitext file's name].")
@click.option("--titles", "titles_path", metavar="FILE", help="Known page titles, one a line: link them.")
@click.option(
    "--wiki", metavar="URL",
    help="Take namespace names and prefixes from this wiki [the synced directory's, in one].",
)  # fmt: skip
@click.option("--edit-suffix", is_flag=True, help='Write the rendered word "Edit" after the title.')
@click.option("--force", is_flag=True, help="Replace output files that hold something else.")
@click.option("--check", is_flag=True, help="Write nothing; list the output files that would change.")
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True, help="Convert in N processes."
)
def convert_command(
    paths: tuple[str, ...],
    output: str,
    out_dir: Path | None,
    source_format: str | None,
    target_format: str | None,
    title: str | None,
    titles_path: str | None,
    wiki: str | None,
    edit_suffix: bool,
    force: bool,
    check: bool,
    jobs: int,
) -> ExitCode:
    """Convert articles, or folders of them, between plain text, wikitext, JSON and single-page XML.

    PATH is a file, - for stdin (then give --from), or a folder: its files of every format but the
    --to one (or of --from) are converted, each output named by its page title (wikitext) or its
    input's name. Namespace names (File:, Category: ...) are the built-in ones of common languages,
    plus the wiki's: from --wiki, else from the synced directory PATH is in, and from an XML export's
    siteinfo.

    Exit status: 0 done, 1 outputs refused (or would change, with --check), 2 an input failed.
    """
    known = parse_title_list(read_text(titles_path)) if titles_path else ()
    markup = _wiki_markup(wiki) if wiki else _synced_markup(paths[0])
    options = Options(source_format, target_format, title, known, edit_suffix, markup=markup)
    if len(paths) == 1 and out_dir is None and not Path(paths[0]).is_dir():
        if check:
            raise InputError("--check compares output files", hint="give -d OUTDIR")
        _convert_single(paths[0], output, options)
        return ExitCode.OK
    if output != STDIO:
        folder = next((path for path in paths if Path(path).is_dir()), None)
        if folder is not None:
            raise InputError(IS_A_DIRECTORY, subject=folder, hint="use -d OUTDIR for folders")
        raise InputError("-o names the output of a single input file", hint="use -d OUTDIR for several")
    if STDIO in paths:
        raise InputError("stdin (-) converts alone, to -o FILE or stdout", hint="without -d OUTDIR")
    todo = find_jobs(paths, options, out_dir)
    if title is not None and len(todo) > 1:
        raise InputError("--title names one page", hint="convert that input in its own command")
    results = convert_jobs(todo, options, overwrite=force, write=not check, processes=jobs)
    counts: Counter[Outcome] = Counter()
    lines: list[tuple[bool, str]] = []  # printed after the progress bar, in input order
    for result in _progress(results, len(todo)):
        counts[result.outcome] += 1
        lines.extend(_lines(result, check))
    for to_stdout, line in lines:
        click.echo(line, err=not to_stdout)
    click.echo(_summary(counts, check), err=True)
    if counts[Outcome.FAILED]:
        return ExitCode.USAGE
    if counts[Outcome.REFUSED] or (check and (counts[Outcome.CREATED] or counts[Outcome.UPDATED])):
        return ExitCode.FINDINGS
    return ExitCode.OK


def _wiki_markup(url: str) -> Markup:
    """The built-in names plus the wiki's own, from one ``siteinfo`` request."""
    from ..api.client import connect  # here: a convert without --wiki loads no HTTP client

    with connect(url) as client:
        client.ensure_login()  # a private wiki answers only after a login
        reply = client.call({"action": "query", "meta": "siteinfo", "siprop": SITEINFO_PROPS})
    return BUILTIN.with_siteinfo(reply)


def _synced_markup(path: str) -> Markup:
    """The built-in names plus those the synced directory around ``path`` stored, if it is in one."""
    start = (Path.cwd() if path == STDIO else Path(path)).resolve()
    synced = next((folder for folder in (start, *start.parents) if (folder / SYNC_STATE).is_file()), None)
    if synced is None:
        return BUILTIN  # the common case, without loading sync (see tests/test_cli_startup.py)
    from ..sync.siteinfo_file import stored_namespaces

    namespaces = stored_namespaces(synced)  # found at once: the walk up is not done twice
    return BUILTIN if namespaces is None else BUILTIN.extended(namespaces)


def _convert_single(path: str, output: str, options: Options) -> None:
    """One input to ``output`` (a file, or - for stdout); the target format defaults to OUTPUT's."""
    require_file(path)
    if options.target_format is None and output != STDIO:
        options = replace(options, target_format=format_of(output))
    result = convert_file(path, options.conversion(Path(path)))
    if output != STDIO:
        atomic_write(output, result)
        return
    sys.stdout.buffer.write(result)
    if sys.stdout.isatty() and not result.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")


def _progress(results: Iterator[FileResult], total: int) -> Iterable[FileResult]:
    """``results``, with a progress bar on stderr when it is a terminal and there are several."""
    if total < 2 or not sys.stderr.isatty():
        yield from results
        return
    with click.progressbar(results, length=total, label="Converting", file=sys.stderr) as bar:
        yield from bar


def _lines(result: FileResult, check: bool) -> Iterator[tuple[bool, str]]:
    """The line ``result`` needs, if any, and whether it goes to stdout."""
    if result.outcome is Outcome.FAILED:
        yield False, f"wikitools: {result.error}"
    elif result.outcome is Outcome.REFUSED:
        refused = f"holds something other than the conversion of {result.source} (pass --force to replace it)"
        yield False, f"wikitools: {result.output}: {refused}"
    elif check and result.outcome.changes:
        verb = "create" if result.outcome is Outcome.CREATED else "change"
        yield True, f"would {verb} {result.output}"


def _summary(counts: Counter[Outcome], check: bool) -> str:
    """The closing line: how many files, and what became of them."""
    total = sum(counts.values())
    if not total:
        return "no files to convert"
    changed = counts[Outcome.CREATED] + counts[Outcome.UPDATED]
    parts = [
        (changed, "would change" if check else "written"),
        (counts[Outcome.UNCHANGED], "unchanged"),
        (counts[Outcome.REFUSED], "refused"),
        (counts[Outcome.FAILED], "failed"),
    ]
    files = "file" if total == 1 else "files"
    return f"{total} {files}: " + ", ".join(f"{n} {what}" for n, what in parts if n)
