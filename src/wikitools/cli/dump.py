"""``wikitools lint DUMP``: the dump options of ``lint`` and the thin command over
:func:`wikitools.dump.lint_dump` (multistream partitions, local processes or Dask, watchdog, cache)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from ..errors import ExitCode, InputError
from ..lint.config import LintConfig
from ..lint.jobs import usable_cores

F = TypeVar("F", bound=Callable[..., Any])
DUMP_OPTIONS = (
    "index",
    "scheduler",
    "namespaces",
    "page_timeout",
    "max_memory",
    "cache",
    "output",
    "no_summary",
)
_NOT_FOR_DUMPS = {"fix": "--fix", "diff": "--diff", "title": "--title"}


def dump_options(command: F) -> F:
    """The options of ``lint`` that only a dump run uses (any of them makes the run a dump run)."""
    options = [
        click.option("--index", metavar="FILE", help="Index of a multistream dump [default: beside it]."),
        click.option(
            "--scheduler", metavar="ADDRESS", envvar="DASK_SCHEDULER_ADDRESS",
            help="Run a dump's partitions on this Dask scheduler (env DASK_SCHEDULER_ADDRESS).",
        ),
        click.option(
            "--namespace", "namespaces", type=int, multiple=True, metavar="N",
            help="Dump: only pages in namespace N (repeatable) [default: all].",
        ),
        click.option(
            "--page-timeout", type=click.FloatRange(min=0, min_open=True), default=5.0, show_default=True,
            metavar="SECONDS", help="Dump: set aside a page that takes longer.",
        ),
        click.option(
            "--max-memory", type=click.IntRange(min=64), default=1024, show_default=True, metavar="MB",
            help="Dump: set aside a page that makes a worker grow past this.",
        ),
        click.option("--cache", metavar="DIR", help="Dump: cache folder for resumed and incremental runs."),
        click.option("-o", "--output", metavar="FILE", help="Dump: write findings here (.gz compresses)."),
        click.option("--no-summary", is_flag=True, help="Dump: print no summary and no progress bar."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def wants_dump(paths: tuple[str, ...], output_format: str, flags: dict[str, Any]) -> bool:
    """A dump run: ``--format jsonl``, a dump option on the command line, or a multistream dump."""
    context = click.get_current_context()
    given = any(context.get_parameter_source(name) == ParameterSource.COMMANDLINE for name in DUMP_OPTIONS)
    if output_format == "jsonl" or given:
        return True
    compressed = [path for path in paths if path.endswith(".bz2")]  # only these can have an index
    if not compressed:
        return False  # the common case (pages, folders) does not load the dump package
    from ..dump.partitions import find_index

    return any(find_index(path) for path in compressed)


def lint_dump_command(
    paths: tuple[str, ...], config: LintConfig, output_format: str, jobs: int | None, flags: dict[str, Any]
) -> ExitCode:
    """Run a dump lint with the options ``lint`` parsed; the exit code from its summary."""
    from ..dump import lint_dump

    context = click.get_current_context()
    for name, flag in _NOT_FOR_DUMPS.items():
        if context.params.get(name):
            raise InputError(f"{flag} does not apply to a dump", hint="lint the pages as files for that")
    if config.wiki or config.titles or config.check_targets:
        raise InputError(
            "link targets are not checked in a dump run", hint="drop --wiki/--titles/--check-targets"
        )
    if output_format not in ("jsonl", "text"):
        raise InputError(f"--format {output_format} is not written for a dump", hint="use jsonl or text")
    if "-" in paths:
        raise InputError("a dump is read from files, not stdin", subject="<stdin>")
    if jobs is None:
        jobs = usable_cores()
    options = config.options()
    progress = _ProgressBar() if sys.stderr.isatty() and not flags["no_summary"] else None
    arguments: dict[str, Any] = {
        "options": options, "output_format": output_format, "jobs": jobs, "scheduler": flags["scheduler"],
        "index": flags["index"], "namespaces": flags["namespaces"] or None,
        "page_timeout": flags["page_timeout"], "max_memory": flags["max_memory"], "cache": flags["cache"],
        "on_progress": progress,
    }  # fmt: skip
    if flags["output"]:
        from ..dump.output import open_output

        if not Path(flags["output"]).parent.is_dir():
            raise InputError("no such folder", subject=Path(flags["output"]).parent)
        with open_output(flags["output"]) as out:
            summary = lint_dump(paths, out, **arguments)
    else:
        summary = lint_dump(paths, click.get_text_stream("stdout"), **arguments)
    if progress is not None:
        progress.clear()
    if not flags["no_summary"]:
        for line in summary.lines():
            click.echo(line, err=True)
    for error in summary.errors:
        click.echo(f"wikitools: {error}", err=True)
    if summary.errors:
        return ExitCode.USAGE
    if summary.worst is not None and summary.worst >= config.fail_on:
        return ExitCode.FINDINGS
    return ExitCode.OK


class _ProgressBar:
    """One line on a terminal: partitions done, pages/s and, when the total is known, an ETA."""

    WIDTH = 24

    def __call__(self, progress: Any) -> None:
        rate = progress.pages / max(progress.seconds, 1e-9)
        if progress.total:
            share = progress.done / progress.total
            bar = "#" * int(share * self.WIDTH)
            left = progress.seconds / share - progress.seconds if share else 0
            eta = f", ETA {int(left // 60)}:{int(left % 60):02d}"
            done = f"{progress.done:,}/{progress.total:,}"
            line = f"[{bar:<{self.WIDTH}}] {done} partitions, {rate:,.0f} pages/s{eta}"
        else:
            line = f"{progress.done:,} partitions, {progress.pages:,} pages, {rate:,.0f} pages/s"
        click.echo(f"\r\x1b[K{line}", err=True, nl=False)

    def clear(self) -> None:
        click.echo("\r\x1b[K", err=True, nl=False)
