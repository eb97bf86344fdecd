"""``wikitools lsp``: start the language server (the work is in :mod:`wikitools.lsp`)."""

from __future__ import annotations

import click

from ..errors import InputError
from .app import main


@main.command()
@click.option("--stdio", is_flag=True, help="Talk over stdin/stdout (the default; editors often pass it).")
def lsp(stdio: bool) -> None:
    """Run the language server for .wiki folders: lint as you type, fixes, outline, links and renames.

    An editor starts it; see docs/lsp.md for the set-up of Neovim, Helix, Emacs, VS Code and Sublime Text.
    """
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        raise InputError(
            "the language server needs pygls and lsprotocol", hint="pip install 'wikitools[lsp]'"
        ) from None
    from ..lsp import serve

    serve()
