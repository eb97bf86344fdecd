"""``wikitools lsp``: a language server for folders of wikitext articles (pygls, over stdio).

Lint as you type with the same rules and settings as ``wikitools lint``, safe fixes as code actions,
the page outline, and links, references and renames across the folder — which, when the folder is
synced, also knows the wiki. Importing this package needs the ``lsp`` extra (pygls, lsprotocol); the
server itself is :data:`wikitools.lsp.server.server`, started by :func:`serve`.
"""

from __future__ import annotations


def serve() -> None:
    """Run the language server over stdin/stdout until the client ends the session."""
    from .server import serve as run

    run()


__all__ = ["serve"]
