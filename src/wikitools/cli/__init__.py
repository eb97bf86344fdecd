"""The ``wikitools`` command line: thin click commands over the library.

:data:`~wikitools.cli.app.COMMANDS` names every command and the module holding it; a module is
imported when its command runs, so start-up stays cheap. This package is the only place importing click.
"""

from .app import main

__all__ = ["main"]
