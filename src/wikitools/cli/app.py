"""The click group and the one place where a WikitoolsError becomes a message and an exit code."""

from __future__ import annotations

import sys
from typing import Any

import click

from .. import __version__
from ..errors import WikitoolsError


class WikitoolsGroup(click.Group):
    """A group whose commands report :class:`WikitoolsError` as one line on stderr."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WikitoolsError as error:
            click.echo(f"wikitools: {error}", err=True)
            sys.exit(int(error.exit_code))


@click.group(cls=WikitoolsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="wikitools")
def main() -> None:
    """Keep MediaWiki articles as files: convert, lint, export and sync them with a wiki."""
