"""The click group, its table of commands, and the one place where a WikitoolsError becomes a message
and an exit code.

Commands are imported on first use (click's "lazy group" pattern): ``wikitools --version`` and
``--help`` import click and this module only, and ``wikitools convert`` does not pay for the HTTP
client, the lint rules or the XML writer of the other commands.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, NamedTuple

import click
from click.utils import make_default_short_help

from .. import __version__
from ..errors import ExitCode, WikitoolsError


class Lazy(NamedTuple):
    """Where a command lives, as ``"module:attribute"``, and the line ``wikitools --help`` shows for
    it (kept equal to the command's own docstring by a test, so listing commands imports none)."""

    target: str
    help: str


#: Every ``wikitools`` command, one row each. A new command is a click command in a ``cli`` module
#: and a row here.
COMMANDS: dict[str, Lazy] = {
    "convert": Lazy(
        "wikitools.cli.convert:convert_command",
        "Convert articles, or folders of them, between plain text, wikitext, JSON and single-page XML.",
    ),
    "dev-wiki": Lazy(
        "wikitools.cli.devwiki:dev_wiki",
        "Run a throwaway MediaWiki on 127.0.0.1 (needs the Debian mediawiki and php packages).",
    ),
    "diff": Lazy(
        "wikitools.cli.sync:diff",
        "Show local changes against the base revisions (what push sends), as unified diffs; offline "
        "unless --remote (the base texts are kept in .wikitools/).",
    ),
    "export": Lazy(
        "wikitools.cli.xml:export_command",
        "Write .wiki files (or every .wiki file in a folder) as MediaWiki export XML (schema 0.11).",
    ),
    "lint": Lazy(
        "wikitools.cli.lint:lint",
        "Check the structure and links of articles: .wiki/.mediawiki, .txt, .xml exports, or - for stdin.",
    ),
    "lsp": Lazy(
        "wikitools.cli.lsp:lsp",
        "Run the language server for .wiki folders: lint as you type, fixes, outline, links and renames.",
    ),
    "logout": Lazy(
        "wikitools.cli.sync:logout",
        "End the login session kept between runs for the wiki and user (the wiki's and its cookie file).",
    ),
    "mv": Lazy(
        "wikitools.cli.sync:mv",
        "Rename a tracked file and record the move; the next push moves the page, keeping its history.",
    ),
    "pull": Lazy(
        "wikitools.cli.sync:pull",
        "Fetch pages into .wiki files, merging with local edits (no selector: every tracked page).",
    ),
    "push": Lazy(
        "wikitools.cli.sync:push",
        "Send local changes to the wiki: edits, new pages, moves (wikitools mv) and, with --delete, "
        "deletions (wikitools rm). No PATH: everything under the current directory.",
    ),
    "rm": Lazy(
        "wikitools.cli.sync:rm",
        "Delete tracked files and mark their pages for deletion by push --delete.",
    ),
    "rules": Lazy("wikitools.cli.lint:rules", "List the lint rules, or explain one (by code or name)."),
    "status": Lazy(
        "wikitools.cli.sync:status",
        "Show files modified locally, changed remotely, both, new, or deleted on either side.",
    ),
    "unpack": Lazy(
        "wikitools.cli.xml:unpack_command",
        "Write each page of a MediaWiki export (FILE, or - for stdin) as a .wiki file, as pull does.",
    ),
}


def load_command(name: str) -> click.Command:
    """The command ``name`` of :data:`COMMANDS`, importing its module now."""
    module, attribute = COMMANDS[name].target.split(":")
    command = getattr(importlib.import_module(module), attribute)
    if not isinstance(command, click.Command):
        raise TypeError(f"{COMMANDS[name].target} is not a click command")
    return command


class WikitoolsGroup(click.Group):
    """The group behind ``wikitools``: commands come from :data:`COMMANDS` on first use; a
    :class:`WikitoolsError` becomes one line on stderr and its exit code; a command that returns an
    :class:`ExitCode` (findings, conflicts) exits with it."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return load_command(cmd_name) if cmd_name in COMMANDS else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``--help``, from the table: no command module is imported."""
        limit = formatter.width - 6 - max(map(len, COMMANDS))
        rows = [(name, make_default_short_help(COMMANDS[name].help, limit)) for name in sorted(COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

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
