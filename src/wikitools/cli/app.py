"""The click group and the one place where a WikitoolsError becomes a message and an exit code."""

from __future__ import annotations

import sys
from typing import Any

import click

from .. import __version__
from ..errors import ExitCode, WikitoolsError


class WikitoolsGroup(click.Group):
    """The one place where commands end: a :class:`WikitoolsError` becomes one line on stderr and its
    exit code; a command that returns an :class:`ExitCode` (findings, conflicts) exits with it."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            outcome = super().invoke(ctx)
        except WikitoolsError as error:
            click.echo(f"wikitools: {error}", err=True)
            sys.exit(int(error.exit_code))
        if isinstance(outcome, ExitCode) and outcome is not ExitCode.OK:
            sys.exit(int(outcome))
        return outcome


@click.group(cls=WikitoolsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="wikitools")
def main() -> None:
    """Keep MediaWiki articles as files: convert, lint, export and sync them with a wiki."""
